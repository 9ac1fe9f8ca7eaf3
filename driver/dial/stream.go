package dial

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/handover"
)

// createStream asks l's server for a message stream and returns its id.
func (c *Conn) createStream(ctx context.Context, l *clientLink) (uint32, error) {
	c.mu.Lock()
	c.nextReq++
	req := c.nextReq
	c.mu.Unlock()
	ans, err := c.request(ctx, l, waitKey{1, uint32(req)}, client.CreateStream{Request: req})
	if err != nil {
		return 0, err
	}
	switch a := ans.(type) {
	case client.StreamCreated:
		return a.StreamID, nil
	case client.CreateStreamFailed:
		return 0, fmt.Errorf("dial: createStream refused: %s %s", a.Code, a.Description)
	}
	return 0, fmt.Errorf("dial: unexpected answer %s", client.DescribeEffect(ans))
}

// settled waits until no reconnect is in progress and returns the link in
// use: a stream started during a reconnect starts on the new server.
func (c *Conn) settled(ctx context.Context) (*clientLink, error) {
	for {
		c.mu.Lock()
		l, moving, err := c.link, c.moving, c.err
		c.mu.Unlock()
		if err != nil {
			c.mu.Lock()
			defer c.mu.Unlock()
			return nil, c.closedErr()
		}
		if moving == nil {
			return l, nil
		}
		select {
		case <-moving:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// keyOr is key, or the URL's key when key is empty.
func (c *Conn) keyOr(key string) (string, error) {
	if key == "" {
		key = c.Target().Key
	}
	if key == "" {
		return "", errors.New("dial: no stream key, neither in the call nor in the URL")
	}
	return key, nil
}

// Publish creates a stream and publishes key on it live (an empty key is
// the URL's). It returns once the server answered NetStream.Publish.Start.
func (c *Conn) Publish(ctx context.Context, key string) (*Publication, error) {
	return c.PublishType(ctx, key, client.PublishLive)
}

// PublishType is Publish with a publish type (live, record or append).
func (c *Conn) PublishType(ctx context.Context, key string, typ client.PublishType) (*Publication, error) {
	key, err := c.keyOr(key)
	if err != nil {
		return nil, err
	}
	p := &Publication{c: c, key: key, typ: typ}
	err = c.startSettled(ctx, func(l *clientLink) error {
		_, err := c.publishOn(ctx, l, p, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// startSettled runs start, a stream start of the application's, on the
// link in use once no reconnect is in progress, and again on the new link
// each time a reconnect overtakes it (errOvertaken).
func (c *Conn) startSettled(ctx context.Context, start func(*clientLink) error) error {
	for {
		l, err := c.settled(ctx)
		if err != nil {
			return err
		}
		if err := start(l); err != errOvertaken {
			return err
		}
	}
}

// errOvertaken is a stream the application started on a link that a
// reconnect began to replace before the server's answer. The reconnect
// moves the streams started before it, not this one, so the stream is
// started again on the link the connection moves to.
var errOvertaken = errors.New("dial: stream start overtaken by a reconnect")

// overtaken reports whether a stream the application starts on l missed
// the reconnect: one began since l was chosen, or has replaced l; c.mu is
// held.
func (c *Conn) overtaken(l *clientLink) bool {
	return c.err == nil && (l != c.link || c.moving != nil)
}

// publishOn creates a stream on l and publishes p's key on it, and
// registers the publication on l under the new stream id. For the
// application's publish (current) the id also becomes p's, and the start
// fails with errOvertaken when a reconnect overtook it; for a reconnect's
// (on the link it prepares) the switch sets p's id.
func (c *Conn) publishOn(ctx context.Context, l *clientLink, p *Publication, current bool) (uint32, error) {
	id, err := c.createStream(ctx, l)
	if err == nil {
		var ans client.Effect
		ans, err = c.request(ctx, l, waitKey{2, id}, client.Publish{StreamID: id, Name: p.key, Type: p.typ})
		if f, ok := ans.(client.PublishFailed); ok {
			err = &StatusError{Command: "publish", Key: p.key, Code: f.Code, Description: f.Description}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err = c.startErr(l, current, err); err != nil {
		c.abandonStart(l, id)
		return 0, err
	}
	// Registered with its id under the lock of the check: a reconnect
	// that begins later finds it complete and moves it.
	l.pubs[id] = p
	if current {
		p.id = id
	}
	return id, nil
}

// startErr is the outcome of a stream start on l that returned err: for
// the application's (current), errOvertaken when a reconnect overtook
// it. c.mu is held.
func (c *Conn) startErr(l *clientLink, current bool, err error) error {
	if current && c.overtaken(l) {
		return errOvertaken
	}
	return err
}

// abandonStart deletes the stream of a start that failed (id 0: none was
// created) on l, if l is still in use. c.mu is held.
func (c *Conn) abandonStart(l *clientLink, id uint32) {
	if id != 0 && c.live(l) {
		c.stepOn(l, client.DeleteStream{StreamID: id})
	}
}

// Play creates a stream and plays key on it (an empty key is the URL's),
// live or recorded (start -2). It returns once the server answered
// NetStream.Play.Start.
func (c *Conn) Play(ctx context.Context, key string) (*Playback, error) {
	key, err := c.keyOr(key)
	if err != nil {
		return nil, err
	}
	p := &Playback{c: c, key: key, msgs: make(chan message.Message, c.cfg.PlayQueue+markReserve), maxCount: c.cfg.PlayQueue, maxBytes: int64(c.cfg.PlayQueueBytes), ended: make(chan struct{})}
	err = c.startSettled(ctx, func(l *clientLink) error {
		_, err := c.playOn(ctx, l, p, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// playOn creates a stream on l and plays p's key on it; the playback is
// registered on l under the new stream id. For the application's play
// (current) the id also becomes p's, and the start fails with
// errOvertaken when a reconnect overtook it; for a reconnect's (on the
// link it prepares) the switch sets p's id.
func (c *Conn) playOn(ctx context.Context, l *clientLink, p *Playback, current bool) (uint32, error) {
	id, err := c.createStream(ctx, l)
	if err == nil {
		// The playback is registered before play goes out: servers send
		// the first media right after Play.Start, in the same read. Until
		// it has started, a reconnect leaves it to this call (see
		// Playback.started).
		c.mu.Lock()
		l.plays[id] = p
		c.mu.Unlock()
		var ans client.Effect
		ans, err = c.request(ctx, l, waitKey{2, id}, client.Play{StreamID: id, Name: p.key, Start: -2})
		if f, ok := ans.(client.PlayFailed); ok {
			err = &StatusError{Command: "play", Key: p.key, Code: f.Code, Description: f.Description}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err = c.startErr(l, current, err); err != nil {
		// Forgotten first: deleting the stream finishes what plays on it.
		if id != 0 && l.plays[id] == p {
			delete(l.plays, id)
		}
		c.abandonStart(l, id)
		return 0, err
	}
	if current {
		p.id.Store(id)
		p.started = true
	}
	return id, nil
}

// StatusError is a publish or play the server refused.
type StatusError struct {
	Command     string
	Key         string
	Code        string
	Description string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("dial: %s %q refused: %s %s", e.Command, e.Key, e.Code, e.Description)
}

// Publication is a stream being published. Its methods are safe for
// concurrent use; messages leave in the order of the calls.
type Publication struct {
	c   *Conn
	key string
	typ client.PublishType
	// Guarded by c.mu: the stream id on the current server, which a
	// followed reconnect changes, and what a new server needs to take the
	// stream over.
	id     uint32
	stream handover.Stream
}

// StreamID is the message stream the server created; after a followed
// reconnect, the one the new server created.
func (p *Publication) StreamID() uint32 {
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	return p.id
}

// Key is the published stream key.
func (p *Publication) Key() string { return p.key }

// WriteMessage sends an Audio, Video or Data body with its timestamp; the
// message's StreamID is ignored.
func (p *Publication) WriteMessage(m message.Message) error {
	return p.send(client.SendMessage{Timestamp: m.Timestamp, Body: m.Body})
}

// SetMetaData sends @setDataFrame onMetaData.
func (p *Publication) SetMetaData(md amf0.ECMAArray) error {
	return p.send(client.SendMetaData{MetaData: md})
}

// WriteTag sends one FLV tag: audio and video as they are, a script tag
// onMetaData as SetMetaData, any other script tag as data.
func (p *Publication) WriteTag(t flv.Tag) error {
	switch t.Type {
	case flv.TagAudio:
		return p.WriteMessage(message.Message{Timestamp: t.Timestamp, Body: message.Audio{Payload: t.Data}})
	case flv.TagVideo:
		return p.WriteMessage(message.Message{Timestamp: t.Timestamp, Body: message.Video{Payload: t.Data}})
	case flv.TagScript:
		values, err := amf0.DecodeAll(t.Data)
		if err != nil {
			return fmt.Errorf("dial: script tag: %w", err)
		}
		if len(values) >= 2 && values[0] == "onMetaData" {
			if props, ok := amf0.Properties(values[1]); ok {
				return p.SetMetaData(amf0.ECMAArray(props))
			}
		}
		return p.WriteMessage(message.Message{Timestamp: t.Timestamp, Body: message.Data{Values: values}})
	}
	return fmt.Errorf("dial: FLV tag type %d cannot be published", t.Type)
}

// send steps a SendMessage or SendMetaData on the current stream id, as
// the connection's lifecycle routes it. A reconnect that waits for a
// media boundary switches servers right before the message that starts
// one, so the new server begins with it.
//
// While no server takes writes (the old link died during a followed
// reconnect, see linkFailed, or a write failed, see writeFailed), the
// message is held for the new server, which gets it at the switch: the
// write returns nil. A write the hold has no room for, or one that no
// server will ever take, returns an error instead; none is dropped with
// nil.
func (p *Publication) send(in client.Input) error {
	c := p.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.closedErr()
	}
	// A prepared link that failed since is never switched to (its read
	// loop has ended); the reconnect sees the failure and gives up.
	if c.life.SwitchBefore(&p.stream, in) && c.next != nil && c.next.err == nil {
		c.switchLinks(p)
	}
	switch m := in.(type) {
	case client.SendMessage:
		m.StreamID = p.id
		in = m
	case client.SendMetaData:
		m.StreamID = p.id
		in = m
	}
	switch route, err := c.life.Write(&p.stream, in); route {
	case handover.Refuse:
		return err
	case handover.Hold:
		return nil
	}
	if err := c.step(in); err != nil {
		return err
	}
	if c.err != nil {
		return c.closedErr()
	}
	return nil
}

// Close stops publishing: FCUnpublish and deleteStream go out. The
// connection stays open.
func (p *Publication) Close() error {
	c := p.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step(client.DeleteStream{StreamID: p.id})
	return nil
}

// Playback is a stream being played. Messages queue in a bounded buffer
// (Config.PlayQueue and PlayQueueBytes); when the reader falls that
// far behind, new messages are dropped and counted rather than stalling
// the connection.
type Playback struct {
	c *Conn
	// id is the stream id on the current server; a followed reconnect
	// changes it.
	id      atomic.Uint32
	key     string
	msgs    chan message.Message
	dropped atomic.Uint64
	// queued is the size of the messages in msgs (see queuedSize), at
	// most maxBytes.
	queued   atomic.Int64
	maxBytes int64
	// maxCount is PlayQueue: msgs has room for markReserve more, which
	// only marks use.
	maxCount int
	// started is set, under c.mu, once the application's Play has its
	// answer. A reconnect moves started playbacks only: one still
	// starting is left to its Play, which starts it again on the new
	// server if the reconnect overtook it.
	started bool
	once    sync.Once
	ended   chan struct{}
}

// StreamID is the message stream the server created; after a followed
// reconnect, the one the new server created.
func (p *Playback) StreamID() uint32 { return p.id.Load() }

// Key is the played stream key.
func (p *Playback) Key() string { return p.key }

// Dropped counts the messages dropped because the reader was behind.
func (p *Playback) Dropped() uint64 { return p.dropped.Load() }

// markReserve is the room a playback's queue keeps for marks.
const markReserve = 4

// offer queues a message without blocking; c.mu is held, so offer is the
// only sender and the queue's length only shrinks meanwhile. A message the
// bounds have no room for is dropped and counted; a mark (see
// Conn.deliverMark) goes into the reserve, and is dropped only when
// that holds markReserve marks the reader has not reached.
func (p *Playback) offer(m message.Message, mark bool) {
	select {
	case <-p.ended:
		return
	default:
	}
	n := queuedSize(m)
	if !mark && (len(p.msgs) >= p.maxCount || p.queued.Load()+n > p.maxBytes) {
		p.dropped.Add(1)
		return
	}
	select {
	case p.msgs <- m:
		p.queued.Add(n)
	default:
		p.dropped.Add(1)
	}
}

// taken accounts for a message the reader took out of the queue.
func (p *Playback) taken(m message.Message) message.Message {
	p.queued.Add(-queuedSize(m))
	return m
}

// queuedSize is what a queued message counts against PlayQueueBytes: its
// payload for media, its encoded size for anything else (rare, and as
// large as a server makes it), plus a little for the message itself.
func queuedSize(m message.Message) int64 {
	const overhead = 64
	switch b := m.Body.(type) {
	case message.Audio:
		return int64(len(b.Payload)) + overhead
	case message.Video:
		return int64(len(b.Payload)) + overhead
	}
	raw, err := message.Encode(m)
	if err != nil {
		return overhead
	}
	return int64(len(raw.Payload)) + overhead
}

// finish marks the end of the play; c.mu is held.
func (p *Playback) finish() { p.once.Do(func() { close(p.ended) }) }

// ReadMessage returns the next message of the stream: Audio or Video with
// the payload as sent, or Data (onMetaData, |RtmpSampleAccess, ...). After
// the play ends it returns the queued messages, then io.EOF (or the
// connection's error).
func (p *Playback) ReadMessage(ctx context.Context) (message.Message, error) {
	select {
	case m := <-p.msgs:
		return p.taken(m), nil
	default:
	}
	select {
	case m := <-p.msgs:
		return p.taken(m), nil
	case <-ctx.Done():
		return message.Message{}, ctx.Err()
	case <-p.ended:
		select {
		case m := <-p.msgs:
			return p.taken(m), nil
		default:
		}
		if err := p.c.Err(); err != nil {
			return message.Message{}, err
		}
		return message.Message{}, io.EOF
	}
}

// Close stops playing: deleteStream goes out. The connection stays open.
func (p *Playback) Close() error {
	c := p.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step(client.DeleteStream{StreamID: p.id.Load()})
	return nil
}
