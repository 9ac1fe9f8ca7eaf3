package live

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/gortmp/rtmp/driver"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// Errors of in-process publishers and subscribers.
var (
	// ErrLocalClosed is returned by calls on a LocalPublisher or
	// Subscriber after its Close.
	ErrLocalClosed = errors.New("live: local publisher or subscriber closed")
	// ErrSubscriberDropped is returned by Subscriber.Read once the relay
	// removed the subscriber for falling too far behind.
	ErrSubscriberDropped = errors.New("live: subscriber fell too far behind and was removed")
)

// localIDs numbers in-process publishers and subscribers. The top bit
// keeps them apart from the ids of network clients, which are a
// connection id shifted left by 32 bits.
var localIDs atomic.Uint64

func nextLocalID() relay.ClientID { return relay.ClientID(1<<63 | localIDs.Add(1)) }

// LocalPublisher publishes into a Relay from inside the process, as a
// network publisher would: players of its path get what it writes, with
// fast start and the same drop policy. A pull link is one.
type LocalPublisher struct {
	r  *Relay
	st *relayStream
	id relay.ClientID

	mu     sync.Mutex // orders WriteMedia and Close
	closed bool
}

// PublishLocal makes an in-process publisher of a path. It fails with
// relay.ErrPublisherExists when the path already has a publisher.
func (r *Relay) PublishLocal(p relay.Path) (*LocalPublisher, error) {
	r.init()
	id := nextLocalID()
	st := r.stream(p)
	fx, err := st.s.Publish(id)
	if err != nil {
		st.mu.Unlock()
		r.forget(st)
		return nil, err
	}
	lp := &LocalPublisher{r: r, st: st, id: id}
	r.carryOut(st, fx)
	st.pub = publisherRef{id: id, local: lp}
	st.mu.Unlock()
	r.linkPublished(p, id)
	return lp, nil
}

// WriteMedia fans one message out to the path's players. The relay keeps
// m.Payload (fast-start cache), so the caller must not change it after.
// Metadata payloads are "onMetaData" and its object, AMF0 encoded; Data
// payloads are the AMF0 values of any other data message. Once a network
// publisher took the path over (see PublishPolicy), it returns
// relay.ErrTakenOver and relays nothing.
func (lp *LocalPublisher) WriteMedia(m relay.Media) error {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if lp.closed {
		return ErrLocalClosed
	}
	if !lp.r.fanout(lp.st, lp.id, m, nil) {
		return relay.ErrTakenOver
	}
	return nil
}

// Close stops publishing: players hear the stream stopped and wait for the
// next publisher. It is idempotent.
func (lp *LocalPublisher) Close() error {
	lp.mu.Lock()
	closed := lp.closed
	lp.closed = true
	lp.mu.Unlock()
	if !closed {
		lp.r.leave(lp.st, lp.id)
	}
	return nil
}

// Subscriber is an in-process player of a Relay: a push link is one. It
// gets what a network player with the same view gets (fast start on a
// live path, then every message the drop policy lets through), in order.
//
// Its queue is bounded by the relay's accounting (relay.Config's
// MaxQueueBytes and HardQueueBytes, reported back as Read takes each
// message) and by maxSubscriberItems: a reader that falls behind skips
// video to the next keyframe, then is dropped, like a slow player.
type Subscriber struct {
	r  *Relay
	st *relayStream
	id relay.ClientID
	// follows, if not zero, is the one publisher the subscriber takes:
	// it stops when a takeover replaces it, as when it leaves.
	follows relay.ClientID
	// viewer: the subscriber reads for a remote player (SubscribeViewer),
	// so it counts as a network player.
	viewer bool

	mu      sync.Mutex
	queue   []queuedMedia
	head    int
	stopped bool  // the publisher left: nothing more is taken
	err     error // the relay removed the subscriber
	closed  bool
	wake    chan struct{}
}

type queuedMedia struct {
	m    relay.Media
	cost int
}

// maxSubscriberItems bounds a subscriber's queue in messages, whatever
// their size, on top of the relay's byte accounting.
const maxSubscriberItems = 8192

// Subscribe makes an in-process player of a path with a view. On a live
// path it starts with the fast-start cache; otherwise it waits for a
// publisher. Read returns io.EOF once that publisher stops.
// It is no viewer of the path: StreamStats counts it in Local, not in
// Players.
func (r *Relay) Subscribe(p relay.Path, v relay.View) (*Subscriber, error) {
	return r.subscribe(p, v, nil, false)
}

// SubscribeViewer is Subscribe for a remote player that the process serves
// over a transport of its own (HTTP-FLV over HTTP/2): it counts among the
// path's players, as a connection would, in StreamStats and for a pulled
// path's linger.
func (r *Relay) SubscribeViewer(p relay.Path, v relay.View) (*Subscriber, error) {
	return r.subscribe(p, v, nil, true)
}

// subscribe is Subscribe that, with want set, only joins while *want is
// the path's publisher: a push link follows one publisher and must not
// attach to the next one by accident.
func (r *Relay) subscribe(p relay.Path, v relay.View, want *relay.ClientID, viewer bool) (*Subscriber, error) {
	r.init()
	sub := &Subscriber{r: r, id: nextLocalID(), viewer: viewer, wake: make(chan struct{}, 1)}
	st := r.stream(p)
	sub.st = st
	if want != nil {
		if pub, ok := st.s.Publishing(); !ok || pub != *want {
			st.mu.Unlock()
			r.forget(st)
			return nil, errPublisherGone
		}
		sub.follows = *want
	}
	st.players[sub.id] = &relayPlayer{local: sub}
	fx, err := st.s.PlayView(sub.id, v)
	if err != nil {
		delete(st.players, sub.id)
		st.mu.Unlock()
		r.forget(st)
		return nil, err
	}
	r.carryOut(st, fx)
	st.mu.Unlock()
	return sub, nil
}

var errPublisherGone = errors.New("live: the publisher left")

// offer queues a message for the reader without blocking and reports
// whether it did; st.mu is held.
func (s *Subscriber) offer(f *driver.Frame, cost int) bool {
	s.mu.Lock()
	ok := !s.stopped && !s.closed && s.err == nil && len(s.queue)-s.head < maxSubscriberItems
	if ok {
		s.queue = append(s.queue, queuedMedia{m: frameMedia(f), cost: cost})
	}
	s.mu.Unlock()
	if ok {
		s.signal()
	}
	return ok
}

// frameMedia turns a relay frame back into the message it carries.
func frameMedia(f *driver.Frame) relay.Media {
	kind := relay.Data
	switch {
	case message.TypeID(f.Message().TypeID) == message.TypeAudio:
		kind = relay.Audio
	case message.TypeID(f.Message().TypeID) == message.TypeVideo:
		kind = relay.Video
	case bytes.HasPrefix(f.Message().Payload, onMetaDataName):
		kind = relay.Metadata
	}
	return relay.Media{Kind: kind, Timestamp: f.Message().Timestamp, Payload: f.Message().Payload}
}

// onMetaDataName is the AMF0 string "onMetaData" that starts a metadata
// payload.
var onMetaDataName = []byte{0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}

// publishStopped ends the subscription after what is queued; st.mu is
// held.
func (s *Subscriber) publishStopped() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.signal()
}

// dropped records that the relay removed the subscriber; st.mu is held.
func (s *Subscriber) dropped(reason error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = errors.Join(ErrSubscriberDropped, reason)
	}
	s.mu.Unlock()
	s.signal()
}

func (s *Subscriber) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Read returns the next message. After the publisher stopped it returns
// what is still queued, then io.EOF; after the relay dropped the
// subscriber, an error wrapping ErrSubscriberDropped.
func (s *Subscriber) Read(ctx context.Context) (relay.Media, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return relay.Media{}, ErrLocalClosed
		}
		if s.head < len(s.queue) {
			q := s.queue[s.head]
			s.queue[s.head] = queuedMedia{}
			s.head++
			s.compact()
			s.mu.Unlock()
			s.written(q.cost)
			return q.m, nil
		}
		err := s.err
		if err == nil && s.stopped {
			err = io.EOF
		}
		s.mu.Unlock()
		if err != nil {
			return relay.Media{}, err
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return relay.Media{}, ctx.Err()
		}
	}
}

// ReadTag is Read with the message as an FLV tag: audio, video, or
// script data for metadata and other data, as a file or an HTTP-FLV
// stream carries it.
func (s *Subscriber) ReadTag(ctx context.Context) (flv.Tag, error) {
	m, err := s.Read(ctx)
	if err != nil {
		return flv.Tag{}, err
	}
	typ := flv.TagScript
	switch m.Kind {
	case relay.Audio:
		typ = flv.TagAudio
	case relay.Video:
		typ = flv.TagVideo
	}
	return flv.Tag{Type: typ, Timestamp: m.Timestamp, Data: m.Payload}, nil
}

// compact reuses the queue's array once it is drained, or moves the
// waiting part down once the taken part dominates; s.mu is held.
func (s *Subscriber) compact() {
	switch {
	case s.head == len(s.queue):
		s.queue, s.head = s.queue[:0], 0
	case s.head >= 64 && 2*s.head >= len(s.queue):
		n := copy(s.queue, s.queue[s.head:])
		clear(s.queue[n:])
		s.queue, s.head = s.queue[:n], 0
	}
}

// written reports a taken message to the relay's accounting.
func (s *Subscriber) written(cost int) {
	s.st.mu.Lock()
	s.st.s.Written(s.id, cost)
	s.st.mu.Unlock()
}

// Close leaves the path; queued messages are discarded and a Read
// blocked meanwhile returns ErrLocalClosed. It is idempotent.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	closed := s.closed
	s.closed = true
	s.queue, s.head = nil, 0
	s.mu.Unlock()
	// Nothing else wakes a Read waiting for the next message: the relay
	// offers nothing to a closed subscriber.
	s.signal()
	if !closed {
		s.r.leave(s.st, s.id)
	}
	return nil
}
