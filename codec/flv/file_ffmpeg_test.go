package flv

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var ffmpegFiles = []string{
	"../../testdata/media/h264-aac-640x360.flv",
	"../../testdata/media/h264-aac-320x240.flv",
}

func readAllTags(t *testing.T, data []byte) (Header, []Tag) {
	t.Helper()
	r := NewReader(bytes.NewReader(data))
	h, err := r.Header()
	if err != nil {
		t.Fatal(err)
	}
	var tags []Tag
	for {
		tag, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("tag %d: %v", len(tags), err)
		}
		tags = append(tags, tag)
	}
	if r.Offset() != int64(len(data)) {
		t.Fatalf("reader stopped at %d of %d bytes", r.Offset(), len(data))
	}
	return h, tags
}

// probedPacket is one video packet as ffprobe reports it.
type probedPacket struct {
	DTS, PTS int64
	Key      bool
}

func probeVideoPackets(t *testing.T, path string) []probedPacket {
	ffprobe := needProgram(t, "ffprobe", "ffmpeg")
	out, err := exec.Command(ffprobe, "-v", "error", "-select_streams", "v",
		"-show_entries", "packet=pts,dts,flags", "-of", "compact=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var pkts []probedPacket
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var p probedPacket
		for _, kv := range strings.Split(line, "|") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "pts":
				p.PTS, _ = strconv.ParseInt(v, 10, 64)
			case "dts":
				p.DTS, _ = strconv.ParseInt(v, 10, 64)
			case "flags":
				p.Key = strings.HasPrefix(v, "K")
			}
		}
		pkts = append(pkts, p)
	}
	return pkts
}

// Every video tag of ffmpeg's files classifies, the sequence headers come
// first, and the keyframes and composition times are exactly where ffprobe
// puts them.
func TestFFmpegFilesKeyframesMatchFFprobe(t *testing.T) {
	for _, path := range ffmpegFiles {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			h, tags := readAllTags(t, data)
			if diff := cmp.Diff(Header{Version: 1, HasAudio: true, HasVideo: true, DataOffset: 9}, h); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			var got []probedPacket
			var videoHeaders, videoEnds, audioHeaders, audioFrames int
			for i, tag := range tags {
				switch tag.Type {
				case TagVideo:
					info, err := ClassifyVideo(tag.Data)
					if err != nil {
						t.Fatalf("tag %d: %v", i, err)
					}
					if videoEnds > 0 {
						t.Errorf("tag %d: video after the end of sequence", i)
					}
					if info.FourCC != FourCCAVC || info.Enhanced {
						t.Fatalf("tag %d: not legacy AVC: %+v", i, info)
					}
					switch info.Kind {
					case KindSequenceStart:
						if len(got) > 0 {
							t.Errorf("tag %d: sequence header after frames", i)
						}
						videoHeaders++
					case KindKeyframe, KindFrame:
						ts := int64(tag.Timestamp)
						got = append(got, probedPacket{DTS: ts, PTS: ts + int64(info.CompositionTime), Key: info.Kind == KindKeyframe})
					case KindSequenceEnd:
						// ffmpeg ends the stream with an AVC end of sequence.
						videoEnds++
					default:
						t.Errorf("tag %d: unexpected kind %v", i, info.Kind)
					}
				case TagAudio:
					info, err := ClassifyAudio(tag.Data)
					if err != nil {
						t.Fatalf("tag %d: %v", i, err)
					}
					if info.Kind == KindSequenceStart {
						if audioFrames > 0 {
							t.Errorf("tag %d: AAC header after frames", i)
						}
						audioHeaders++
					} else {
						audioFrames++
					}
				}
			}
			if videoHeaders != 1 || videoEnds != 1 || audioHeaders != 1 || audioFrames == 0 {
				t.Errorf("video headers %d, ends %d; audio headers %d, frames %d", videoHeaders, videoEnds, audioHeaders, audioFrames)
			}
			want := probeVideoPackets(t, path)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("video packets differ from ffprobe (-ffprobe +ours):\n%s", diff)
			}
			keys := 0
			for _, p := range got {
				if p.Key {
					keys++
				}
			}
			if keys < 2 {
				t.Errorf("only %d keyframes found", keys)
			}
		})
	}
}

// Reading ffmpeg's file and writing every tag back gives the same bytes,
// and ffprobe reads a file our writer made from scratch without a warning.
func TestWriterReproducesFFmpegFile(t *testing.T) {
	for _, path := range ffmpegFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h, tags := readAllTags(t, data)
		var out bytes.Buffer
		w, err := NewWriter(&out, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range tags {
			if err := w.WriteTag(tag); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Errorf("%s: rewritten file differs (%d vs %d bytes)", path, out.Len(), len(data))
		}
	}
}

func TestFFprobeReadsOurFileWithoutWarnings(t *testing.T) {
	ffprobe := needProgram(t, "ffprobe", "ffmpeg")
	data, err := os.ReadFile(ffmpegFiles[1])
	if err != nil {
		t.Fatal(err)
	}
	_, tags := readAllTags(t, data)
	// Drop ffmpeg's onMetaData and shift time, so the file is ours alone.
	name := filepath.Join(t.TempDir(), "ours.flv")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(f, Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil {
		t.Fatal(err)
	}
	written := 0
	for _, tag := range tags {
		if tag.Type == TagScript {
			continue
		}
		tag.Timestamp += 1000
		if err := w.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
		written++
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ffprobe, "-v", "warning", "-show_entries", "stream=codec_name", "-count_packets",
		"-show_entries", "stream=nb_read_packets", "-of", "compact=p=0", name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe: %v: %s", err, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("ffprobe warned:\n%s", stderr.String())
	}
	// Both streams are found and every packet is counted.
	total := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		_, n, _ := strings.Cut(line, "nb_read_packets=")
		v, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil {
			t.Fatalf("ffprobe output %q", out)
		}
		total += v
	}
	// The two sequence headers and the end of sequence are not packets.
	if total != written-3 {
		t.Errorf("ffprobe read %d packets, we wrote %d tags (%s)", total, written, out)
	}
}

func TestReaderReportsCorruptionWithOffset(t *testing.T) {
	data, err := os.ReadFile(ffmpegFiles[1])
	if err != nil {
		t.Fatal(err)
	}
	// The first tag starts after the header and PreviousTagSize0; its
	// trailer follows its data.
	firstSize := int(be24(data[13+1:]))
	trailer := 13 + tagHeaderLen + firstSize
	tests := []struct {
		name   string
		mutate func(b []byte)
		offset int64
		want   error
	}{
		{"signature", func(b []byte) { b[1] = 'X' }, 0, ErrSignature},
		{"data offset", func(b []byte) { b[8] = 3 }, 5, ErrDataOffset},
		{"previous tag size 0", func(b []byte) { b[12] = 1 }, 9, ErrPreviousTagSize},
		{"reserved tag bits", func(b []byte) { b[13] |= 0x80 }, 13, ErrTagReserved},
		{"previous tag size", func(b []byte) { b[trailer+3]++ }, int64(trailer), ErrPreviousTagSize},
	}
	for _, tc := range tests {
		b := bytes.Clone(data)
		tc.mutate(b)
		r := NewReader(bytes.NewReader(b))
		var err error
		for i := 0; i < 3 && err == nil; i++ {
			_, err = r.Next()
		}
		var fe *FileError
		if !errors.As(err, &fe) || !errors.Is(err, tc.want) || fe.Offset != tc.offset {
			t.Errorf("%s: err %v, want %v at %d", tc.name, err, tc.want, tc.offset)
		}
		if _, again := r.Next(); again != err {
			t.Errorf("%s: error not sticky: %v then %v", tc.name, err, again)
		}
	}
}
