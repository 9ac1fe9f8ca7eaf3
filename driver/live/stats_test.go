package live_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
)

// A stream's viewers are its remote players; in-process readers (an HLS
// segmenter, a recorder) are counted apart, and each leaves its own count
// when it closes.
func TestStreamStatsCountViewersApartFromLocalReaders(t *testing.T) {
	r := &live.Relay{}
	p := relay.Path{App: "live", Key: "demo"}
	pub, err := r.PublishLocal(p)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	counts := func() [2]int {
		t.Helper()
		streams := r.Streams()
		if len(streams) != 1 || streams[0].Path != p {
			t.Fatalf("streams: %+v", streams)
		}
		return [2]int{streams[0].Players, streams[0].Local}
	}
	reader, err := r.Subscribe(p, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{0, 1}, counts()); diff != "" {
		t.Errorf("an in-process reader: [players local] (-want +got):\n%s", diff)
	}
	viewer, err := r.SubscribeViewer(p, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{1, 1}, counts()); diff != "" {
		t.Errorf("and a viewer: [players local] (-want +got):\n%s", diff)
	}
	if n := r.Players(p); n != 2 {
		t.Errorf("Relay.Players counts %d, want both", n)
	}
	reader.Close()
	if diff := cmp.Diff([2]int{1, 0}, counts()); diff != "" {
		t.Errorf("the reader gone: [players local] (-want +got):\n%s", diff)
	}
	viewer.Close()
	if diff := cmp.Diff([2]int{0, 0}, counts()); diff != "" {
		t.Errorf("both gone: [players local] (-want +got):\n%s", diff)
	}
}
