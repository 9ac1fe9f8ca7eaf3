// Package handover is the reconnect lifecycle of one client connection as
// a pure state machine: which server a publication's write goes to while
// an Enhanced RTMP reconnect request moves the connection from one server
// to another, what is kept so that the new server's stream has no hole,
// and when a stream start of the application may go out.
//
// The driver tells a Lifecycle what happened (a request is followed, the
// current server takes no more writes, the new server carries every
// stream, the switch is done, the connection ended) and asks it, for each
// write, where the write goes: to the current server (Send), into the
// publication's hold for the new server (Hold), or nowhere, with an error
// the caller gets. No write is dropped with a nil error: a held write
// reaches the new server at the switch, or the connection ends with an
// *UnsentError that counts it.
//
// The phases:
//
//	Steady  one server carries the connection; stream starts go out
//	Moving  a request is followed; writes go to the old server while the
//	        new one is prepared
//	Ready   the new server carries every stream; writes go to the old
//	        server until a point players can start from, where the
//	        connection switches
//	Doubt   a write to the only server failed; a reconnect request it sent
//	        before closing may still be read; writes are held (or fail,
//	        when the connection does not follow requests)
//	Gap     a request is followed and the old server takes no more
//	        writes; they are held until the new server is ready
//	Ended   the connection is over; every write fails
//
// Stream starts (Publish, Play) go out in Steady only: in every other
// phase but Ended they wait, and land on the server the connection ends up
// on.
package handover
