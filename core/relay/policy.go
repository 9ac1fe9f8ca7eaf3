package relay

// Policy is who may publish and play, as a Conn decides it.
type Policy struct {
	// PublishKey, if set, must be given as ?key= in the publish name or
	// in the connect URL's query to publish (see KeyOK).
	PublishKey string
	// PlayKey, if set, must be given the same way to play.
	PlayKey string
	// Authorize, if set, asks the caller's authorizer about every publish
	// and play that passed the keys (an Authorize effect) before
	// answering it.
	Authorize bool
	// SecondPublisher is what an allowed publish to a path that has a
	// publisher does: by default it takes the path over.
	SecondPublisher PublishPolicy
}

// PublishPolicy is what a publish request, allowed by the keys and the
// authorizer, does to a path that already has a publisher.
type PublishPolicy uint8

const (
	// TakeOverPublisher, the default, lets the new publisher replace the
	// current one, which is sent NetStream.Publish.BadName ("taken over
	// by a new publisher") and disconnected; the players stay and go on
	// with the new publisher's stream from its first keyframe, its
	// timestamps continuing theirs (see Stream.TakeOver).
	//
	// It is the default because the usual second publisher of a key is
	// the same encoder coming back: after a network drop, a crash or a
	// restart it reconnects at once, while the server still holds the
	// old connection and would refuse it until the ping or idle timeout
	// noticed the old one gone, a minute with no picture. Who may take
	// over is who may publish: the publish key and the authorizer gate
	// both the same way, so it gives nobody a power a publisher did not
	// have. A second encoder misconfigured onto a live key is no worse off
	// either way: refused, its stream is missing; taking over, the two
	// alternate, and each takeover is logged.
	TakeOverPublisher PublishPolicy = iota
	// RefuseSecondPublisher keeps the current publisher and refuses the
	// new one with NetStream.Publish.BadName, as nginx-rtmp does.
	RefuseSecondPublisher
)
