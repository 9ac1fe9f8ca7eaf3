package core_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

type modelState int

const (
	mCreated modelState = iota
	mPublishRequested
	mPublishing
	mPlayRequested
	mPlaying
)

type modelStream struct {
	state modelState
	key   string
}

// lifecycleModel is the stream lifecycle written plainly: a map of
// streams and a map of pending requests. Each action steps the real
// session and checks its lifecycle effects against the model.
type lifecycleModel struct {
	s          core.Session
	streams    map[uint32]modelStream
	pending    map[core.RequestID]uint32
	nextStream uint32
	nextReq    core.RequestID
}

const modelMaxStreams, modelMaxPending = 4, 3

func newLifecycleModel(t *rapid.T) *lifecycleModel {
	m := &lifecycleModel{
		s:          core.NewSession(core.Config{MaxStreams: modelMaxStreams, MaxPendingRequests: modelMaxPending}),
		streams:    map[uint32]modelStream{},
		pending:    map[core.RequestID]uint32{},
		nextStream: 1,
		nextReq:    2,
	}
	m.step(t, connectFFmpegPublish())
	m.step(t, core.Accept{Request: 1})
	return m
}

func (m *lifecycleModel) step(t *rapid.T, in core.Input) []core.Effect {
	var fx []core.Effect
	m.s, fx = m.s.Step(in)
	return fx
}

// lifecycleEvents keeps the effects the model predicts exactly.
func lifecycleEvents(fx []core.Effect) []string {
	var out []string
	for _, e := range fx {
		switch e := e.(type) {
		case core.PublishStreamRequested:
			out = append(out, fmt.Sprintf("publish requested %d #%d", e.StreamID, e.Request))
		case core.PlayStreamRequested:
			out = append(out, fmt.Sprintf("play requested %d #%d", e.StreamID, e.Request))
		case core.StreamDeleted:
			out = append(out, fmt.Sprintf("deleted %d", e.StreamID))
		case core.AudioVideoDataReceived:
			out = append(out, fmt.Sprintf("media %d", e.StreamID))
		case core.CommandUnhandled:
			out = append(out, "unhandled")
		case core.MessageIgnored:
			out = append(out, "ignored")
		case core.CallerError:
			out = append(out, "caller error")
		default:
			if kind, id := lifecycle(e); kind != "" {
				out = append(out, fmt.Sprintf("%s %d", kind, id))
			}
		}
	}
	return out
}

func (m *lifecycleModel) expect(t *rapid.T, in core.Input, want ...string) {
	got := lifecycleEvents(m.step(t, in))
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %q, want %q", core.DescribeInput(in), got, want)
	}
}

func (m *lifecycleModel) drawStream(t *rapid.T) uint32 {
	return rapid.Uint32Range(1, m.nextStream).Draw(t, "stream")
}

// finish is what ending a stream in its state raises.
func finish(id uint32, st modelStream) []string {
	switch st.state {
	case mPublishing:
		return []string{fmt.Sprintf("publish finished %d", id)}
	case mPlaying:
		return []string{fmt.Sprintf("play finished %d", id)}
	}
	return nil
}

func (m *lifecycleModel) dropPending(id uint32) {
	for r, sid := range m.pending {
		if sid == id {
			delete(m.pending, r)
		}
	}
}

func (m *lifecycleModel) createStream(t *rapid.T) {
	in := call(0, "createStream", 2, nil)
	if len(m.streams) >= modelMaxStreams {
		m.expect(t, in, "unhandled")
		return
	}
	m.expect(t, in)
	m.streams[m.nextStream] = modelStream{}
	m.nextStream++
}

func (m *lifecycleModel) request(t *rapid.T, name string) {
	id := m.drawStream(t)
	key := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "key")
	in := call(id, name, 0, nil, key)
	st, ok := m.streams[id]
	if !ok || st.state != mCreated || len(m.pending) >= modelMaxPending {
		m.expect(t, in, "unhandled")
		return
	}
	m.expect(t, in, fmt.Sprintf("%s requested %d #%d", name, id, m.nextReq))
	m.pending[m.nextReq] = id
	m.nextReq++
	st.key, st.state = key, mPublishRequested
	if name == "play" {
		st.state = mPlayRequested
	}
	m.streams[id] = st
}

func (m *lifecycleModel) answer(t *rapid.T, accept bool) {
	r := core.RequestID(rapid.IntRange(1, int(m.nextReq)).Draw(t, "request"))
	var in core.Input = core.Reject{Request: r}
	if accept {
		in = core.Accept{Request: r}
	}
	id, ok := m.pending[r]
	if !ok {
		m.expect(t, in, "caller error")
		return
	}
	delete(m.pending, r)
	st := m.streams[id]
	switch {
	case !accept:
		m.expect(t, in)
		st.state = mCreated
	case st.state == mPublishRequested:
		m.expect(t, in, fmt.Sprintf("publish started %d", id))
		st.state = mPublishing
	default:
		m.expect(t, in, fmt.Sprintf("play started %d", id))
		st.state = mPlaying
	}
	m.streams[id] = st
}

func (m *lifecycleModel) closeStream(t *rapid.T) {
	id := m.drawStream(t)
	in := call(id, "closeStream", 0, nil)
	st, ok := m.streams[id]
	if !ok {
		m.expect(t, in, "unhandled")
		return
	}
	m.expect(t, in, finish(id, st)...)
	m.dropPending(id)
	m.streams[id] = modelStream{}
}

func (m *lifecycleModel) deleteStream(t *rapid.T) {
	id := m.drawStream(t)
	in := call(0, "deleteStream", 0, nil, float64(id))
	st, ok := m.streams[id]
	if !ok {
		m.expect(t, in, "unhandled")
		return
	}
	m.expect(t, in, append(finish(id, st), fmt.Sprintf("deleted %d", id))...)
	m.dropPending(id)
	delete(m.streams, id)
}

func (m *lifecycleModel) fcUnpublish(t *rapid.T) {
	key := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "key")
	var want []string
	for id := uint32(1); id < m.nextStream; id++ {
		if st, ok := m.streams[id]; ok && st.state == mPublishing && st.key == key {
			want = finish(id, st)
			m.streams[id] = modelStream{}
			break
		}
	}
	m.expect(t, call(0, "FCUnpublish", 0, nil, key), want...)
}

func (m *lifecycleModel) media(t *rapid.T) {
	id := m.drawStream(t)
	in := recv(0, id, avcFrame)
	if m.streams[id].state == mPublishing && m.streams[id] != (modelStream{}) {
		m.expect(t, in, fmt.Sprintf("media %d", id))
		return
	}
	m.expect(t, in, "ignored")
}

// TestStreamLifecycleModel runs random action sequences against the model.
func TestStreamLifecycleModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newLifecycleModel(t)
		t.Repeat(map[string]func(*rapid.T){
			"createStream": m.createStream,
			"publish":      func(t *rapid.T) { m.request(t, "publish") },
			"play":         func(t *rapid.T) { m.request(t, "play") },
			"accept":       func(t *rapid.T) { m.answer(t, true) },
			"reject":       func(t *rapid.T) { m.answer(t, false) },
			"closeStream":  m.closeStream,
			"deleteStream": m.deleteStream,
			"FCUnpublish":  m.fcUnpublish,
			"media":        m.media,
			"": func(t *rapid.T) {
				if m.s.Closed() {
					t.Fatal("the session closed on valid traffic")
				}
			},
		})
		// Closing finishes every running stream, in stream order.
		var want []string
		for id := uint32(1); id < m.nextStream; id++ {
			if st, ok := m.streams[id]; ok {
				want = append(want, finish(id, st)...)
			}
		}
		m.expect(t, core.Close{}, want...)
	})
}
