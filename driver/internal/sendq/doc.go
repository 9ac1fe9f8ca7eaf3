// Package sendq is the socket plumbing the server's connections and the
// relay's HTTP-FLV players share: a bounded queue of outbound bytes
// (Queue), the writer goroutine that drains it (WriteLoop, or one started
// on demand by Queue.WriteLazily), writes that go straight to a TCP
// socket without blocking while it keeps up, and merged writes (Merger):
// a queue's media held up to a period and written in one vectored write,
// by one merger per period in the process (ShareMerger).
package sendq
