// Package rtmpt carries RTMP over HTTP, the way RTMPT clients speak it
// (ffmpeg's and librtmp's rtmpt:// URLs, Flash Player): for networks that
// let only HTTP through.
//
// An RTMPT client sends its RTMP bytes in HTTP POST bodies and gets the
// server's bytes back in the replies, polling when it has nothing to send:
//
//	POST /open/1              opens a session; the reply is its id and a newline
//	POST /send/ID/SEQ         carries RTMP bytes; the reply carries the server's
//	POST /idle/ID/SEQ         polls; the reply carries the server's
//	POST /close/ID/SEQ        ends the session
//
// Every reply to send, idle and close starts with one byte, the interval
// the client should wait before polling again: 1 while data flows, larger
// after a run of empty replies. Content-Type is application/x-fcs.
//
// A Listener is both an http.Handler, which serves those requests, and a
// net.Listener, whose Accept returns each session as a net.Conn: hand it
// to driver.Serve and an RTMPT session is served exactly like a TCP
// connection, by the same session code.
//
// Dial is the client's end, a net.Conn too: it makes one request at a
// time, a send whenever something was written, an idle poll otherwise,
// waiting between empty polls as the interval byte says.
package rtmpt
