// Package clientconn is the client side of one RTMP connection as a pure,
// deterministic byte-level state machine, the mirror of serverconn: server
// bytes in, bytes to send and events for the application out. It is the
// pipeline every connection of the client driver (dial.Dial) runs,
//
//	handshake -> chunk.Decoder -> message.Decode -> client.Session.Step
//	          -> effects -> message.Encode -> chunk.Encoder -> output
//
// with no I/O, goroutines, clock, randomness or logging: the handshake's
// random seed comes in Config, time comes in Tick, and the caller moves
// the bytes. That makes it the unit a fuzzer feeds raw server bytes to.
//
// # The loop
//
//	c := clientconn.New(cfg)                 // C0+C1 are pending
//	c.Step(client.Connect{...})              // may come before the handshake ends
//	for {
//		write(c.Pending()); c.Advance(n)     // or c.TakeOutput(buf)
//		fx := c.Feed(bytesFromSocket)        // or c.Tick(now), c.Step(input)
//		for _, e := range fx { ... }         // events, CallerError, Disconnect
//		if c.State() == clientconn.Closed { drain, then close }
//	}
//
// Feed and Step carry out the wire effects (Send, ChangeChunkSize)
// themselves and return the rest in order; a Disconnect is always last and
// leaves the Conn Closed, ignoring every later input. A codec error (bad
// handshake, chunk stream error or limit, malformed message) closes the
// session, so its requests fail and its streams finish, and the Disconnect
// carries a *PeerError.
//
// Inputs stepped before the handshake completes run at once; the messages
// they produce wait and go out right after C2, as a client that sends
// connect without waiting for S2 would.
//
// # RTMPE
//
// With Config.Handshake.Encryption the handshake is RTMPE's; once it is
// done, Feed decrypts what follows S2 and the pending output after C2 is
// already encrypted. Unlike a server, whose caller interleaves media
// framed once for many connections, every byte a client sends is the
// Conn's own, so the Conn runs both streams itself.
//
// # Aggregates
//
// An Aggregate message reaches the session whole, and the session splits
// it into its sub-messages once; a sub-message that is itself an
// aggregate is ignored, so a hostile server cannot make the client
// recurse.
//
// # Memory
//
// Every buffer is bounded: the handshake's is fixed, the chunk decoder
// holds at most Config.Decoder.MaxBuffered payload bytes of partial
// messages, and the pending output at most Config.MaxOutput bytes (a
// connection whose output nobody takes ends with ErrOutputFull instead of
// growing). Buffered reports both counters, Limits their bounds.
package clientconn
