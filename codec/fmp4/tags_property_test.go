package fmp4_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

// tagTrack is a generated Enhanced RTMP track: its kind, FLV track id,
// codec and configuration.
type tagTrack struct {
	video  bool
	id     uint8
	fourCC flv.FourCC
	codec  fmp4.Codec
	config []byte
}

// wantSample is what a frame must come out as.
type wantSample struct {
	DTS    uint64
	Offset int32
	Sync   bool
	Data   string
}

func genAudioConfig(t *rapid.T, codec fmp4.Codec) []byte {
	switch codec {
	case fmp4.AAC:
		idx := rapid.IntRange(0, 12).Draw(t, "rate index")
		ch := rapid.IntRange(1, 7).Draw(t, "channels")
		return []byte{2<<3 | byte(idx>>1), byte(idx&1)<<7 | byte(ch)<<3}
	case fmp4.Opus:
		return genOpusHead(t)
	default: // FLAC: a STREAMINFO block with a rate
		info := append([]byte{0x80, 0, 0, 34}, make([]byte, 34)...)
		info[4+10] = rapid.ByteRange(1, 0xff).Draw(t, "rate")
		return info
	}
}

func genTagTracks(t *rapid.T) []tagTrack {
	var tracks []tagTrack
	videos := []struct {
		cc flv.FourCC
		c  fmp4.Codec
	}{{flv.FourCCAVC, fmp4.H264}, {flv.FourCCHEVC, fmp4.H265}, {flv.FourCCAV1, fmp4.AV1}, {flv.FourCCVP9, fmp4.VP9}}
	audios := []struct {
		cc flv.FourCC
		c  fmp4.Codec
	}{{flv.FourCCAAC, fmp4.AAC}, {flv.FourCCOpus, fmp4.Opus}, {flv.FourCCFLAC, fmp4.FLAC}}
	for _, id := range rapid.SliceOfNDistinct(rapid.Uint8Range(0, 5), 0, 3, rapid.ID).Draw(t, "video ids") {
		v := rapid.SampledFrom(videos).Draw(t, "video codec")
		tracks = append(tracks, tagTrack{video: true, id: id, fourCC: v.cc, codec: v.c, config: rapid.SliceOfN(rapid.Byte(), 1, 40).Draw(t, "video config")})
	}
	for _, id := range rapid.SliceOfNDistinct(rapid.Uint8Range(0, 5), 0, 3, rapid.ID).Draw(t, "audio ids") {
		a := rapid.SampledFrom(audios).Draw(t, "audio codec")
		tracks = append(tracks, tagTrack{id: id, fourCC: a.cc, codec: a.c, config: genAudioConfig(t, a.c)})
	}
	if len(tracks) == 0 {
		tracks = append(tracks, tagTrack{video: true, fourCC: flv.FourCCVP9, codec: fmp4.VP9, config: []byte{1}})
	}
	return tracks
}

// Whatever Enhanced RTMP messages a publisher sends (any mix of video and
// audio tracks and codecs, multitrack ids, keyframes, composition times,
// timestamps), Tags and the Muxer write a file whose parse has a track per
// FLV track with its configuration, and each frame's data, keyframe flag,
// composition offset and decode time, in order.
func TestTagsRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tracks := genTagTracks(t)
		var tags fmp4.Tags
		var mux fmp4.Muxer
		var body, fragments []byte
		for _, tr := range tracks {
			if tr.video {
				body = flv.AppendVideoMultitrack(body[:0], flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{{ID: tr.id, FourCC: tr.fourCC, Data: tr.config}})
				pushR(t, &tags, fmp4.TypeVideo, 0, body)
			} else {
				body = flv.AppendAudioMultitrack(body[:0], flv.AudioSequenceStart, []flv.AudioTrack{{ID: tr.id, FourCC: tr.fourCC, Data: tr.config}})
				pushR(t, &tags, fmp4.TypeAudio, 0, body)
			}
		}
		got := tags.Tracks()
		if len(got) != len(tracks) {
			t.Fatalf("%d tracks from %d configurations", len(got), len(tracks))
		}
		want := map[uint32][]wantSample{}
		ms := uint32(rapid.IntRange(0, 1<<20).Draw(t, "start"))
		for range rapid.IntRange(0, 60).Draw(t, "frames") {
			i := rapid.IntRange(0, len(tracks)-1).Draw(t, "track")
			tr, out := tracks[i], got[i]
			ms += uint32(rapid.IntRange(0, 100).Draw(t, "step"))
			data := rapid.SliceOfN(rapid.Byte(), 1, 50).Draw(t, "data")
			if tr.codec == fmp4.AV1 && data[0] == 0x12 {
				data[0] = 0x32 // not a temporal delimiter, which Tags drops
			}
			w := wantSample{DTS: uint64(ms) * uint64(out.Timescale) / 1000, Sync: true, Data: string(data)}
			if tr.video {
				key := rapid.Bool().Draw(t, "key")
				ft := flv.FrameInter
				if key {
					ft = flv.FrameKey
				}
				var cto int32
				if tr.codec == fmp4.H264 || tr.codec == fmp4.H265 {
					cto = rapid.Int32Range(-1000, 1000).Draw(t, "cto")
				}
				body = flv.AppendVideoMultitrack(body[:0], ft, flv.VideoCodedFrames, []flv.VideoTrack{{ID: tr.id, FourCC: tr.fourCC, CompositionTime: cto, Data: data}})
				w.Sync, w.Offset = key, cto*90
				ev := pushR(t, &tags, fmp4.TypeVideo, ms, body)
				for _, s := range ev.Samples {
					mux.Add(s)
					if s.Keyframe {
						var err error
						if fragments, err = mux.AppendFragment(fragments); err != nil {
							t.Fatal(err)
						}
					}
				}
			} else {
				body = flv.AppendAudioMultitrack(body[:0], flv.AudioCodedFrames, []flv.AudioTrack{{ID: tr.id, FourCC: tr.fourCC, Data: data}})
				for _, s := range pushR(t, &tags, fmp4.TypeAudio, ms, body).Samples {
					mux.Add(s)
				}
			}
			want[out.ID] = append(want[out.ID], w)
		}
		init, err := fmp4.AppendInit(nil, got)
		if err != nil {
			t.Fatal(err)
		}
		file, err := mux.Flush(append(init, fragments...))
		if err != nil {
			t.Fatal(err)
		}
		f, err := fmp4.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, tr := range f.Tracks {
			if tr.Codec != tracks[i].codec || tr.ID != uint32(i+1) {
				t.Fatalf("track %d is %v id %d, want %v id %d", i, tr.Codec, tr.ID, tracks[i].codec, i+1)
			}
		}
		parsed := map[uint32][]wantSample{}
		for _, fr := range f.Fragments {
			for _, r := range fr.Runs {
				dts := r.BaseDecodeTime
				for _, s := range r.Samples {
					parsed[r.TrackID] = append(parsed[r.TrackID], wantSample{DTS: dts, Offset: s.CompositionOffset, Sync: s.Sync, Data: string(s.Data)})
					dts += uint64(s.Duration)
				}
			}
		}
		if diff := cmp.Diff(want, parsed); diff != "" {
			t.Fatalf("samples (-pushed +parsed):\n%s", diff)
		}
	})
}

func pushR(t *rapid.T, tags *fmp4.Tags, typeID uint8, ms uint32, body []byte) fmp4.Event {
	ev, err := tags.Push(typeID, ms, body)
	if err != nil {
		t.Fatalf("push %d at %d ms: %v", typeID, ms, err)
	}
	return ev
}
