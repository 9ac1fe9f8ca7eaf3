package relay

import (
	"slices"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/core"
)

// Conn is the relay's side of one server connection: it takes the events
// of the connection's session and decides what the relay does with them,
// under a Policy. It never touches a Stream itself, which many connections
// share: what needs one comes back as an effect (Publish, Play, Leave,
// ClearMetadata) that the caller applies with Apply while it holds
// whatever guards that stream, or as a message to fan out (Forward,
// Media). A Conn belongs to its connection alone, so it needs no guard of
// its own.
//
// The loop of a caller, per event of the session:
//
//	for _, e := range rc.Step(ev) {
//		switch e := e.(type) {
//		case relay.Publish: // find the path's stream, guard it, then
//			carryOut(rc.Apply(stream, e))
//		case relay.AcceptRequest: // ... and the others
//		}
//	}
type Conn struct {
	id     uint64
	policy Policy
	remote string
	// What connect said, for the keys and the authorizer.
	query, tcURL, flashVer, swfURL, pageURL string
	// view is what the connection's players receive (see ViewFor).
	view View
	// publishing and playing map message stream ids to what they do.
	publishing map[uint32]*publisher
	playing    map[uint32]*Stream
	// asked holds the requests waiting for the authorizer's answer.
	asked map[core.RequestID]question
}

// publisher is one publishing message stream of a connection.
type publisher struct {
	st *Stream
	id ClientID
	// last is the timestamp of the publisher's latest audio or video
	// message: the session reports metadata without the timestamp it came
	// with, and metadata belongs where it arrived in the stream.
	last uint32
}

// question is a request the authorizer is deciding.
type question struct {
	publish  bool
	path     Path
	streamID uint32
}

// NewConn returns the relay's side of connection id, whose peer is at
// remote (host:port, for the authorizer). The id must be unique among the
// caller's connections while they live: player and publisher ids are
// made from it (ConnClient).
func NewConn(id uint64, remote string, p Policy) *Conn {
	return &Conn{
		id: id, remote: remote, policy: p, view: ViewLegacy,
		publishing: map[uint32]*publisher{},
		playing:    map[uint32]*Stream{},
		asked:      map[core.RequestID]question{},
	}
}

// ViewFor picks what a player receives from what it declared in connect:
// every track if it reads multitrack, else the default track, in the
// legacy form too when it declared nothing of Enhanced RTMP.
func ViewFor(c core.Capabilities) View {
	switch {
	case c.Multitrack():
		return ViewAll
	case c.Enhanced():
		return ViewDefaultTrack
	}
	return ViewLegacy
}

// Step decides what one event of the connection's session asks of the
// relay. Events the relay has no part in return nothing.
func (c *Conn) Step(ev core.Event) []Effect {
	switch ev := ev.(type) {
	case core.ConnectionRequested:
		c.query, c.tcURL, c.flashVer, c.swfURL, c.pageURL = ev.Query, ev.TCURL, ev.FlashVer, ev.SWFURL, ev.PageURL
		detach(&c.query, &c.tcURL, &c.flashVer, &c.swfURL, &c.pageURL)
		c.view = ViewFor(ev.Client)
		return []Effect{AcceptRequest{Request: ev.Request}}
	case core.PublishStreamRequested:
		p := Path{App: ev.App, Key: ev.StreamKey}
		if !KeyOK(c.policy.PublishKey, ev.Query, c.query) {
			return []Effect{RejectRequest{Request: ev.Request, Reason: core.RejectDenied, Description: "a valid key is required to publish"}}
		}
		q := question{publish: true, path: p, streamID: ev.StreamID}
		if c.policy.Authorize {
			return c.ask(ev.Request, q, "publish", ev.Query)
		}
		return []Effect{c.publish(ev.Request, q)}
	case core.PlayStreamRequested:
		p := Path{App: ev.App, Key: ev.StreamKey}
		if !KeyOK(c.policy.PlayKey, ev.Query, c.query) {
			return []Effect{RejectRequest{Request: ev.Request, Reason: core.RejectDenied, Description: "a valid key is required to play"}}
		}
		if c.policy.Authorize {
			return c.ask(ev.Request, question{path: p, streamID: ev.StreamID}, "play", ev.Query)
		}
		return []Effect{AcceptRequest{Request: ev.Request}}
	case core.PlayStreamStarted:
		p := Path{App: ev.App, Key: ev.StreamKey}
		return []Effect{Play{Path: p, StreamID: ev.StreamID, ID: ConnClient(c.id, ev.StreamID), View: c.view}}
	case core.AudioVideoDataReceived:
		if st, id, m, ok := c.Media(ev); ok {
			return []Effect{Forward{Stream: st, ID: id, Media: m}}
		}
	case core.StreamMetaDataChanged:
		// The AMF0 encoder writes the keys as the session decoded them,
		// every one in its order, nested objects included.
		if pub := c.publishing[ev.StreamID]; pub != nil {
			return pub.data(Metadata, pub.last, "onMetaData", ev.MetaData)
		}
	case core.DataReceived:
		if pub := c.publishing[ev.StreamID]; pub != nil {
			return pub.data(Data, ev.Timestamp, ev.Values...)
		}
	case core.StreamMetaDataCleared:
		if pub := c.publishing[ev.StreamID]; pub != nil {
			return []Effect{ClearMetadata{Stream: pub.st, ID: pub.id}}
		}
	case core.PublishingFinished:
		if pub := c.publishing[ev.StreamID]; pub != nil {
			delete(c.publishing, ev.StreamID)
			return []Effect{Leave{Stream: pub.st, ID: pub.id, Publisher: true, Why: "unpublished by the client"}}
		}
	case core.PlayStreamFinished:
		if st := c.playing[ev.StreamID]; st != nil {
			delete(c.playing, ev.StreamID)
			return []Effect{Leave{Stream: st, ID: ConnClient(c.id, ev.StreamID), Why: "stopped by the client"}}
		}
	}
	return nil
}

// Media is Step for audio and video, the relay's hot path, without an
// effect to allocate: it returns the stream the message goes to and who
// sends it, for the caller to fan out with Stream.Media, or false when the
// message's stream publishes nothing.
func (c *Conn) Media(ev core.AudioVideoDataReceived) (*Stream, ClientID, Media, bool) {
	pub := c.publishing[ev.StreamID]
	if pub == nil {
		return nil, 0, Media{}, false
	}
	kind := Audio
	if ev.Kind == core.KindVideo {
		kind = Video
	}
	pub.last = ev.Timestamp
	return pub.st, pub.id, Media{Kind: kind, Timestamp: ev.Timestamp, Payload: ev.Data}, true
}

// Authorized takes the authorizer's answer to an Authorize effect: nil
// allows the request, an error refuses it with its text as the
// description the client sees. An answer to nothing asked is ignored.
func (c *Conn) Authorized(r core.RequestID, err error) []Effect {
	q, ok := c.asked[r]
	if !ok {
		return nil
	}
	delete(c.asked, r)
	switch {
	case err != nil:
		return []Effect{RejectRequest{Request: r, Reason: core.RejectDenied, Description: err.Error()}}
	case q.publish:
		return []Effect{c.publish(r, q)}
	}
	return []Effect{AcceptRequest{Request: r}}
}

// Close ends what the connection still published or played when it
// closed (the session normally finished them already), in the order of
// their message streams.
func (c *Conn) Close() []Effect {
	var fx []Effect
	for _, sid := range slices.Sorted(mapKeys(c.publishing)) {
		pub := c.publishing[sid]
		fx = append(fx, Leave{Stream: pub.st, ID: pub.id, Publisher: true, Why: "connection closed"})
	}
	for _, sid := range slices.Sorted(mapKeys(c.playing)) {
		fx = append(fx, Leave{Stream: c.playing[sid], ID: ConnClient(c.id, sid), Why: "connection closed"})
	}
	clear(c.publishing)
	clear(c.playing)
	clear(c.asked)
	return fx
}

func (c *Conn) ask(r core.RequestID, q question, action, query string) []Effect {
	c.asked[r] = q
	return []Effect{Authorize{Request: r, Auth: AuthRequest{
		Action: action, Path: q.path, Query: query, ConnectQuery: c.query,
		TCURL: c.tcURL, FlashVer: c.flashVer, SWFURL: c.swfURL, PageURL: c.pageURL,
		Remote: c.remote,
	}}}
}

func (c *Conn) publish(r core.RequestID, q question) Effect {
	return Publish{Request: r, Path: q.path, StreamID: q.streamID, ID: ConnClient(c.id, q.streamID)}
}

// data makes a data message of the publisher, AMF0 encoded as players
// receive it (type 18, whatever the publisher sent it as).
func (pub *publisher) data(kind Kind, ts uint32, values ...amf0.Value) []Effect {
	payload, err := amf0.Append(nil, values...)
	if err != nil {
		return []Effect{Warning{Path: pub.st.Path(), What: kind.String() + " message not relayed", Err: err}}
	}
	return []Effect{Forward{Stream: pub.st, ID: pub.id, Media: Media{Kind: kind, Timestamp: ts, Payload: payload}}}
}

func mapKeys[V any](m map[uint32]V) func(func(uint32) bool) {
	return func(yield func(uint32) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// detach copies strings into one new allocation: strings of a decoded
// message keep all of the message's memory, which a connection should not
// hold for its whole life for the sake of a few of them.
func detach(ss ...*string) {
	n := 0
	for _, s := range ss {
		n += len(*s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range ss {
		b.WriteString(*s)
	}
	all := b.String()
	for _, s := range ss {
		*s, all = all[:len(*s)], all[len(*s):]
	}
}
