// Package serverconn is the server side of one RTMP connection as a pure,
// deterministic byte-level state machine: client bytes in, bytes to send
// and events for the application out. It is the pipeline the socket driver
// runs for each connection,
//
//	handshake -> chunk.Decoder -> message.Decode -> core.Session.Step
//	          -> effects -> message.Encode -> chunk.Encoder -> output
//
// with no I/O, goroutines, clock, randomness or logging: the handshake's
// random seed and epoch come in Config, time comes in core.Tick inputs,
// and the caller moves the bytes. That makes it the unit a fuzzer feeds
// raw bytes to and a simulation runs many of without sockets.
//
// # The loop
//
//	c := serverconn.New(cfg)
//	for {
//		fx := c.Feed(bytesFromSocket)          // or c.Step(core.Tick{Now: now})
//		for _, e := range fx {                 // events, WakeAt, Disconnect
//			... c.Step(core.Accept{Request: id}) ...
//		}
//		write(c.Pending()); c.Advance(n)       // or c.TakeOutput(buf)
//		if c.State() == serverconn.Closed { drain, then close }
//	}
//
// Feed and Step carry out the wire effects (Send, ChangeChunkSize)
// themselves and return the rest in order; a Disconnect is always last and
// leaves the Conn Closed, ignoring every later input. A codec error (bad
// handshake, chunk stream error or limit, malformed message) closes the
// session, so its streams finish, and the Disconnect carries a *PeerError.
//
// # RTMPE
//
// With Config.Handshake.Encryption a client may ask for RTMPE. Feed then
// decrypts what follows C2 itself, and hands the stream that must encrypt
// the output over once, in an OutputCipher effect that says from which
// output byte on it applies (the first after S0+S1+S2). The output stays
// plain: the caller interleaves other bytes with it, and whatever writes
// to the socket encrypts them all in order.
//
// # Memory
//
// Every buffer is bounded: the handshake's is fixed, the chunk decoder
// holds at most Config.Decoder.MaxBuffered payload bytes of partial
// messages, and the pending output at most Config.MaxOutput bytes (a
// connection whose peer stops reading ends with ErrOutputFull instead of
// growing). Over them all, Config.Budget bounds what the peer can make
// the connection hold at once: partial messages, the message being
// handled with the AMF values it decodes to (within Config.AMF's depth
// and element limits), the pending output, and what the caller holds for
// the connection (Account). An aggregate is split once, its parts
// aliasing its payload: one inside another is refused, never followed. A
// peer gets Budget.BeforeConnect until its connect is accepted, then
// Budget.Max; past it the connection ends with a *BudgetError
// (ErrMemoryBudget). Messages are decoded and handled one at a time, and
// every bound is checked at a point of the byte stream, so a connection
// ends at the same message however its bytes arrive. Buffered reports
// what is held, Limits the bounds.
//
// # Use by the socket driver
//
// The driver runs each connection on a Conn: the reader's bytes go to
// Feed, inbox inputs and timer ticks to Step (with the time since the
// connection started), the returned events to the Handler, WakeAt re-arms
// the timer, OutputCipher seals the send queue from its byte on, and after
// each call the writer is handed TakeOutput. The end
// of the read side is Step(core.Close{}). ReportEvery is set to the
// driver's reporting interval. A Conn's output of a whole Feed is pending
// before the caller sees its events, so the driver hands it to the writer
// first, and media queued from an event handler follows the replies it
// goes with.
package serverconn
