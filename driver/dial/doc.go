// Package dial is the RTMP client: Dial (or Config.Dial) connects to an
// RTMP URL (rtmp://, rtmps://, rtmpe://, or tunnelled in HTTP: rtmpt://,
// rtmpte://, rtmpts://), runs the handshakes and connect through
// core/clientconn, and returns a Conn driving a core/client session; Conn.Publish gives a Publication to write
// messages or FLV tags to, and Conn.Play a Playback to read them
// from. A Conn writes from the calling goroutine and reads on one
// goroutine of its own; it follows an Enhanced RTMP reconnect request as
// Config.Reconnect says.
package dial
