package driver_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"
)

// Messages the relay cannot read reach the multitrack player only, are
// counted in the stream's stats, and are logged once for the stream.
func TestERTMPUnreadableCountedAndLoggedOnce(t *testing.T) {
	var logs lockedBuffer
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	url := rtmpURL(addr, "live/unreadable")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	multitrack := startPlayer(ctx, t, multitrackPlayer, url)
	enhanced := startPlayer(ctx, t, enhancedPlayer, url)
	legacy := startPlayer(ctx, t, legacyPlayer, url)
	pub := startPublisher(ctx, t, url, amf0.ECMAArray{{Key: "videocodecid", Value: float64(flv.FourCCHEVC)}})
	unreadable := [][]byte{
		{0x83, 'v', 'p', '0', '8', 0x10},                // frame type 0, a codec without a bitstream reader
		{0x83, 'h', 'v', 'c', '1', 0, 0, 0, 9, 2, 1},    // frame type 0, a NAL unit past the end
		{0x96, 0x40, 'h', 'v', 'c', '1', 0, 0, 0, 0, 0}, // reserved multitrack mode
	}
	for i, p := range unreadable {
		writeVideo(t, pub, uint32(40*i), p)
	}
	writeMarker(t, pub, 200)
	if got := readToMarker(ctx, t, "multitrack", multitrack); !bytes.Equal(bytes.Join(got, nil), bytes.Join(unreadable, nil)) {
		t.Errorf("multitrack player got %v, want %v", hexes(got), hexes(unreadable))
	}
	for who, pb := range map[string]*dial.Playback{"enhanced": enhanced, "legacy": legacy} {
		if got := readToMarker(ctx, t, who, pb); len(got) != 0 {
			t.Errorf("%s player got %v", who, hexes(got))
		}
	}
	var stats live.StreamStats
	for _, s := range r.Streams() {
		if s.Path.Key == "unreadable" {
			stats = s
		}
	}
	if stats.Unreadable != uint64(len(unreadable)) {
		t.Errorf("stats count %d unreadable messages, want %d", stats.Unreadable, len(unreadable))
	}
	if n := strings.Count(logs.String(), "unreadable media"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logs.String())
	}
}
