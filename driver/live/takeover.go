package live

import (
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// PublishPolicy is what a Relay does with a publish request, allowed by
// the keys and Authorize, for a path that already has a publisher (see
// relay.PublishPolicy, which decides).
type PublishPolicy = relay.PublishPolicy

// The policies; see their documentation in core/relay.
const (
	// TakeOverPublisher, the default, lets the new publisher replace the
	// current one, which is told and disconnected; the players stay.
	TakeOverPublisher = relay.TakeOverPublisher
	// RefuseSecondPublisher keeps the current publisher and refuses the
	// new one with NetStream.Publish.BadName, as nginx-rtmp does.
	RefuseSecondPublisher = relay.RefuseSecondPublisher
)

// publisherRef is where a stream's publisher is, so that a takeover can
// disconnect it: a network connection's stream or a local publisher.
type publisherRef struct {
	id       relay.ClientID
	c        *driver.Conn
	streamID uint32
	local    *LocalPublisher
}

// dropPublisher carries out a relay.DisconnectPublisher: the old
// publisher is sent the relay's notice and disconnected, and what
// followed it alone (a push link's or a recording's subscriber) ends with
// it; st is locked.
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
	if old.c != nil {
		old.c.Send(d.Notice.StreamID, d.Notice.Body)
		old.c.CloseFor(d.Reason)
	}
	// A local publisher finds out at its next WriteMedia, which the relay
	// refuses (see fanout).
}
