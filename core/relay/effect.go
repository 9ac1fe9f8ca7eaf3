package relay

// Effect is what the relay asks its caller to do after Publish, TakeOver,
// Play or Leave. The set is closed: the types in this file are all there
// is. Effects are returned in the order they must be carried out.
type Effect interface{ isEffect() }

// Send asks for one message to be queued to one player. Play returns these
// for the fast-start cache: metadata, sequence headers, then the frames
// since the last keyframe, in their original order. Media is already in
// the player's view, and its Cost is what the player was charged.
type Send struct {
	Player ClientID
	Media  Media
}

// PublishStarted tells a waiting player that a publisher started on its
// path; a driver sends Stream Begin and NetStream.Play.PublishNotify.
type PublishStarted struct{ Player ClientID }

// PublishStopped tells a player that the publisher left; a driver sends
// Stream EOF and NetStream.Play.UnpublishNotify. The player stays
// registered and waits for the next publisher.
type PublishStopped struct{ Player ClientID }

// Disconnect asks for a player to be disconnected because it fell behind
// for longer than Config.MaxBehindMillis or beyond Config.HardQueueBytes.
// The relay has already removed it.
type Disconnect struct {
	Player ClientID
	Reason error
}

// DisconnectPublisher asks for a publisher that TakeOver replaced to be
// told why and disconnected. The relay has already removed it.
type DisconnectPublisher struct {
	Publisher ClientID
	Reason    error
}

func (Send) isEffect()                {}
func (PublishStarted) isEffect()      {}
func (PublishStopped) isEffect()      {}
func (Disconnect) isEffect()          {}
func (DisconnectPublisher) isEffect() {}
