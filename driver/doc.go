// Package driver runs RTMP server sessions over TCP and TLS. It is the
// thin, impure part of the library: it owns sockets, goroutines, buffers,
// deadlines and the clock, while everything the protocol decides is
// decided by the pure packages it drives (codec/handshake, codec/chunk,
// codec/message, core/serverconn and core). driver/live is the relay
// built on it, driver/dial the client.
//
// # Serving
//
// Serve accepts connections on a listener (RTMPS is the same server on a
// tls.NewListener) and hands each connection's events to a Handler, which
// answers through the Conn (Accept, Reject, Send, Ping, Close, Do). Serve
// gives each connection one goroutine, and a second while it has bytes
// waiting to be written:
//
//   - the loop, the only owner of the connection's core.Session value: it
//     reads the socket itself, feeds the handshake, then the chunk
//     decoder, decodes each message, steps the session and carries out the
//     effects in order (messages encoded into one buffer per batch, events
//     to the Handler, byte totals fed back). It waits in a read whose
//     deadline is the earliest of the idle timeout, the handshake's and
//     the session's next wake, so it needs no timer; Conn calls from any
//     goroutine are queued for it and wake it by moving that deadline to
//     the past. A plain TCP connection waits without a read buffer and
//     borrows a shared one for a read that has bytes, so an idle
//     connection or a player holds none;
//   - a writer, which writes whatever is queued with vectored writes
//     (net.Buffers, 16 buffers a call), so batching happens on its own
//     when the socket is slower than the producers and nothing is held
//     back to wait for more.
//     It starts when something is queued and ends when nothing is left, so
//     an idle connection, or a player whose media goes out by direct
//     writes, has none most of the time.
//
// Media offered with Conn.QueueMedia while a plain TCP connection's queue
// is empty skips the writer: the offering goroutine makes one
// non-blocking write itself (encrypting it first on an RTMPE connection),
// and only what the socket does not take is queued (Config.NoDirectWrites
// turns this off). A live.Relay offers one
// message to a stream's players from up to GOMAXPROCS goroutines at once
// (live.Relay.FanOutWriters), each taking a contiguous range of them, and
// finishes the message before the next. Config.Nagle turns
// Nagle's algorithm on for a relay's players once their fast start is
// written, so the kernel merges their small writes into fewer segments
// for a little delay. Config.MergeWrites goes further, for a delay the
// user chooses: once a player's fast start is queued, its live media
// waits up to that long and leaves in one vectored write per player per
// flush, made by one merger per period for every player of the process
// at once (live.Relay.MergeWrites brings HTTP-FLV players to it); what
// must not wait (session output, the relay's notices) takes what is held
// with it. See driver/cmd/rtmpbench/README.md for what each costs.
//
// Everything is bounded: the handshake (Config.HandshakeTimeout), idle
// reads, each write, the number of connections, and the bytes queued per
// connection, where session output is never dropped and media offered
// with Conn.QueueMedia is refused past Config.MaxQueuedBytes. Over them,
// Config.Budget bounds what a peer can make its connection hold at once:
// partial messages, the message being handled with the AMF values it
// decodes to (Config.AMF bounds those too), and the send queue with the
// relay's media and the fast-start frames it pins; a peer whose connect is
// not accepted yet gets a small part of it. A connection past its budget
// ends with ErrMemoryBudget, logged as a warning, and no other connection
// notices; Config.Stats reports the bytes held and the connections ended.
//
// Cancelling Serve's context stops accepting, closes every session cleanly
// (streams finish, the application hears it), waits Config.ShutdownGrace,
// closes what is left, and returns once every goroutine is gone.
// Config.Stats counts the connections and bytes of one or more servers.
package driver
