package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, new(bytes.Buffer))
	if err != nil || o.n != 300 || o.duration != 20*time.Second || strings.Join(o.modes, ",") != "flv,hls,llhls" {
		t.Fatalf("defaults: %+v, %v", o, err)
	}
	for _, bad := range [][]string{{"-n", "0"}, {"-n", "2001"}, {"-duration", "1s"}, {"-modes", "flv,dash"}} {
		if _, err := parseFlags(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

// A short run of every mode with two players measures something for
// each: CPU, media, and for the HLS modes playlists and requests.
func TestSmoke(t *testing.T) {
	peers.Need(t, peers.FFmpeg)
	media, _ := filepath.Abs("../../../testdata/media/h264-aac-640x360.flv")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := run(ctx, options{n: 2, duration: 2 * time.Second, modes: []string{"flv", "hls", "llhls"}, media: media}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("want a title, a header and three rows:\n%s", out.String())
	}
	for _, row := range lines[2:] {
		if f := strings.Fields(row); len(f) != 7 || f[2] == "0" {
			t.Errorf("row %q: want 7 columns and media received", row)
		}
	}
}
