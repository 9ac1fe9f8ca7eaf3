package message

// The conventional outbound chunk stream ids.
//
// Protocol control and user control messages go on chunk stream 2, as the
// specification asks. Everything else gets a chunk stream per message
// stream and kind, so that audio, video and commands each keep their own
// header state and compress well:
//
//	message stream s:  commands, data and the rest  3 + 3*s
//	                   audio                        4 + 3*s
//	                   video                        5 + 3*s
//
// That puts commands and data on stream 0 on chunk stream 3, audio and video
// of stream 1 on 7 and 8, and stays within the 1-byte basic header up to
// stream 19. Message stream ids from 21865 on wrap around (s is taken
// modulo 21865) so ids stay within 65599; two streams then share chunk
// streams, which costs header compression, never correctness, because the
// encoder writes each message whole and switches to a type-0 header when
// the message stream id changes.
const (
	ControlChunkStreamID = 2
	CommandChunkStreamID = 3

	streamSlots = 21865 // (65599 - 5) / 3 + 1
)

// ChunkStreamID is the conventional outbound chunk stream id for body b on
// message stream streamID; see the policy above.
func ChunkStreamID(b Body, streamID uint32) uint32 {
	if b == nil {
		return CommandChunkStreamID
	}
	kind := uint32(0)
	switch b.Type() {
	case TypeSetChunkSize, TypeAbort, TypeAcknowledgement, TypeUserControl,
		TypeWindowAckSize, TypeSetPeerBandwidth:
		return ControlChunkStreamID
	case TypeAudio:
		kind = 1
	case TypeVideo:
		kind = 2
	}
	return CommandChunkStreamID + 3*(streamID%streamSlots) + kind
}
