// Package sendq is the socket plumbing the server's connections and the
// relay's HTTP-FLV players share: a bounded queue of outbound bytes
// (Queue), the writer goroutine that drains it (WriteLoop, or one started
// on demand by Queue.WriteLazily), and writes that go straight to a TCP
// socket without blocking while it keeps up.
package sendq
