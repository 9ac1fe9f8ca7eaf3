// Package driver runs RTMP server sessions over TCP and TLS. It is the
// thin, impure part of the library: it owns sockets, goroutines, buffers,
// deadlines and the clock, while everything the protocol decides is
// decided by the pure packages it drives (codec/handshake, codec/chunk,
// codec/message, core and core/relay).
//
// # Shape of a connection
//
// Serve accepts connections and gives each three goroutines:
//
//   - a reader, which reads into two reused buffers in turn and hands each
//     read to the loop;
//   - the loop, the only owner of the connection's core.Session value: it
//     feeds the handshake, then the chunk decoder, decodes each message,
//     steps the session and carries out the effects in order (messages
//     encoded into one write buffer per batch, events to the Handler, byte
//     totals fed back, deadlines turned into one timer). Application calls
//     from any goroutine (Conn.Accept, Reject, Send, Ping, Close, Do) are
//     queued into this loop;
//   - a writer, which writes whatever is queued with one vectored write
//     (net.Buffers), so batching happens on its own when the socket is
//     slower than the producers and nothing is held back to wait for more.
//
// Everything is bounded: the handshake (Config.HandshakeTimeout, 10 s),
// idle reads, each write, the number of connections, and the bytes queued
// per connection, where session output is never dropped and media offered
// with Conn.QueueMedia is refused past the bound.
//
// Cancelling Serve's context stops accepting, closes every session cleanly
// (streams finish, the application hears it), waits Config.ShutdownGrace,
// closes what is left, and returns once every goroutine is gone. RTMPS is
// the same server on a tls.NewListener.
//
// # Relaying
//
// Relay is a ready Handler for a live relay server (it is what
// driver/cmd/rtmpd runs): core/relay decides who gets what, and Relay
// encodes each media message once per chunk size and message stream id
// (Frame) and queues the same bytes to every player.
package driver
