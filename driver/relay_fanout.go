package driver

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// fanout relays one message of a path's publisher, network or local.
func (r *Relay) fanout(st *relayStream, m relay.Media) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settle()
	st.s.Media(m, &st.fanout)
	// One frame per distinct payload: views that leave the message as it
	// is (every view, for a legacy stream) share the original's, and
	// views that cut the same bytes share theirs.
	var frames [relay.NumViews]*Frame
	var made [relay.NumViews]*Frame
	n := 0
	for i, id := range st.fanout.To {
		v := st.fanout.Views[i]
		vm := st.fanout.Payload(v)
		f := frames[v]
		if f == nil {
			for _, g := range made[:n] {
				if sameBytes(g.msg.Payload, vm.Payload) {
					f = g
					break
				}
			}
			if f == nil {
				f = newMediaFrame(vm)
				made[n], n = f, n+1
			}
			frames[v] = f
		}
		r.deliver(st, id, f, vm.Cost())
	}
	for _, d := range st.fanout.Disconnect {
		if pl := st.players[d.Player]; pl != nil {
			delete(st.players, d.Player)
			if pl.local != nil {
				pl.local.dropped(d.Reason)
				continue
			}
			pl.c.log.Info("player disconnected", "path", st.path.String(), "reason", d.Reason)
			pl.c.Close()
		}
	}
}

// settle tells the stream what its players' connections wrote since the
// last time; st is locked.
func (st *relayStream) settle() {
	for id, pl := range st.players {
		if n := pl.written.Swap(0); n != 0 {
			st.s.Written(id, int(n))
		}
	}
}

// sameBytes reports whether two payloads are the same bytes in memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// newMediaFrame wraps a relayed message in a Frame of its RTMP type.
func newMediaFrame(m relay.Media) *Frame {
	t := message.TypeAudio
	switch m.Kind {
	case relay.Video:
		t = message.TypeVideo
	case relay.Metadata, relay.Data:
		t = message.TypeDataAMF0
	}
	return NewFrame(t, m.Timestamp, m.Payload)
}

// deliver queues a frame to one player; st is locked.
func (r *Relay) deliver(st *relayStream, id relay.ClientID, f *Frame, cost int) {
	pl := st.players[id]
	if pl == nil {
		st.s.Written(id, cost)
		return
	}
	if pl.local != nil {
		if !pl.local.offer(f, cost) {
			st.s.Written(id, cost)
		}
		return
	}
	if pl.c.QueueFrame(f, pl.streamID, cost, pl.ack) {
		return
	}
	// The connection refused it (its own bound, or it is closing): the
	// relay must not count it as queued.
	st.s.Written(id, cost)
}

// carryOut executes the relay's effects; st is locked.
func (r *Relay) carryOut(st *relayStream, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.Send:
			r.deliver(st, e.Player, newMediaFrame(e.Media), e.Media.Cost())
		case relay.PublishStarted:
			if pl := st.players[e.Player]; pl != nil && pl.local == nil {
				notify(pl, message.StreamBegin{StreamID: pl.streamID},
					onStatus("NetStream.Play.PublishNotify", st.path.Key+" is now published."))
			}
		case relay.PublishStopped:
			if pl := st.players[e.Player]; pl != nil && pl.local != nil {
				pl.local.publishStopped()
			} else if pl != nil {
				notify(pl, message.StreamEOF{StreamID: pl.streamID},
					onStatus("NetStream.Play.UnpublishNotify", st.path.Key+" is now unpublished."))
			}
		case relay.Disconnect:
			if pl := st.players[e.Player]; pl != nil {
				delete(st.players, e.Player)
				if pl.local != nil {
					pl.local.dropped(e.Reason)
				} else {
					pl.c.Close()
				}
			}
		}
	}
}

// notify queues a user control event (on stream 0) and a status command
// (on the player's stream) to a network player in line with its media, so
// that they arrive between the frames they belong between.
func notify(pl *relayPlayer, event message.Body, status message.Command) {
	for _, m := range []message.Message{
		{Body: event},
		{StreamID: pl.streamID, Body: status},
	} {
		if err := pl.c.QueueNotice(m); err != nil {
			pl.c.Logger().Error("cannot encode a relay notice", "err", err)
		}
	}
}

// onStatus is a status-level onStatus command a relay sends a player.
func onStatus(code, description string) message.Command {
	return message.Command{
		Name: "onStatus",
		Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "status"},
			{Key: "code", Value: code},
			{Key: "description", Value: description},
		}},
	}
}
