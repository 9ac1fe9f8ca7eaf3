// Package chunk is the RTMP chunk stream (section 5.3 of the RTMP
// specification): it cuts messages into chunks on the way out and puts
// them back together on the way in. It is pure: bytes in, values and bytes
// out, no I/O, no goroutines, no clock.
//
// # Reading
//
// A Decoder is made from a DecoderConfig, whose zero value is the safe
// default, and is fed whatever the socket produced:
//
//	dec := chunk.NewDecoder(chunk.DecoderConfig{})
//	var msgs []chunk.Message
//	for {
//		n, err := conn.Read(buf)
//		msgs, derr := dec.Feed(msgs[:0], buf[:n])
//		// handle msgs (even when derr != nil), then derr, then err
//	}
//
// Feed consumes every byte it is given, keeps no reference to them, and
// appends each message whose last chunk arrived. It reads all three
// basic-header forms (chunk stream ids 2-63, 64-319 and 320-65599), header
// formats 0-3, one partial message per chunk stream with chunks of
// different streams interleaved, extended timestamps on every format
// (type-3 chunks carry one whenever the last type 0, 1 or 2 header of their
// chunk stream did), and timestamp deltas that wrap at 2^32. A type-3
// header that starts a new message right after a type-0 header adds the
// type-0 timestamp, as the specification says.
//
// Set Chunk Size (type 1) and Abort (type 2) frame the byte stream, so the
// decoder applies them itself, the moment they complete, and still returns
// them so the session can report them.
//
// Errors: a *LimitError names the DecoderConfig field a peer exceeded; a
// *ProtocolError says how the peer broke the protocol. Both are terminal:
// the messages before the offending byte are returned, and every later
// Feed returns the same error. The result does not depend on how the input
// was split: fed whole or one byte at a time, a decoder returns the same
// messages and the same error.
//
// # Payloads and allocation
//
// Each returned Message.Payload is a fresh slice (nil for an empty
// message) that belongs to the caller for good: the decoder never touches
// it again, so it can be kept, queued for a relay or sent on. Payload bytes
// are copied exactly once, from the fed slice into that buffer, which is
// allocated once at the declared message length when the message is at
// most DecoderConfig.PreallocLimit (64 KiB) long or when its bytes are
// already in hand in the same Feed. Longer messages that trickle in grow
// their buffer by doubling as bytes arrive, never past the declared length,
// so a header alone never makes the decoder reserve more than
// PreallocLimit. Bytes of partial messages count against MaxBuffered as
// soon as each chunk's header arrives.
//
// # Writing
//
// An Encoder (the zero value is ready) appends the chunks of a message to
// a caller's buffer at the current outgoing chunk size:
//
//	out, err = enc.Append(out[:0], csid, msg)
//
// The first chunk's header is compressed against the last message sent on
// the same chunk stream (type 0 on a new chunk stream, message stream id,
// backwards timestamp or AppendAbsolute; type 1, 2 or 3 otherwise);
// continuation chunks are always type 3; extended timestamps are written
// whenever the timestamp or delta is 0xFFFFFF or more, and repeated on every
// type-3 chunk that follows. Encoding a Set Chunk Size message changes the
// outgoing chunk size after that message. Which chunk stream a message
// uses is the caller's choice; codec/message.ChunkStreamID is the
// conventional policy.
//
// # One encoding, many receivers
//
// A relay sending the same media message to many players encodes it once
// with AppendShared: a type-0 first chunk and type-3 continuations, valid
// for any receiver whose outgoing chunk size matches. For each receiver it
// writes Shared.Bytes and calls that receiver's Encoder.Sent, which leaves
// the encoder exactly as if it had encoded the message itself; Sent
// refuses a receiver at a different chunk size, which then gets its own
// Append.
package chunk
