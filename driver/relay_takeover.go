package driver

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// PublishPolicy is what a Relay does with a publish request, allowed by
// the keys and Authorize, for a path that already has a publisher.
type PublishPolicy uint8

const (
	// TakeOverPublisher, the default, lets the new publisher replace the
	// current one, which is sent NetStream.Publish.BadName ("taken over
	// by a new publisher") and disconnected; the players stay and go on
	// with the new publisher's stream from its first keyframe, its
	// timestamps continuing theirs.
	//
	// It is the default because the usual second publisher of a key is
	// the same encoder coming back: after a network drop, a crash or a
	// restart it reconnects at once, while the server still holds the
	// old connection and would refuse it until the ping or idle timeout
	// noticed the old one gone, a minute with no picture. Who may take
	// over is who may publish: the publish key and Authorize gate both
	// the same way, so it gives nobody a power a publisher did not have.
	// A second encoder misconfigured onto a live key is no worse off
	// either way: refused, its stream is missing; taking over, the two
	// alternate, and each takeover is logged.
	TakeOverPublisher PublishPolicy = iota
	// RefuseSecondPublisher keeps the current publisher and refuses the
	// new one with NetStream.Publish.BadName, as nginx-rtmp does.
	RefuseSecondPublisher
)

// publisherRef is where a stream's publisher is, so that a takeover can
// disconnect it: a network connection's stream or a local publisher.
type publisherRef struct {
	id       relay.ClientID
	c        *Conn
	streamID uint32
	local    *LocalPublisher
}

// takenOverStatus is what a publisher that was taken over is told:
// BadName, at level error, is what it would have been answered had it
// come second and been refused, and clients log an error status
// (ffmpeg prints "Server error: " and the description) where they pass
// over a status-level one such as NetStream.Unpublish.Success.
func takenOverStatus(p relay.Path) message.Command {
	return message.Command{
		Name: "onStatus",
		Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "error"},
			{Key: "code", Value: "NetStream.Publish.BadName"},
			{Key: "description", Value: p.String() + " taken over by a new publisher"},
		}},
	}
}

// publishOnPath makes id the path's publisher by the Relay's policy; st
// is locked.
func (r *Relay) publishOnPath(st *relayStream, id relay.ClientID) ([]relay.Effect, error) {
	if r.SecondPublisher == RefuseSecondPublisher {
		return st.s.Publish(id)
	}
	return st.s.TakeOver(id)
}

// dropPublisher carries out a relay.DisconnectPublisher: the old
// publisher is told why and disconnected, and what followed it alone (a
// push link's or a recording's subscriber) ends with it; st is locked.
func (r *Relay) dropPublisher(st *relayStream, d relay.DisconnectPublisher) {
	st.gop.reset() // the cache forgot the old publisher's messages
	for _, pl := range st.players {
		if pl.local != nil && pl.local.follows == d.Publisher {
			pl.local.publishStopped()
		}
	}
	old := st.pub
	if old.id != d.Publisher {
		return
	}
	st.pub = publisherRef{}
	switch {
	case old.c != nil:
		old.c.Send(old.streamID, takenOverStatus(st.path))
		old.c.CloseFor(d.Reason)
	}
	// A local publisher finds out at its next WriteMedia, which the relay
	// refuses (see fanout).
}

// tookOver reports whether the effects of a publish replaced a publisher.
func tookOver(fx []relay.Effect) bool {
	for _, e := range fx {
		if _, ok := e.(relay.DisconnectPublisher); ok {
			return true
		}
	}
	return false
}
