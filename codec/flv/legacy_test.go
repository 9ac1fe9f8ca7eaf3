package flv

import (
	"bytes"
	"testing"
)

func TestAppendLegacyVideo(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []byte
		ok   bool
	}{
		{"sequence start", hx("90 'avc1' 0164001f"), hx("17 00 000000 0164001f"), true},
		{"coded frames keeps composition time", hx("a1 'avc1' fffff6 00000001 41"), hx("27 01 fffff6 00000001 41"), true},
		{"coded frames x gets zero", hx("93 'avc1' 00000001 65"), hx("17 01 000000 00000001 65"), true},
		{"sequence end", hx("92 'avc1'"), hx("17 02 000000"), true},
		{"hevc has no legacy form", hx("90 'hvc1' 01"), nil, false},
		{"metadata has no legacy form", hx("94 'avc1' 02"), nil, false},
		{"already legacy", hx("17 01 000000 aa"), nil, false},
		{"multitrack must be extracted first", hx("96 01 'avc1' 00 000000 aa"), nil, false},
	}
	for _, tc := range tests {
		got, ok, err := AppendLegacyVideo(nil, tc.in)
		if err != nil || ok != tc.ok || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: got % x, %v, %v; want % x, %v", tc.name, got, ok, err, tc.want, tc.ok)
		}
	}
	// Extracting track 0 and converting serves a legacy player.
	one, err := ExtractVideoTrack(nil, hx("96 11 'avc1' 00 000006 000028 aabbcc 01 000003 000000"), 0)
	if err != nil {
		t.Fatal(err)
	}
	legacy, ok, err := AppendLegacyVideo(nil, one)
	if err != nil || !ok || !bytes.Equal(legacy, hx("17 01 000028 aabbcc")) {
		t.Errorf("track 0 as legacy: % x %v %v", legacy, ok, err)
	}
	if _, _, err := AppendLegacyVideo(nil, hx("91 'av'")); err == nil {
		t.Error("truncated input accepted")
	}
}

func TestAppendLegacyAudio(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []byte
		ok   bool
	}{
		{"sequence start", hx("90 'mp4a' 1210"), hx("af 00 1210"), true},
		{"frames", hx("91 'mp4a' 2100"), hx("af 01 2100"), true},
		{"channel config has no legacy form", hx("94 'mp4a' 00 02"), nil, false},
		{"opus has no legacy form", hx("91 'Opus' fc"), nil, false},
	}
	for _, tc := range tests {
		got, ok, err := AppendLegacyAudio(nil, tc.in)
		if err != nil || ok != tc.ok || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: got % x, %v, %v; want % x, %v", tc.name, got, ok, err, tc.want, tc.ok)
		}
		if ok {
			if info, err := ClassifyAudio(got); err != nil || info.Enhanced || info.FourCC != FourCCAAC {
				t.Errorf("%s: legacy form classifies as %+v %v", tc.name, info, err)
			}
		}
	}
}
