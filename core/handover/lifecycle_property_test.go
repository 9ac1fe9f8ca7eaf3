package handover

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"pgregory.net/rapid"
)

// frame is a video frame of the model: a keyframe or an inter frame that
// carries the index of its write and padding to a size.
func frame(key bool, index, size int) []byte {
	b := []byte{0x27, 1, 0, 0, 0}
	if key {
		b[0] = 0x17
	}
	b = binary.BigEndian.AppendUint32(b, uint32(index))
	return append(b, make([]byte, size)...)
}

func frameIndex(in client.Input) int {
	p := in.(client.SendMessage).Body.(message.Video).Payload
	return int(binary.BigEndian.Uint32(p[5:9]))
}

// world plays the driver around a Lifecycle: servers that record what
// they get, the current one and the one a followed request prepares.
type world struct {
	l       *Lifecycle
	streams []*Stream
	// servers[i][s] are the write indices server i got for stream s.
	servers [][][]int
	cur     int
	next    int // -1: none prepared
	ready   bool
	ended   bool
	unsent  int
	// outcome of every write: nil (sent or held) or its error.
	writes []written
	t      *rapid.T
}

type written struct {
	stream int
	key    bool
	err    error
}

func newWorld(t *rapid.T, follows bool, streams, limit int) *world {
	w := &world{l: New(follows), next: -1, t: t}
	for range streams {
		w.streams = append(w.streams, &Stream{Limit: limit})
	}
	w.addServer()
	return w
}

func (w *world) addServer() int {
	w.servers = append(w.servers, make([][]int, len(w.streams)))
	return len(w.servers) - 1
}

func (w *world) deliver(server, stream int, ins []client.Input) {
	for _, in := range ins {
		w.servers[server][stream] = append(w.servers[server][stream], frameIndex(in))
	}
}

// switchLinks is the driver's switch: every stream's kept writes go to
// the new server, the boundary stream's replay alone.
func (w *world) switchLinks(boundary int) {
	for i, s := range w.streams {
		w.deliver(w.next, i, s.Take(uint32(i+1), i == boundary))
	}
	w.l.Switched()
	w.cur, w.next, w.ready = w.next, -1, false
}

func (w *world) end(err error) {
	got := w.l.End(err)
	w.ended = true
	var ue *UnsentError
	if errors.As(got, &ue) {
		w.unsent = ue.Writes
	}
	if !errors.Is(got, err) {
		w.t.Fatalf("End(%v) = %v, which does not wrap the cause", err, got)
	}
}

func (w *world) write(stream int, key bool, size int) {
	s := w.streams[stream]
	in := client.SendMessage{Timestamp: uint32(len(w.writes)), Body: message.Video{Payload: frame(key, len(w.writes), size)}}
	if w.l.SwitchBefore(s, in) {
		w.switchLinks(stream)
	}
	route, err := w.l.Write(s, in)
	switch route {
	case Send:
		if err != nil {
			w.t.Fatalf("Send with %v", err)
		}
		w.deliver(w.cur, stream, []client.Input{in})
	case Hold:
		if err != nil {
			w.t.Fatalf("Hold with %v", err)
		}
	case Refuse:
		if err == nil {
			w.t.Fatal("Refuse without an error")
		}
	}
	// The caller reuses its buffer.
	clear(in.Body.(message.Video).Payload)
	w.writes = append(w.writes, written{stream: stream, key: key, err: err})
}

func (w *world) step(t *rapid.T) {
	if w.ended {
		w.write(rapid.IntRange(0, len(w.streams)-1).Draw(t, "stream"), false, 0)
		return
	}
	switch rapid.IntRange(0, 12).Draw(t, "op") {
	case 0:
		if w.l.Follow() {
			w.next = w.addServer()
		}
	case 1:
		if w.l.OldLost(errors.New("old server gone")) {
			w.switchLinks(-1)
		}
	case 2:
		if w.next >= 0 && !w.ready {
			w.ready = true
			if w.l.NewReady(rapid.Bool().Draw(t, "publications")) {
				w.switchLinks(-1)
			}
		}
	case 3:
		if w.ready && w.l.BoundaryWaitOver() {
			w.switchLinks(-1)
		}
	case 4:
		if w.next >= 0 && rapid.IntRange(0, 3).Draw(t, "new server fails") == 0 {
			w.end(errors.New("new server refused"))
		}
	case 5:
		if w.l.Phase() == Doubt && rapid.IntRange(0, 3).Draw(t, "grace over") == 0 {
			w.end(errors.New("write failed"))
		}
	default:
		w.write(rapid.IntRange(0, len(w.streams)-1).Draw(t, "stream"),
			rapid.IntRange(0, 4).Draw(t, "key") == 0, rapid.IntRange(0, 60).Draw(t, "size"))
	}
}

// check: every write that returned nil reached a server exactly once in
// order, from the last keyframe on where a reconnect resent it, or is
// held now, or was counted unsent when the connection ended. Each
// server's run of a stream is a contiguous run of the stream's successful
// writes; refused writes reach no server.
func (w *world) check(t *rapid.T) {
	missing := 0
	for stream := range w.streams {
		var ok []int
		refused := map[int]bool{}
		for i, wr := range w.writes {
			if wr.stream != stream {
				continue
			}
			if wr.err != nil {
				refused[i] = true
				continue
			}
			ok = append(ok, i)
		}
		got := map[int]int{}
		for si, server := range w.servers {
			run := server[stream]
			for _, i := range run {
				if refused[i] {
					t.Fatalf("server %d got write %d, which was refused", si, i)
				}
				got[i]++
			}
			if len(run) == 0 {
				continue
			}
			at := slices.Index(ok, run[0])
			if at < 0 || at+len(run) > len(ok) || !slices.Equal(ok[at:at+len(run)], run) {
				t.Fatalf("server %d got %v of stream %d, not a contiguous run of its writes %v", si, run, stream, ok)
			}
		}
		for _, i := range ok {
			if got[i] == 0 {
				missing++
			}
		}
	}
	held := 0
	for _, s := range w.streams {
		held += s.Held()
	}
	if !w.ended && held != w.l.Held() {
		t.Fatalf("the streams hold %d writes, the lifecycle counts %d", held, w.l.Held())
	}
	if w.l.Held()+w.unsent != missing {
		t.Fatalf("%d successful writes reached no server; %d are held and %d were reported unsent", missing, w.l.Held(), w.unsent)
	}
	for _, s := range w.streams {
		if s.bytes > s.limit() {
			t.Fatalf("a stream keeps %d bytes, over its bound %d", s.bytes, s.limit())
		}
	}
}

// For any interleaving of writes, followed requests, the old server's
// loss, the new server's readiness or failure and the boundary timeout,
// no write that returned nil is lost without the connection saying so.
func TestLifecycleLosesNoWriteSilently(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, rapid.IntRange(0, 5).Draw(t, "follows") != 0,
			rapid.IntRange(1, 2).Draw(t, "streams"), rapid.IntRange(100, 2000).Draw(t, "limit"))
		for range rapid.IntRange(1, 80).Draw(t, "steps") {
			w.step(t)
			w.check(t)
		}
	})
}

// With room enough, a new server that takes over mid-group gets it from
// its keyframe: the first frame of every stream it got after the first
// server is a keyframe once one was written, and no write fails while
// the connection runs.
func TestLifecycleResendsFromTheKeyframe(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, true, rapid.IntRange(1, 2).Draw(t, "streams"), 1<<30)
		for range rapid.IntRange(1, 80).Draw(t, "steps") {
			w.step(t)
		}
		w.check(t)
		for i, wr := range w.writes {
			if wr.err != nil && !errors.Is(wr.err, ErrEnded) {
				t.Fatalf("write %d failed with %v while the connection ran", i, wr.err)
			}
		}
		for si := 1; si < len(w.servers); si++ {
			for stream, run := range w.servers[si] {
				if len(run) == 0 {
					continue
				}
				keyBefore := slices.ContainsFunc(w.writes[:run[0]], func(wr written) bool {
					return wr.stream == stream && wr.key && wr.err == nil
				})
				if keyBefore && !w.writes[run[0]].key {
					t.Fatalf("server %d starts stream %d at inter frame %d though a keyframe came before (%v)", si, stream, run[0], run)
				}
			}
		}
	})
}

// Stream starts go out only when one server carries the connection.
func TestLifecycleSettledOnlyWhenSteady(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, rapid.Bool().Draw(t, "follows"), 1, 1000)
		for range rapid.IntRange(1, 60).Draw(t, "steps") {
			w.step(t)
			settled := w.l.Settled()
			if settled != (w.l.Phase() == Steady) {
				t.Fatalf("Settled() %v in phase %v", settled, w.l.Phase())
			}
			if settled && w.next >= 0 {
				t.Fatalf("settled while server %d is being prepared", w.next)
			}
		}
	})
}

func TestPhaseNames(t *testing.T) {
	var got []string
	for p := Steady; p <= Ended+1; p++ {
		got = append(got, p.String())
	}
	want := []string{"steady", "moving", "ready", "doubt", "gap", "ended", "phase?"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
