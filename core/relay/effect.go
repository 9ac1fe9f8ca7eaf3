package relay

import (
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// Effect is what the relay asks its caller to do. The set is closed: the
// types in this file are all there is. Effects are returned in the order
// they must be carried out.
//
// Stream's methods return Send, PublishStarted, PublishStopped, Disconnect
// and DisconnectPublisher. Conn, the relay's side of one connection, adds
// the rest: answers to the session's requests, a question for the
// authorizer, the stream operations to apply (Publish, Play, Leave,
// ClearMetadata) and what to fan out (Forward).
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
// path. Notice is what a network player is sent, in line with its media:
// Stream Begin and NetStream.Play.PublishNotify.
type PublishStarted struct {
	Player ClientID
	Notice []message.Message
}

// PublishStopped tells a player that the publisher left. Notice is what a
// network player is sent: Stream EOF and NetStream.Play.UnpublishNotify;
// an HTTP-FLV player's body ends instead. The player stays registered and
// waits for the next publisher.
type PublishStopped struct {
	Player ClientID
	Notice []message.Message
}

// Disconnect asks for a player to be disconnected because it fell behind
// for longer than Config.MaxBehindMillis or beyond Config.HardQueueBytes.
// The relay has already removed it.
type Disconnect struct {
	Player ClientID
	Reason error
}

// DisconnectPublisher asks for a publisher that TakeOver replaced to be
// sent Notice (NetStream.Publish.BadName, on its message stream) and
// disconnected. The relay has already removed it.
type DisconnectPublisher struct {
	Publisher ClientID
	Reason    error
	Notice    message.Message
}

// AcceptRequest asks for a pending request of the session (connect,
// publish, play) to be accepted.
type AcceptRequest struct{ Request core.RequestID }

// RejectRequest asks for a pending request of the session to be refused
// with Reason and Description, which the client sees.
type RejectRequest struct {
	Request     core.RequestID
	Reason      core.RejectReason
	Description string
}

// Authorize asks the caller's authorizer about a publish or play that
// passed the keys; its answer goes back in Conn.Authorized. The request
// waits meanwhile, for as long as the caller lets it.
type Authorize struct {
	Request core.RequestID
	Auth    AuthRequest
}

// Publish asks the caller to apply, with Conn.Apply, a publish to the
// stream of Path (the caller finds or creates it, and holds whatever
// guards it).
type Publish struct {
	Request  core.RequestID
	Path     Path
	StreamID uint32
	ID       ClientID
}

// Play asks the caller to apply, with Conn.Apply, a player joining the
// stream of Path in View. A caller with per-player state (a queue, a
// socket) registers it for ID before applying, since the fast start that
// Apply returns is addressed to ID.
type Play struct {
	Path     Path
	StreamID uint32
	ID       ClientID
	View     View
}

// Leave asks the caller to apply, with Conn.Apply, a publisher or player
// leaving Stream. Why says who ended it, for the log.
type Leave struct {
	Stream    *Stream
	ID        ClientID
	Publisher bool
	Why       string
}

// ClearMetadata asks the caller to apply, with Conn.Apply, forgetting the
// cached metadata of Stream, if ID still publishes it.
type ClearMetadata struct {
	Stream *Stream
	ID     ClientID
}

// Forward asks for a message of the publisher ID to be fanned out on
// Stream with Stream.Media (data messages and metadata; audio and video
// take Conn.Media, which allocates nothing).
type Forward struct {
	Stream *Stream
	ID     ClientID
	Media  Media
}

// Published reports that ID publishes on Path now, having replaced a
// publisher if TookOver: links that wait for the path may start.
type Published struct {
	Path     Path
	ID       ClientID
	TookOver bool
}

// Playing reports that ID plays Path now: a pull link may be wanted.
type Playing struct {
	Path Path
	ID   ClientID
}

// Left reports that ID no longer publishes or plays Path, for Why: a push
// or pull link may stop.
type Left struct {
	Path      Path
	ID        ClientID
	Publisher bool
	Why       string
}

// Forget asks the caller to drop Stream from its registry if it is still
// empty once the caller holds the registry's guard (see Registry.Forget).
type Forget struct{ Stream *Stream }

// Warning reports something the relay did not do and the caller may log:
// What, on Path, failed with Err.
type Warning struct {
	Path Path
	What string
	Err  error
}

func (Send) isEffect()                {}
func (PublishStarted) isEffect()      {}
func (PublishStopped) isEffect()      {}
func (Disconnect) isEffect()          {}
func (DisconnectPublisher) isEffect() {}
func (AcceptRequest) isEffect()       {}
func (RejectRequest) isEffect()       {}
func (Authorize) isEffect()           {}
func (Publish) isEffect()             {}
func (Play) isEffect()                {}
func (Leave) isEffect()               {}
func (ClearMetadata) isEffect()       {}
func (Forward) isEffect()             {}
func (Published) isEffect()           {}
func (Playing) isEffect()             {}
func (Left) isEffect()                {}
func (Forget) isEffect()              {}
func (Warning) isEffect()             {}
