package driver_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"pgregory.net/rapid"
)

// TestChurnOverSockets runs random scripts against a real server on
// loopback: publishers start, publish, stop (saying so, or just dropping
// the connection) and come back on two paths, a second publisher on a busy
// path is refused, players come and go, connections over RTMP or RTMPE
// carry one stream or several at once, and strangers send garbage, stop
// halfway through the handshake or send a broken chunk after it. Every
// player must receive what was published on its path, from a keyframe,
// with no gap, no duplicate and no message of another path, each
// publisher's decoder configuration before its frames, timestamps never
// going back; no message may be dropped; and once all have left the
// server holds no connection, the relay no path, and no goroutine
// outlives the run. The server's counts must match the script.
//
// It found a player that could read NetStream.Play.Start before the relay
// had put it on its stream, and a server that dropped what a publisher
// sent last when the publisher reset the connection.
func TestChurnOverSockets(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		before := runtime.NumGoroutine()
		ch := newChurn(rt)
		rt.Repeat(map[string]func(*rapid.T){
			"publish":   ch.startPublisher,
			"media":     ch.publishMedia,
			"unpublish": ch.stopPublisher,
			"play":      ch.startPlayer,
			"leave":     ch.stopPlayer,
			"stranger":  ch.stranger,
		})
		ch.finish(rt)
		ch.shutdown(rt)
		checkNoLeak(rt, before)
	})
}

// churnPaths are the paths a script uses; two, so that a message that
// reaches the wrong path's players shows.
var churnPaths = []string{"a", "b"}

// A churn message is identified by its run (one publisher session,
// numbered across the script) and its sequence number, both carried in
// its payload; a player's stream is checked against the runs' logs.
type churnMsg struct {
	run, seq int
	audio    bool
	key      bool
}

type churnRun struct {
	path string
	msgs []churnMsg
}

// A churnConn is a client connection that may carry several publications
// and playbacks at once; users counts them.
type churnConn struct {
	c     *dial.Conn
	id    int
	users int
}

type churnPublisher struct {
	conn *churnConn
	pub  *dial.Publication
	run  int
	ts   uint32
}

// A churnPlayer reads its playback on its own goroutine into got, so its
// client queue never fills.
type churnPlayer struct {
	path string
	conn *churnConn
	play *dial.Playback
	// joinRun is the run that was publishing on the path when Play
	// returned (or the next one to come), joinSeq how many of its messages
	// had been written then.
	joinRun, joinSeq int
	// leftRun is the same when the player left; stayed says it never did.
	leftRun int
	stayed  bool

	mu   sync.Mutex
	got  []message.Message
	done chan struct{}
}

// tap is the server's handler: the relay, with a record of the last
// message of each run the server's sessions decoded, so that a failure
// tells a message the server never read from one it did not pass on.
type tap struct {
	*live.Relay
	mu      sync.Mutex
	decoded map[int]int
	log     []string
}

func (t *tap) logf(format string, args ...any) {
	t.mu.Lock()
	t.log = append(t.log, fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

func (t *tap) HandleClose(c *driver.Conn, err error) {
	t.logf("conn %d closed: %v", c.ID(), err)
	t.Relay.HandleClose(c, err)
}

func (t *tap) HandleEvent(c *driver.Conn, ev core.Event) {
	if m, ok := ev.(core.AudioVideoDataReceived); ok {
		kind := message.Body(message.Audio{Payload: m.Data})
		if m.Kind == core.KindVideo {
			kind = message.Video{Payload: m.Data}
		}
		if run, seq, ok := churnID(message.Message{Body: kind}); ok {
			t.mu.Lock()
			t.decoded[run] = max(t.decoded[run], seq)
			t.mu.Unlock()
		}
	} else {
		t.logf("conn %d: %T %+v", c.ID(), ev, ev)
	}
	t.Relay.HandleEvent(c, ev)
}

func (t *tap) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return fmt.Sprintf("last message of each run the server decoded: %v\nserver:\n%s", t.decoded, strings.Join(t.log, "\n"))
}

type churn struct {
	ctx     context.Context
	cancel  context.CancelFunc
	addr    string
	relay   *live.Relay
	tap     *tap
	stats   *driver.ServerStats
	serve   chan error
	stop    context.CancelFunc
	runs    []churnRun
	pubs    map[string]*churnPublisher
	players []*churnPlayer
	conns   []*churnConn
	// dials counts the connections the server should have accepted,
	// strangers the ones that should have failed their handshake.
	dials, strangers int
	// trace is what the script did, for failure messages: a failure on
	// real sockets may not replay.
	trace []string
}

func (ch *churn) note(format string, args ...any) {
	ch.trace = append(ch.trace, fmt.Sprintf(format, args...))
}

func newChurn(rt *rapid.T) *churn {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rt.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	ch := &churn{
		ctx: ctx, cancel: cancel, addr: ln.Addr().String(),
		relay: &live.Relay{SecondPublisher: live.RefuseSecondPublisher}, stats: &driver.ServerStats{},
		serve: make(chan error, 1), pubs: map[string]*churnPublisher{},
	}
	// Strangers make the server log warnings; they are expected.
	cfg := driver.Config{Logger: slog.New(slog.DiscardHandler), Stats: ch.stats, RTMPE: true}
	serveCtx, stop := context.WithCancel(context.Background())
	ch.stop = stop
	ch.tap = &tap{Relay: ch.relay, decoded: map[int]int{}}
	go func() { ch.serve <- driver.Serve(serveCtx, ln, ch.tap, cfg) }()
	return ch
}

// connFor returns a connection for a new publication or playback: one of
// those open, or a new one over RTMP or RTMPE (the encrypted connections'
// media is copied and sealed per player where the plain ones share bytes).
func (ch *churn) connFor(rt *rapid.T, path string) *churnConn {
	var open []*churnConn
	for _, c := range ch.conns {
		if c.users > 0 {
			open = append(open, c)
		}
	}
	if len(open) > 0 && rapid.Bool().Draw(rt, "shared") {
		c := rapid.SampledFrom(open).Draw(rt, "conn")
		c.users++
		return c
	}
	scheme := rapid.SampledFrom([]string{"rtmp", "rtmpe"}).Draw(rt, "scheme")
	c, err := dial.Dial(ch.ctx, scheme+"://"+ch.addr+"/live/"+path)
	if err != nil {
		rt.Fatalf("dial %s: %v", path, err)
	}
	ch.dials++
	cc := &churnConn{c: c, id: len(ch.conns), users: 1}
	ch.conns = append(ch.conns, cc)
	return cc
}

// release ends one use of c, whose stream the user closed or not
// (graceful); the last use closes the connection.
func (c *churnConn) release() {
	if c.users--; c.users == 0 {
		c.c.Close()
	}
}

// graceful draws whether a user of c closes its stream before it goes;
// only the last one may just drop the connection.
func graceful(rt *rapid.T, c *churnConn) bool {
	return c.users > 1 || rapid.Bool().Draw(rt, "deleteStream")
}

// current returns the run publishing on path and how many messages it
// wrote, or the number the next run will get and 0.
func (ch *churn) current(path string) (run, seq int) {
	if p := ch.pubs[path]; p != nil {
		return p.run, len(ch.runs[p.run].msgs)
	}
	return len(ch.runs), 0
}

func (ch *churn) startPublisher(rt *rapid.T) {
	path := rapid.SampledFrom(churnPaths).Draw(rt, "path")
	c := ch.connFor(rt, path)
	pub, err := c.c.Publish(ch.ctx, path)
	if ch.pubs[path] != nil {
		var se *dial.StatusError
		if !errors.As(err, &se) || se.Code != "NetStream.Publish.BadName" {
			rt.Fatalf("second publisher on %s: got %v, want NetStream.Publish.BadName", path, err)
		}
		c.release()
		ch.note("second publisher on %s refused (conn %d)", path, c.id)
		return
	}
	if err != nil {
		rt.Fatalf("publish %s: %v", path, err)
	}
	run := len(ch.runs)
	ch.runs = append(ch.runs, churnRun{path: path})
	p := &churnPublisher{conn: c, pub: pub, run: run, ts: rapid.Uint32Range(0, 100000).Draw(rt, "start")}
	ch.pubs[path] = p
	ch.note("run %d publishes on %s (conn %d)", run, path, c.id)
	// An encoder's start: both decoder configurations, then a keyframe.
	ch.write(rt, p, message.Video{Payload: churnPayload([]byte{0x17, 0, 0, 0, 0}, run, -1, 0)})
	ch.write(rt, p, message.Audio{Payload: churnPayload([]byte{0xAF, 0}, run, -1, 0)})
	ch.frame(rt, p, false, true, 0)
}

func (ch *churn) publishMedia(rt *rapid.T) {
	path := rapid.SampledFrom(churnPaths).Draw(rt, "path")
	p := ch.pubs[path]
	if p == nil {
		rt.Skip("no publisher")
	}
	n := rapid.IntRange(1, 12).Draw(rt, "messages")
	ch.note("run %d writes %d messages", p.run, n)
	for range n {
		audio := rapid.Bool().Draw(rt, "audio")
		key := !audio && rapid.IntRange(0, 3).Draw(rt, "gop") == 0
		// Sizes around and past the chunk sizes both ends use.
		ch.frame(rt, p, audio, key, rapid.IntRange(0, 9000).Draw(rt, "size"))
	}
}

// frame writes one audio or video frame of p's run.
func (ch *churn) frame(rt *rapid.T, p *churnPublisher, audio, key bool, pad int) {
	r := &ch.runs[p.run]
	m := churnMsg{run: p.run, seq: len(r.msgs), audio: audio, key: key}
	r.msgs = append(r.msgs, m)
	p.ts += uint32(rapid.IntRange(0, 40).Draw(rt, "gap"))
	switch {
	case audio:
		ch.write(rt, p, message.Audio{Payload: churnPayload([]byte{0xAF, 1}, m.run, m.seq, pad)})
	case key:
		ch.write(rt, p, message.Video{Payload: churnPayload([]byte{0x17, 1, 0, 0, 0}, m.run, m.seq, pad)})
	default:
		ch.write(rt, p, message.Video{Payload: churnPayload([]byte{0x27, 1, 0, 0, 0}, m.run, m.seq, pad)})
	}
}

func (ch *churn) write(rt *rapid.T, p *churnPublisher, body message.Body) {
	if err := p.pub.WriteMessage(message.Message{Timestamp: p.ts, Body: body}); err != nil {
		rt.Fatalf("run %d: write: %v", p.run, err)
	}
}

// churnPayload is an FLV audio or video body: its header, then the run
// and sequence number (-1 for a decoder configuration) and pad bytes.
func churnPayload(head []byte, run, seq, pad int) []byte {
	b := append([]byte(nil), head...)
	b = binary.BigEndian.AppendUint32(b, uint32(run))
	b = binary.BigEndian.AppendUint32(b, uint32(int32(seq)))
	return append(b, make([]byte, pad)...)
}

// churnID reads back what churnPayload wrote; ok is false for a payload
// that is not one.
func churnID(m message.Message) (run, seq int, ok bool) {
	var p []byte
	var head int
	switch b := m.Body.(type) {
	case message.Audio:
		p, head = b.Payload, 2
	case message.Video:
		p, head = b.Payload, 5
	default:
		return 0, 0, false
	}
	if len(p) < head+8 {
		return 0, 0, false
	}
	return int(binary.BigEndian.Uint32(p[head:])), int(int32(binary.BigEndian.Uint32(p[head+4:]))), true
}

func (ch *churn) stopPublisher(rt *rapid.T) {
	path := rapid.SampledFrom(churnPaths).Draw(rt, "path")
	p := ch.pubs[path]
	if p == nil {
		rt.Skip("no publisher")
	}
	// Either the encoder says it stops, or its connection just closes.
	polite := graceful(rt, p.conn)
	if polite {
		p.pub.Close()
	}
	p.conn.release()
	ch.note("run %d stops (deleteStream %v)", p.run, polite)
	delete(ch.pubs, path)
	// Wait for the relay to see it, so that the script's idea of what is
	// publishing is the server's when the next step runs.
	ch.await(rt, path+" unpublished", func() bool { return !ch.relay.Publishing(relay.Path{App: "live", Key: path}) })
}

func (ch *churn) startPlayer(rt *rapid.T) {
	path := rapid.SampledFrom(churnPaths).Draw(rt, "path")
	c := ch.connFor(rt, path)
	play, err := c.c.Play(ch.ctx, path)
	if err != nil {
		rt.Fatalf("play %s: %v", path, err)
	}
	pl := &churnPlayer{path: path, conn: c, play: play, stayed: true, done: make(chan struct{})}
	pl.joinRun, pl.joinSeq = ch.current(path)
	ch.note("player %d plays %s at run %d message %d (conn %d)", len(ch.players), path, pl.joinRun, pl.joinSeq, c.id)
	ch.players = append(ch.players, pl)
	go pl.read(ch.ctx)
}

func (pl *churnPlayer) read(ctx context.Context) {
	defer close(pl.done)
	for {
		m, err := pl.play.ReadMessage(ctx)
		if err != nil {
			return
		}
		pl.mu.Lock()
		pl.got = append(pl.got, m)
		pl.mu.Unlock()
	}
}

func (ch *churn) stopPlayer(rt *rapid.T) {
	var live []*churnPlayer
	for _, pl := range ch.players {
		if pl.stayed {
			live = append(live, pl)
		}
	}
	if len(live) == 0 {
		rt.Skip("no player")
	}
	ch.leave(rt, rapid.SampledFrom(live).Draw(rt, "player"))
}

// leave stops a player once it has what it must have received, and checks
// what it got.
func (ch *churn) leave(rt *rapid.T, pl *churnPlayer) {
	pl.leftRun, _ = ch.current(pl.path)
	pl.stayed = false
	ch.awaitReceived(rt, pl)
	polite := graceful(rt, pl.conn)
	if polite {
		pl.play.Close()
	}
	pl.conn.release()
	ch.note("player %d leaves (deleteStream %v)", slices.Index(ch.players, pl), polite)
	ch.awaitDone(rt, pl)
	ch.check(rt, pl)
}

// awaitDone waits for pl's reading goroutine to end.
func (ch *churn) awaitDone(rt *rapid.T, pl *churnPlayer) {
	select {
	case <-pl.done:
	case <-time.After(10 * time.Second):
		ch.fail(rt, pl, "its playback did not end")
	}
}

// stranger is a connection that is no RTMP client: bytes that are no
// handshake, a handshake cut short, or a completed handshake followed by
// a broken chunk stream.
func (ch *churn) stranger(rt *rapid.T) {
	kind := rapid.IntRange(0, 2).Draw(rt, "kind")
	ch.note("stranger %d", kind)
	c, err := net.Dial("tcp", ch.addr)
	if err != nil {
		rt.Fatal(err)
	}
	defer c.Close()
	ch.dials++
	switch kind {
	case 0, 1:
		// Never 1+1536+1536 bytes, so never a handshake.
		b := rapid.SliceOfN(rapid.Byte(), 0, 3000).Draw(rt, "bytes")
		if kind == 1 && len(b) > 0 {
			b[0] = 3 // a plain C0, then C1 and C2 cut short
		}
		c.Write(b)
		ch.strangers++
	case 2:
		hs := make([]byte, 1+1536)
		hs[0] = 3
		c.Write(hs)
		if _, err := io.ReadFull(c, make([]byte, 1+1536+1536)); err != nil {
			rt.Fatalf("stranger handshake: %v", err)
		}
		c.Write(make([]byte, 1536))
		c.Write(rapid.SliceOfN(rapid.Byte(), 1, 2000).Draw(rt, "chunks"))
	}
}

// finish lets the players that stayed receive everything, then checks
// them.
func (ch *churn) finish(rt *rapid.T) {
	for _, pl := range ch.players {
		if pl.stayed {
			pl.leftRun, _ = ch.current(pl.path)
			ch.awaitReceived(rt, pl)
		}
	}
	for _, s := range ch.relay.Streams() {
		if s.Dropped != 0 {
			rt.Fatalf("%v: the relay dropped %d messages", s.Path, s.Dropped)
		}
	}
	for _, pl := range ch.players {
		if pl.stayed {
			ch.leave(rt, pl)
		}
	}
	for path, p := range ch.pubs {
		if p.conn.users > 1 {
			p.pub.Close()
		}
		p.conn.release()
		delete(ch.pubs, path)
	}
}

// awaitReceived waits until pl has the last message it must receive (see
// mustUntil): one that has left the server may still be on its way.
func (ch *churn) awaitReceived(rt *rapid.T, pl *churnPlayer) {
	want := ch.lastRequired(pl)
	if want == nil {
		return
	}
	has := func() bool {
		pl.mu.Lock()
		defer pl.mu.Unlock()
		for _, m := range pl.got {
			if run, seq, ok := churnID(m); ok && run == want.run && seq == want.seq {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for !has() {
		if time.Now().After(deadline) {
			ch.fail(rt, pl, "never got run %d message %d", want.run, want.seq)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// received lists what the player got, for failure messages.
func (pl *churnPlayer) received() string {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	var b strings.Builder
	for _, m := range pl.got {
		if run, seq, ok := churnID(m); ok {
			fmt.Fprintf(&b, " %d/%d@%d", run, seq, m.Timestamp)
		} else {
			fmt.Fprintf(&b, " %T", m.Body)
		}
	}
	return b.String()
}

// lastRequired is the last message pl must receive, or nil.
func (ch *churn) lastRequired(pl *churnPlayer) *churnMsg {
	for run := min(pl.leftRun, len(ch.runs)-1); run >= pl.joinRun; run-- {
		r := ch.runs[run]
		if until := ch.mustUntil(pl, run); r.path == pl.path && until > 0 {
			return &r.msgs[until-1]
		}
	}
	return nil
}

// check compares what a player received with the runs of its path.
func (ch *churn) check(rt *rapid.T, pl *churnPlayer) {
	if d := pl.play.Dropped(); d != 0 {
		ch.fail(rt, pl, "its client dropped %d messages", d)
	}
	var lastTS uint32
	var media int
	run := -1
	var seqHeaders map[bool]bool
	var seqs []int
	seen := map[int]bool{}
	flush := func() {
		if run >= 0 {
			ch.checkRun(rt, pl, run, seqs)
			seen[run] = true
		}
	}
	for i, m := range pl.got {
		r, seq, ok := churnID(m)
		if !ok {
			continue
		}
		_, audio := m.Body.(message.Audio)
		if r != run {
			if r < run {
				ch.fail(rt, pl, "message %d is of run %d after run %d", i, r, run)
			}
			flush()
			run, seqs, seqHeaders = r, nil, map[bool]bool{}
		}
		if seq < 0 {
			if seqHeaders[audio] {
				ch.fail(rt, pl, "run %d's decoder configuration (audio %v) twice", r, audio)
			}
			seqHeaders[audio] = true
			continue
		}
		if !seqHeaders[audio] {
			ch.fail(rt, pl, "run %d message %d before its decoder configuration (audio %v)", r, seq, audio)
		}
		if media > 0 && int32(m.Timestamp-lastTS) < 0 {
			ch.fail(rt, pl, "timestamp %d after %d (run %d message %d)", m.Timestamp, lastTS, r, seq)
		}
		lastTS = m.Timestamp
		media++
		seqs = append(seqs, seq)
	}
	flush()
	// Every run of the path between the join and the leave whose messages
	// the player had to get must have shown up.
	for r := pl.joinRun; r < min(pl.leftRun+1, len(ch.runs)); r++ {
		if ch.runs[r].path != pl.path || seen[r] {
			continue
		}
		if from := ch.mustFrom(pl, r); from >= 0 && from < ch.mustUntil(pl, r) {
			ch.fail(rt, pl, "nothing of run %d, which it had to get from message %d", r, from)
		}
	}
}

// checkRun checks one run's messages as a player received them: a
// contiguous stretch of the run that starts on a keyframe no later than
// the last one published before the player joined, and goes on to the end
// of the run, or to when the player left.
func (ch *churn) checkRun(rt *rapid.T, pl *churnPlayer, run int, seqs []int) {
	r := ch.runs[run]
	if r.path != pl.path {
		ch.fail(rt, pl, "got run %d, published on %s", run, r.path)
	}
	if run < pl.joinRun || run > pl.leftRun {
		ch.fail(rt, pl, "got run %d, outside its runs %d..%d", run, pl.joinRun, pl.leftRun)
	}
	if len(seqs) == 0 {
		return
	}
	first := seqs[0]
	if !r.msgs[first].key {
		ch.fail(rt, pl, "run %d starts at message %d, not a keyframe", run, first)
	}
	for i, s := range seqs {
		if s != first+i {
			ch.fail(rt, pl, "run %d has message %d where %d belongs (got %v)", run, s, first+i, seqs)
		}
	}
	if from := ch.mustFrom(pl, run); first > from {
		ch.fail(rt, pl, "run %d starts at message %d, after message %d it had to get", run, first, from)
	}
	if until := ch.mustUntil(pl, run); first+len(seqs) < until {
		ch.fail(rt, pl, "run %d ends at message %d, before message %d it had to get", run, first+len(seqs)-1, until-1)
	}
}

// fail ends the check with what the player got and what the script did:
// a failure on real sockets may not replay.
func (ch *churn) fail(rt *rapid.T, pl *churnPlayer, format string, args ...any) {
	rt.Helper()
	rt.Fatalf("player of %s (joined run %d at message %d, left at run %d): %s\nit got:%s\nconnection: %v; relay: %+v, queued %v; %v\nscript:\n%s",
		pl.path, pl.joinRun, pl.joinSeq, pl.leftRun, fmt.Sprintf(format, args...), pl.received(), pl.conn.c.Err(),
		ch.relay.Streams(), ch.relay.Queued(relay.Path{App: "live", Key: pl.path}), ch.tap, strings.Join(ch.trace, "\n"))
}

// mustFrom is the message of run the player must receive from: the
// last keyframe written before it joined, or the start of a run that
// began after.
func (ch *churn) mustFrom(pl *churnPlayer, run int) int {
	if run != pl.joinRun {
		return 0
	}
	from := 0
	for _, m := range ch.runs[run].msgs[:pl.joinSeq] {
		if m.key {
			from = m.seq
		}
	}
	return from
}

// mustUntil is how many messages of run the player must receive: all of
// them for a run it saw end or stayed to the end of, and none for the run
// it left in the middle of (it may have left before any arrived).
func (ch *churn) mustUntil(pl *churnPlayer, run int) int {
	if run == pl.leftRun && !pl.stayed {
		return 0
	}
	return len(ch.runs[run].msgs)
}

// shutdown stops the server once every client left, and checks that it
// holds nothing more and counted what happened.
func (ch *churn) shutdown(rt *rapid.T) {
	defer ch.cancel()
	// A stranger's connection may still be in the accept queue: wait for
	// the counts the script implies rather than for Open to be 0.
	settled := func() bool {
		n := ch.stats.Counts()
		return n.Accepted == uint64(ch.dials) && n.Open == 0 && n.HandshakeFailed == uint64(ch.strangers)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !settled() {
		if time.Now().After(deadline) {
			n := ch.stats.Counts()
			rt.Fatalf("server counts %d accepted, %d open, %d failed handshakes; the script made %d connections, %d of them no handshake",
				n.Accepted, n.Open, n.HandshakeFailed, ch.dials, ch.strangers)
		}
		time.Sleep(2 * time.Millisecond)
	}
	ch.await(rt, "every path forgotten", func() bool { return len(ch.relay.Streams()) == 0 })
	ch.stop()
	select {
	case err := <-ch.serve:
		if err != nil {
			rt.Fatalf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		rt.Fatal("Serve did not return")
	}
}

// await polls cond until it holds, for 10 s at most.
func (ch *churn) await(rt *rapid.T, what string, cond func() bool) {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			rt.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
