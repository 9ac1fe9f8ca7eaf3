package flv

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

func genTag() *rapid.Generator[Tag] {
	return rapid.Custom(func(t *rapid.T) Tag {
		return Tag{
			Type:      TagType(rapid.OneOf(rapid.SampledFrom([]uint8{8, 9, 18}), rapid.Uint8Range(0, 31)).Draw(t, "type")),
			Filter:    rapid.Bool().Draw(t, "filter"),
			Timestamp: rapid.Uint32().Draw(t, "timestamp"),
			StreamID:  rapid.Uint32Range(0, 0xffffff).Draw(t, "stream"),
			Data:      rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "data"),
		}
	})
}

func genFile(t *rapid.T) (Header, []Tag, []byte) {
	h := Header{
		Version:    rapid.Uint8().Draw(t, "version"),
		HasAudio:   rapid.Bool().Draw(t, "audio"),
		HasVideo:   rapid.Bool().Draw(t, "video"),
		DataOffset: rapid.Uint32Range(9, 20).Draw(t, "offset"),
	}
	tags := rapid.SliceOfN(genTag(), 0, 8).Draw(t, "tags")
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		if err := w.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	return h, tags, buf.Bytes()
}

func readTags(r *Reader) ([]Tag, error) {
	var tags []Tag
	for {
		tag, err := r.Next()
		if err != nil {
			return tags, err
		}
		tags = append(tags, tag)
	}
}

// write(tags) then read gives the same header and tags, whether the reader
// gets the file whole or one byte per Read.
func TestPropFileRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, tags, file := genFile(t)
		for _, src := range []io.Reader{bytes.NewReader(file), iotest.OneByteReader(bytes.NewReader(file))} {
			r := NewReader(src)
			gotH, err := r.Header()
			if err != nil {
				t.Fatal(err)
			}
			got, err := readTags(r)
			if err != io.EOF {
				t.Fatalf("read ended with %v, want io.EOF", err)
			}
			if diff := cmp.Diff(h, gotH); diff != "" {
				t.Fatalf("header (-wrote +read):\n%s", diff)
			}
			if diff := cmp.Diff(tags, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("tags (-wrote +read):\n%s", diff)
			}
		}
	})
}

// A file cut anywhere reads the whole tags before the cut, then reports
// ErrTruncated at exactly the cut, or io.EOF when the cut falls between two
// tags.
func TestPropTruncatedFile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, tags, file := genFile(t)
		cut := rapid.IntRange(0, len(file)-1).Draw(t, "cut")
		got, err := readTags(NewReader(bytes.NewReader(file[:cut])))
		if diff := cmp.Diff(tags[:len(got)], got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("tags before the cut (-wrote +read):\n%s", diff)
		}
		// Tag boundaries: after the header and after each tag's trailer.
		end := int(h.DataOffset) + 4
		boundary := cut == end
		for _, tag := range got {
			end += tagHeaderLen + len(tag.Data) + 4
			boundary = boundary || cut == end
		}
		if boundary {
			if err != io.EOF {
				t.Fatalf("cut at a tag boundary %d: %v", cut, err)
			}
			return
		}
		var fe *FileError
		if !errors.As(err, &fe) || !errors.Is(err, ErrTruncated) || fe.Offset != int64(cut) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	})
}

// A size field that promises 16 MiB in a short file must not make the
// reader allocate 16 MiB before the bytes arrive.
func TestReaderDoesNotTrustSizes(t *testing.T) {
	file := hx("'FLV' 01 05 00000009 00000000 09 ffffff 000000 00 000000 17 01")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const runs = 10
	for i := 0; i < runs; i++ {
		if _, err := NewReader(bytes.NewReader(file)).Next(); !errors.Is(err, ErrTruncated) {
			t.Fatalf("err %v", err)
		}
	}
	runtime.ReadMemStats(&after)
	if perRun := (after.TotalAlloc - before.TotalAlloc) / runs; perRun > 256<<10 {
		t.Errorf("reading a lying 16 MiB size allocates %d bytes", perRun)
	}
}

var videoCodecs = []FourCC{FourCCAVC, FourCCHEVC, FourCCAV1, FourCCVP9, FourCCVP8}
var audioCodecs = []FourCC{FourCCOpus, FourCCFLAC, FourCCAC3, FourCCEAC3, FourCCAAC, FourCCMP3}

// appendMultitrack is an independent encoder of the multitrack layout, so
// the property checks the decoder against the specification's shape.
func appendMultitrack(dst []byte, mode MultitrackType, tracks []VideoTrack) []byte {
	if mode != ManyTracksManyCodecs {
		dst = appendFourCC(dst, tracks[0].FourCC)
	}
	for _, tr := range tracks {
		if mode == ManyTracksManyCodecs {
			dst = appendFourCC(dst, tr.FourCC)
		}
		dst = append(dst, tr.ID)
		if mode != OneTrack {
			dst = append24(dst, uint32(len(tr.Body)))
		}
		dst = append(dst, tr.Body...)
	}
	return dst
}

// Multitrack video built to the specification walks back to the same
// tracks, classifies with the first one, and each track extracts to a
// single-track message with the same codec data.
func TestPropVideoMultitrack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mode := MultitrackType(rapid.IntRange(0, 2).Draw(t, "mode"))
		ft := VideoFrameType(rapid.IntRange(1, 4).Draw(t, "frameType"))
		pt := VideoPacketType(rapid.IntRange(0, 5).Draw(t, "packetType"))
		n := 1
		if mode != OneTrack {
			n = rapid.IntRange(1, 4).Draw(t, "tracks")
		}
		shared := rapid.SampledFrom(videoCodecs).Draw(t, "codec")
		var tracks []VideoTrack
		for i := 0; i < n; i++ {
			tr := VideoTrack{ID: uint8(i * 3), FourCC: shared, PacketType: pt}
			if mode == ManyTracksManyCodecs {
				tr.FourCC = rapid.SampledFrom(videoCodecs).Draw(t, "trackCodec")
			}
			tr.Data = rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "data")
			tr.Body = tr.Data
			if pt == VideoCodedFrames && tr.FourCC.hasCompositionTime() {
				tr.CompositionTime = rapid.Int32Range(-1<<23, 1<<23-1).Draw(t, "cto")
				tr.Body = append(append24(nil, uint32(tr.CompositionTime)&0xffffff), tr.Data...)
			}
			tracks = append(tracks, tr)
		}
		msg := []byte{0x80 | byte(ft)<<4 | byte(VideoMultitrack), byte(mode)<<4 | byte(pt)}
		msg = appendMultitrack(msg, mode, tracks)

		info, err := ClassifyVideo(msg)
		if err != nil {
			t.Fatalf("ClassifyVideo(% x): %v", msg, err)
		}
		if !info.Multitrack || info.MultitrackMode != mode || info.Tracks != n || info.TrackID != 0 ||
			info.FourCC != tracks[0].FourCC || info.PacketType != pt || info.FrameType != ft {
			t.Fatalf("info %+v for % x", info, msg)
		}
		var got []VideoTrack
		it := VideoTracks(msg)
		for it.Next() {
			got = append(got, it.Track())
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
		if diff := cmp.Diff(tracks, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("tracks (-built +walked):\n%s", diff)
		}
		for _, tr := range tracks {
			one, err := ExtractVideoTrack(nil, msg, tr.ID)
			if err != nil {
				t.Fatal(err)
			}
			single, err := ClassifyVideo(one)
			if err != nil || single.Multitrack || single.FourCC != tr.FourCC || single.CompositionTime != tr.CompositionTime ||
				!bytes.Equal(single.Data, tr.Data) || single.Kind != info.Kind {
				t.Fatalf("track %d extracted to % x: %+v %v", tr.ID, one, single, err)
			}
		}
	})
}

// AppendVideo and AppendAudio output classifies back to what was built.
func TestPropSingleTrackBuild(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "data")
		ft := VideoFrameType(rapid.IntRange(1, 4).Draw(t, "frameType"))
		pt := VideoPacketType(rapid.SampledFrom([]uint8{0, 1, 2, 3, 4, 5}).Draw(t, "packetType"))
		codec := rapid.SampledFrom(videoCodecs).Draw(t, "codec")
		var cto int32
		if pt == VideoCodedFrames && codec.hasCompositionTime() {
			cto = rapid.Int32Range(-1<<23, 1<<23-1).Draw(t, "cto")
		}
		v, err := ClassifyVideo(AppendVideo(nil, ft, pt, codec, cto, data))
		if err != nil || v.FrameType != ft || v.PacketType != pt || v.FourCC != codec || v.CompositionTime != cto || !bytes.Equal(v.Data, data) {
			t.Fatalf("video: %+v %v", v, err)
		}
		apt := AudioPacketType(rapid.SampledFrom([]uint8{0, 1, 2}).Draw(t, "audioPacketType"))
		acodec := rapid.SampledFrom(audioCodecs).Draw(t, "audioCodec")
		a, err := ClassifyAudio(AppendAudio(nil, apt, acodec, data))
		if err != nil || a.PacketType != apt || a.FourCC != acodec || !bytes.Equal(a.Data, data) {
			t.Fatalf("audio: %+v %v", a, err)
		}
	})
}

// Whatever the bytes, classification returns a value or an error, never
// panics, and what it reports agrees with the track walk.
func TestPropAnyPayload(t *testing.T) {
	seeds := [][]byte{
		hx("a6 21 'hvc1' 03 000005 000014 eeff 'av01' 04 000001 99"),
		hx("97 00 aa 17 02 000064 06 01 'av01' 05 cc"),
		hx("95 20 'Opus' 01 000001 aa 'mp4a' 02 000002 1210"),
		hx("17 01 000050 00000002 6588"),
		hx("af 00 1210"),
	}
	rapid.Check(t, func(t *rapid.T) {
		p := bytes.Clone(rapid.SampledFrom(seeds).Draw(t, "seed"))
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(p)-1), 0, 3).Draw(t, "flips") {
			p[i] ^= rapid.Byte().Draw(t, "xor")
		}
		p = p[:rapid.IntRange(0, len(p)).Draw(t, "len")]

		if v, err := ClassifyVideo(p); err == nil {
			if !within(v.Data, p) {
				t.Fatalf("video Data outside payload")
			}
			it, n := VideoTracks(p), 0
			for it.Next() {
				n++
			}
			if it.Err() != nil || (v.Kind != KindCommand && n != v.Tracks) {
				t.Fatalf("walk found %d tracks (%v), classify %d", n, it.Err(), v.Tracks)
			}
		}
		if a, err := ClassifyAudio(p); err == nil {
			if !within(a.Data, p) {
				t.Fatalf("audio Data outside payload")
			}
			it, n := AudioTracks(p), 0
			for it.Next() {
				n++
			}
			if it.Err() != nil || n != a.Tracks {
				t.Fatalf("walk found %d tracks (%v), classify %d", n, it.Err(), a.Tracks)
			}
		}
	})
}
