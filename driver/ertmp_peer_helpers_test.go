package driver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/keyframe"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// mediaRecord is one media message as the Enhanced RTMP peer prints it
// (see testdata/ertmppeer): which track, what packet, and its codec data
// as bytes on the wire after the tag header. Our own players' messages
// are turned into the same records with codec/flv, so both sides compare.
type mediaRecord struct {
	Media  string `json:"media"`
	Track  uint8  `json:"track"`
	Packet string `json:"packet"`
	Form   string `json:"form"`
	Codec  string `json:"codec"`
	DTS    int64  `json:"dts"`
	PTS    int64  `json:"pts"`
	Data   []byte `json:"data,omitempty"`
}

// trackKey names one audio or video track.
type trackKey struct {
	media string
	track uint8
}

func (r mediaRecord) key() trackKey { return trackKey{r.Media, r.Track} }

// String is what a diff shows of a record: no more than the head of its data.
func (r mediaRecord) String() string {
	return fmt.Sprintf("%s/%d %s %s %d ms % x (%d bytes)", r.Media, r.Track, r.Packet, r.Form, r.DTS, r.Data[:min(len(r.Data), 8)], len(r.Data))
}

// recordsOf turns an audio or video payload into records, one per track.
func recordsOf(kind message.TypeID, ts uint32, payload []byte) ([]mediaRecord, error) {
	var out []mediaRecord
	if kind == message.TypeVideo {
		info, err := flv.ClassifyVideo(payload)
		if err != nil {
			return nil, err
		}
		form := map[bool]string{false: "legacy", true: "enhanced"}[info.Enhanced]
		it := flv.VideoTracks(payload)
		for it.Next() {
			tr := it.Track()
			r := mediaRecord{Media: "video", Track: tr.ID, Form: form, Codec: tr.FourCC.String(), DTS: int64(ts), PTS: int64(ts) + int64(tr.CompositionTime)}
			switch info.Kind {
			case flv.KindSequenceStart:
				r.Packet = "config"
			case flv.KindSequenceEnd:
				r.Packet = "end"
			case flv.KindKeyframe, flv.KindFrame:
				r.Packet, r.Data = "frame", tr.Data
			default:
				continue
			}
			out = append(out, r)
		}
		return out, it.Err()
	}
	info, err := flv.ClassifyAudio(payload)
	if err != nil {
		return nil, err
	}
	form := map[bool]string{false: "legacy", true: "enhanced"}[info.Enhanced]
	it := flv.AudioTracks(payload)
	for it.Next() {
		tr := it.Track()
		r := mediaRecord{Media: "audio", Track: tr.ID, Form: form, Codec: tr.FourCC.String(), DTS: int64(ts), PTS: int64(ts)}
		switch info.Kind {
		case flv.KindSequenceStart:
			r.Packet = "config"
		case flv.KindSequenceEnd:
			r.Packet = "end"
		case flv.KindFrame:
			r.Packet, r.Data = "frame", tr.Data
		default:
			continue
		}
		out = append(out, r)
	}
	return out, it.Err()
}

// recorder collects the records of one player or publisher as they come.
type recorder struct {
	mu   sync.Mutex
	recs []mediaRecord
	done chan error
}

func newRecorder() *recorder { return &recorder{done: make(chan error, 1)} }

func (r *recorder) add(recs ...mediaRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, recs...)
}

func (r *recorder) records() []mediaRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.recs)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.recs)
}

// playWithClient plays url with our client until the marker, recording
// what it gets; the recorder's done says how it ended.
func playWithClient(ctx context.Context, t *testing.T, cfg dial.Config, url string) *recorder {
	t.Helper()
	pb := startPlayer(ctx, t, cfg, url)
	rec := newRecorder()
	go func() {
		for {
			m, err := pb.ReadMessage(ctx)
			if err != nil {
				rec.done <- err
				return
			}
			switch b := m.Body.(type) {
			case message.Video:
				recs, err := recordsOf(message.TypeVideo, m.Timestamp, b.Payload)
				if err != nil {
					rec.done <- fmt.Errorf("unreadable video % x: %w", b.Payload, err)
					return
				}
				rec.add(recs...)
			case message.Audio:
				recs, err := recordsOf(message.TypeAudio, m.Timestamp, b.Payload)
				if err != nil {
					rec.done <- fmt.Errorf("unreadable audio % x: %w", b.Payload, err)
					return
				}
				rec.add(recs...)
			case message.Data:
				if len(b.Values) > 0 && b.Values[0] == "onTextData" {
					rec.done <- nil
					return
				}
			}
		}
	}()
	return rec
}

// ertmpPeer is one run of the Enhanced RTMP peer.
type ertmpPeer struct {
	*recorder
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	notes  chan string
	stderr lockedBuffer
}

// buildERTMPPeer builds the peer for one test.
func buildERTMPPeer(t *testing.T) string {
	t.Helper()
	return peers.BuildERTMPPeer(t, peers.ERTMPPeerSource, t.TempDir())
}

// startERTMPPeer runs the peer with args; its records and notes (the
// "# " lines) come as it prints them.
func startERTMPPeer(ctx context.Context, t *testing.T, bin string, args ...string) *ertmpPeer {
	t.Helper()
	p := &ertmpPeer{recorder: newRecorder(), notes: make(chan string, 16)}
	p.cmd = exec.CommandContext(ctx, bin, args...)
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = 2 * time.Second
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			line := sc.Text()
			if note, ok := strings.CutPrefix(line, "# "); ok {
				p.notes <- note
				continue
			}
			var r mediaRecord
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				p.done <- fmt.Errorf("peer printed %q: %v", line, err)
				return
			}
			p.add(r)
		}
		p.done <- p.cmd.Wait()
	}()
	return p
}

// await waits for a note starting with prefix and returns it.
func (p *ertmpPeer) await(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case note := <-p.notes:
		if !strings.HasPrefix(note, prefix) {
			t.Fatalf("peer %v said %q, want %q", p.cmd.Args[1:], note, prefix)
		}
		return note
	case err := <-p.done:
		t.Fatalf("peer %v ended waiting for %q: %v\n%s", p.cmd.Args[1:], prefix, err, p.stderr.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("peer %v did not say %q in 15 s\n%s", p.cmd.Args[1:], prefix, p.stderr.String())
	}
	return ""
}

// command writes one command line to the peer's stdin.
func (p *ertmpPeer) command(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		t.Fatalf("peer %v: %v", p.cmd.Args[1:], err)
	}
}

// finished waits for a run to end and fails the test unless it ended well.
func finished(t *testing.T, who string, r *recorder, stderr func() string) {
	t.Helper()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("%s: %v\n%s", who, err, stderr())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("%s did not reach the end marker in 15 s\n%s", who, stderr())
	}
}

// scriptTrack and scriptFrame are the peer's publish script (see
// testdata/ertmppeer/publish.go).
type scriptTrack struct {
	Codec    string `json:"codec"`
	SPS      []byte `json:"sps,omitempty"`
	PPS      []byte `json:"pps,omitempty"`
	Config   []byte `json:"config,omitempty"`
	Channels int    `json:"channels,omitempty"`
}

type scriptFrame struct {
	Track int      `json:"track"`
	DTS   int64    `json:"dts"`
	PTS   int64    `json:"pts"`
	Units [][]byte `json:"units,omitempty"`
	Data  []byte   `json:"data,omitempty"`
}

type peerScript struct {
	Tracks []scriptTrack `json:"tracks"`
	Frames []scriptFrame `json:"frames"`
}

// sortFrames orders the frames by time, video before audio at the same
// time, as an encoder interleaves them.
func (s *peerScript) sortFrames() {
	slices.SortStableFunc(s.Frames, func(a, b scriptFrame) int {
		if a.DTS != b.DTS {
			return int(a.DTS - b.DTS)
		}
		return 0
	})
}

// framesBefore counts the frames before ms.
func (s *peerScript) framesBefore(ms int64) int {
	return slices.IndexFunc(s.Frames, func(f scriptFrame) bool { return f.DTS >= ms })
}

func (s *peerScript) write(t *testing.T) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// nalUnits splits a length-prefixed access unit.
func nalUnits(t *testing.T, au []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(au) > 0 {
		if len(au) < 4 || int(binary.BigEndian.Uint32(au)) > len(au)-4 {
			t.Fatal("access unit cut")
		}
		n := int(binary.BigEndian.Uint32(au))
		out, au = append(out, au[4:4+n]), au[4+n:]
	}
	return out
}

// obus splits a temporal unit of OBUs that carry their size.
func obus(t *testing.T, tu []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(tu) > 0 {
		h := 1 + int(tu[0]>>2&1)
		size, k := uvarint(tu[h:])
		end := h + k + int(size)
		if k == 0 || end > len(tu) {
			t.Fatal("OBU cut")
		}
		out, tu = append(out, tu[:end]), tu[end:]
	}
	return out
}

// ivfFrames reads the frames of an IVF file.
func ivfFrames(t *testing.T, path string) [][]byte {
	t.Helper()
	b := readSample(t, path)
	if len(b) < 32 || string(b[:4]) != "DKIF" {
		t.Fatalf("%s is not IVF", path)
	}
	var out [][]byte
	for b = b[binary.LittleEndian.Uint16(b[6:]):]; len(b) >= 12; {
		n := int(binary.LittleEndian.Uint32(b))
		if len(b) < 12+n {
			t.Fatal("IVF frame cut")
		}
		out, b = append(out, b[12:12+n]), b[12+n:]
	}
	return out
}

// isKeyframe reads a video record's bitstream.
func recordIsKeyframe(r mediaRecord) (bool, error) {
	switch r.Codec {
	case "avc1", "7": // the FourCC, or the legacy codec id
		return keyframe.AVC(r.Data)
	case "hvc1":
		return keyframe.HEVC(r.Data)
	case "av01":
		return keyframe.AV1(r.Data)
	case "vp09":
		return keyframe.VP9(r.Data)
	}
	return false, fmt.Errorf("no bitstream reader for %q", r.Codec)
}

// frames returns the frame records of one track.
func framesOf(recs []mediaRecord, k trackKey) []mediaRecord {
	var out []mediaRecord
	for _, r := range recs {
		if r.Packet == "frame" && r.key() == k {
			out = append(out, r)
		}
	}
	return out
}

// sameFrames reports whether two runs of frames are byte for byte and
// millisecond for millisecond the same.
func sameFrames(a, b []mediaRecord) bool {
	return slices.EqualFunc(a, b, func(x, y mediaRecord) bool {
		return x.Media == y.Media && x.Track == y.Track && x.DTS == y.DTS && bytes.Equal(x.Data, y.Data)
	})
}
