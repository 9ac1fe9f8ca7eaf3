package fuzz

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/gortmp/rtmp/codec/flv"
)

// readFLV reads a whole file, returning the header, the tags and the error
// that ended the read.
func readFLV(src io.Reader) (flv.Header, []flv.Tag, error) {
	r := flv.NewReader(src)
	h, err := r.Header()
	if err != nil {
		return h, nil, err
	}
	var tags []flv.Tag
	for {
		tag, err := r.Next()
		if err != nil {
			return h, tags, err
		}
		tags = append(tags, tag)
	}
}

// FuzzFLV reads the input as an FLV file, once whole and once a byte per
// Read. Both must give the same tags and the same error, which is io.EOF
// or a *flv.FileError; a file read to a clean end with a plain 9-byte header
// is written back by the Writer to exactly the input; every audio and video
// tag classifies or fails with a flv error, never a panic.
func FuzzFLV(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		h, tags, err := readFLV(bytes.NewReader(in))
		h1, tags1, err1 := readFLV(iotest.OneByteReader(bytes.NewReader(in)))
		if h != h1 || len(tags) != len(tags1) || errString(err) != errString(err1) {
			t.Fatalf("whole and byte-wise reads differ: %v / %v, %d / %d tags", err, err1, len(tags), len(tags1))
		}
		for i := range tags {
			if tags[i].Type != tags1[i].Type || tags[i].Timestamp != tags1[i].Timestamp || !bytes.Equal(tags[i].Data, tags1[i].Data) {
				t.Fatalf("tag %d differs between whole and byte-wise reads", i)
			}
		}
		var fe *flv.FileError
		if err != io.EOF && !errors.As(err, &fe) {
			t.Fatalf("read ended with %T %v", err, err)
		}
		if fe != nil && (fe.Offset < 0 || fe.Offset > int64(len(in))) {
			t.Fatalf("error offset %d outside the %d-byte input", fe.Offset, len(in))
		}
		for _, tag := range tags {
			switch tag.Type {
			case flv.TagVideo:
				_, cerr := flv.ClassifyVideo(tag.Data)
				checkHeaderError(t, cerr)
			case flv.TagAudio:
				_, cerr := flv.ClassifyAudio(tag.Data)
				checkHeaderError(t, cerr)
			}
		}
		// The reader ignores the reserved bits of the header flags, so only
		// files without them come back byte for byte.
		if err == io.EOF && h.DataOffset == 9 && in[4]&^0x05 == 0 {
			var out bytes.Buffer
			w, werr := flv.NewWriter(&out, h)
			for _, tag := range tags {
				if werr == nil {
					werr = w.WriteTag(tag)
				}
			}
			if werr != nil || !bytes.Equal(out.Bytes(), in) {
				t.Fatalf("rewriting a valid file changed it (%v)", werr)
			}
		}
	})
}

// FuzzTagHeaders classifies the input as an audio or a video message
// payload (the first byte chooses). A success must agree with the track
// walk, point only into the input, and every track must extract to a
// single-track message that classifies to the same kind, codec and data.
func FuzzTagHeaders(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		video, p := in[0]&1 == 1, in[1:]
		if video {
			checkVideo(t, p)
		} else {
			checkAudio(t, p)
		}
	})
}

func checkVideo(t *testing.T, p []byte) {
	info, err := flv.ClassifyVideo(p)
	checkHeaderError(t, err)
	if err != nil {
		return
	}
	if !inside(info.Data, p) {
		t.Fatal("Data is not a sub-slice of the payload")
	}
	it, n := flv.VideoTracks(p), 0
	seen := map[uint8]bool{}
	for it.Next() {
		tr := it.Track()
		n++
		if !inside(tr.Body, p) || !inside(tr.Data, p) {
			t.Fatalf("track %d is not a sub-slice of the payload", tr.ID)
		}
		if seen[tr.ID] {
			continue
		}
		seen[tr.ID] = true
		one, err := flv.ExtractVideoTrack(nil, p, tr.ID)
		if err != nil {
			t.Fatalf("extract track %d: %v", tr.ID, err)
		}
		single, err := flv.ClassifyVideo(one)
		if err != nil || single.Multitrack || single.Kind != info.Kind || single.FourCC != tr.FourCC ||
			single.CompositionTime != tr.CompositionTime || !bytes.Equal(single.Data, tr.Data) {
			t.Fatalf("track %d extracted to % x: %+v, %v", tr.ID, one, single, err)
		}
		if legacy, ok, err := flv.AppendLegacyVideo(nil, one); err != nil {
			t.Fatalf("legacy form of % x: %v", one, err)
		} else if ok {
			old, err := flv.ClassifyVideo(legacy)
			if err != nil || old.Enhanced || old.Kind != info.Kind || !bytes.Equal(old.Data, tr.Data) {
				t.Fatalf("legacy form % x classifies as %+v, %v", legacy, old, err)
			}
		}
	}
	if it.Err() != nil {
		t.Fatalf("classify accepted what the walk rejects: %v", it.Err())
	}
	if info.Kind != flv.KindCommand && n != info.Tracks {
		t.Fatalf("walk found %d tracks, classify %d", n, info.Tracks)
	}
}

func checkAudio(t *testing.T, p []byte) {
	info, err := flv.ClassifyAudio(p)
	checkHeaderError(t, err)
	if err != nil {
		return
	}
	if !inside(info.Data, p) {
		t.Fatal("Data is not a sub-slice of the payload")
	}
	it, n := flv.AudioTracks(p), 0
	seen := map[uint8]bool{}
	for it.Next() {
		tr := it.Track()
		n++
		if seen[tr.ID] {
			continue
		}
		seen[tr.ID] = true
		one, err := flv.ExtractAudioTrack(nil, p, tr.ID)
		if err != nil {
			t.Fatalf("extract track %d: %v", tr.ID, err)
		}
		single, err := flv.ClassifyAudio(one)
		if err != nil || single.Multitrack || single.Kind != info.Kind || single.FourCC != tr.FourCC || !bytes.Equal(single.Data, tr.Data) {
			t.Fatalf("track %d extracted to % x: %+v, %v", tr.ID, one, single, err)
		}
	}
	if it.Err() != nil || n != info.Tracks {
		t.Fatalf("walk found %d tracks (%v), classify %d", n, it.Err(), info.Tracks)
	}
}

func checkHeaderError(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, flv.ErrTruncated) && !errors.Is(err, flv.ErrReserved) && !errors.Is(err, flv.ErrMultitrack) {
		t.Fatalf("unexpected error %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// inside reports whether sub shares the memory of whole.
func inside(sub, whole []byte) bool {
	if len(sub) == 0 {
		return true
	}
	for i := 0; i+len(sub) <= len(whole); i++ {
		if &whole[i] == &sub[0] {
			return true
		}
	}
	return false
}
