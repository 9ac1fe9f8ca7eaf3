package relay

import "github.com/gortmp/rtmp/core"

// Apply carries out on st an effect of Step or Authorized that needs the
// stream (Publish, Play, Leave, ClearMetadata) and returns what follows,
// in order. For Publish and Play, st is the stream of the effect's Path;
// the caller holds whatever guards st, and keeps holding it while it
// carries out the Sends and notices returned, so that they reach the
// players before the stream's next message. Other effects return nothing.
func (c *Conn) Apply(st *Stream, e Effect) []Effect {
	switch e := e.(type) {
	case Publish:
		return c.applyPublish(st, e)
	case Play:
		fx, err := st.PlayView(e.ID, e.View)
		if err != nil {
			return forgetIfEmpty(st, []Effect{Warning{Path: e.Path, What: "play refused", Err: err}})
		}
		c.playing[e.StreamID] = st
		return append(fx, Playing{Path: e.Path, ID: e.ID})
	case Leave:
		fx := st.Leave(e.ID)
		fx = append(fx, Left{Path: st.Path(), ID: e.ID, Publisher: e.Publisher, Why: e.Why})
		return forgetIfEmpty(st, fx)
	case ClearMetadata:
		if st.IsPublisher(e.ID) {
			st.ClearMetadata()
		}
	}
	return nil
}

// applyPublish makes e.ID the publisher of st by the policy: a path that
// has a publisher is taken over, or refused with BadName.
func (c *Conn) applyPublish(st *Stream, e Publish) []Effect {
	publish := st.TakeOver
	if c.policy.SecondPublisher == RefuseSecondPublisher {
		publish = st.Publish
	}
	fx, err := publish(e.ID)
	if err != nil {
		return forgetIfEmpty(st, []Effect{RejectRequest{Request: e.Request, Reason: core.RejectBadName, Description: e.Path.String() + " is already being published"}})
	}
	c.publishing[e.StreamID] = &publisher{st: st, id: e.ID}
	tookOver := len(fx) > 0 && isDisconnectPublisher(fx[0])
	out := make([]Effect, 0, len(fx)+2)
	out = append(out, AcceptRequest{Request: e.Request})
	out = append(out, fx...)
	return append(out, Published{Path: e.Path, ID: e.ID, TookOver: tookOver})
}

func isDisconnectPublisher(e Effect) bool {
	_, ok := e.(DisconnectPublisher)
	return ok
}

// forgetIfEmpty appends a Forget when nobody is left on st.
func forgetIfEmpty(st *Stream, fx []Effect) []Effect {
	if st.Empty() {
		fx = append(fx, Forget{Stream: st})
	}
	return fx
}
