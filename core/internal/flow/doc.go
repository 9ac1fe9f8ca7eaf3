// Package flow is the byte accounting that both ends of an RTMP connection
// keep, the server session (package core) and the client session (package
// core/client) alike: acknowledging received bytes against the peer's
// Window Acknowledgement Size (RTMP 1.0, sections 5.4.3 and 5.4.4), and
// the output limit the peer sets with Set Peer Bandwidth together with the
// window size we answer it with (section 5.4.5).
//
// The types here only count and decide; the sessions turn their answers
// into messages and effects of their own, so each keeps its own way of
// reporting while the rules exist once.
package flow
