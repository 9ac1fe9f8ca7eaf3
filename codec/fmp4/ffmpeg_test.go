package fmp4_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

var mediaFiles = []string{
	"../../testdata/media/h264-aac-640x360.flv",
	"../../testdata/media/h264-aac-320x240.flv",
}

// remux turns an FLV file into a fragmented MP4 the way a live stream
// would be: tag by tag through Tags and a Muxer, a fragment before each
// video keyframe.
func remux(t *testing.T, src []byte) []byte {
	t.Helper()
	r := flv.NewReader(bytes.NewReader(src))
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	var tags fmp4.Tags
	var mux fmp4.Muxer
	var out []byte
	wroteInit := false
	for {
		tag, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ev, err := tags.Push(uint8(tag.Type), tag.Timestamp, tag.Data)
		if err != nil {
			t.Fatalf("tag at %d ms: %v", tag.Timestamp, err)
		}
		if ev.TracksChanged && wroteInit {
			t.Fatal("the track set changed after the first sample")
		}
		for _, s := range ev.Samples {
			if !wroteInit {
				if out, err = fmp4.AppendInit(out, tags.Tracks()); err != nil {
					t.Fatal(err)
				}
				wroteInit = true
			}
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				if out, err = mux.AppendFragment(out); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	out, err := mux.Flush(out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// framePacket is one line of ffmpeg's framemd5: a packet's stream,
// presentation time in milliseconds, size and hash.
type framePacket struct {
	Stream int
	PTSms  int64
	Size   int
	Hash   string
}

// frameMD5 runs ffmpeg -c copy -f framemd5 on path, video first then
// audio, and returns each stream's packets in order.
func frameMD5(t *testing.T, path string) map[int][]framePacket {
	t.Helper()
	ffmpeg := needProgram(t, "ffmpeg", "ffmpeg")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-i", path, "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "framemd5", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("ffmpeg framemd5 %s: %v\n%s", path, err, stderr.String())
	}
	timebase := map[int][2]int64{}
	streams := map[int][]framePacket{}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "#tb "); ok {
			idx, tb, _ := strings.Cut(rest, ": ")
			num, den, _ := strings.Cut(tb, "/")
			i, _ := strconv.Atoi(idx)
			n, _ := strconv.ParseInt(num, 10, 64)
			d, _ := strconv.ParseInt(den, 10, 64)
			timebase[i] = [2]int64{n, d}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) < 6 { // side data may follow
			t.Fatalf("framemd5 line %q", line)
		}
		var p framePacket
		p.Stream, _ = strconv.Atoi(strings.TrimSpace(f[0]))
		pts, _ := strconv.ParseInt(strings.TrimSpace(f[2]), 10, 64)
		tb := timebase[p.Stream]
		if tb[1] == 0 {
			t.Fatalf("no time base for stream %d", p.Stream)
		}
		p.PTSms = int64(math.Round(float64(pts*tb[0]*1000) / float64(tb[1])))
		p.Size, _ = strconv.Atoi(strings.TrimSpace(f[4]))
		p.Hash = strings.TrimSpace(f[5])
		streams[p.Stream] = append(streams[p.Stream], p)
	}
	return streams
}

// ffmpeg reads what Tags and the Muxer make of the repository's FLV files
// and finds every video and audio frame of the source, byte for byte, at
// the same presentation time.
func TestFFmpegReadsRemuxedFLV(t *testing.T) {
	for _, src := range mediaFiles {
		t.Run(filepath.Base(src), func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			mp4 := filepath.Join(t.TempDir(), "out.mp4")
			out := remux(t, data)
			if err := os.WriteFile(mp4, out, 0o644); err != nil {
				t.Fatal(err)
			}
			// The picture size read from the SPS is the file's, and every
			// fragment's video starts on a keyframe.
			f, err := fmp4.Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, fr := range f.Fragments {
				for _, r := range fr.Runs {
					if r.TrackID == 1 && (len(r.Samples) == 0 || !r.Samples[0].Sync) {
						t.Errorf("fragment %d: video run does not start on a keyframe", fr.Sequence)
					}
				}
			}
			var w, h uint16
			fmt.Sscanf(strings.TrimSuffix(filepath.Base(src), ".flv"), "h264-aac-%dx%d", &w, &h)
			if v := f.Tracks[0]; v.Codec != fmp4.H264 || v.Width != w || v.Height != h {
				t.Errorf("video track %v %dx%d, want h264 %dx%d", v.Codec, v.Width, v.Height, w, h)
			}
			want, got := frameMD5(t, src), frameMD5(t, mp4)
			if len(want[0]) == 0 || len(want[1]) == 0 {
				t.Fatalf("source has %d video and %d audio frames", len(want[0]), len(want[1]))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("frames differ (-flv +mp4):\n%s", diff)
			}
		})
	}
}
