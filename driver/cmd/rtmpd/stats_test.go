package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// With -stats, GET /stats on the HTTP port lists every stream: its path,
// whether it is published, its players and what they were sent. Without
// it, /stats is not served.
func TestRunStats(t *testing.T) {
	for _, stats := range []bool{true, false} {
		r := startRunning(t, options{listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", stats: stats, logLevel: "warn"})
		addrs := r.addrs
		url := "rtmp://" + addrs[0].String() + "/live/a"
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		player, err := driver.Dial(dctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := player.Play(dctx, "")
		if err != nil {
			t.Fatal(err)
		}
		publisher, err := driver.Dial(dctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := publisher.Publish(dctx, "")
		if err != nil {
			t.Fatal(err)
		}
		frames := [][]byte{{0x17, 0, 0, 0, 0, 1}, {0x17, 1, 0, 0, 0, 'K'}, {0x27, 1, 0, 0, 0, 'P'}}
		for i, f := range frames {
			if err := pub.WriteMessage(message.Message{Timestamp: uint32(40 * i), Body: message.Video{Payload: f}}); err != nil {
				t.Fatal(err)
			}
		}
		for range frames {
			if _, err := pb.ReadMessage(dctx); err != nil {
				t.Fatal(err)
			}
		}

		resp, err := http.Get("http://" + addrs[2].String() + "/stats")
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Streams []streamJSON }
		decodeErr := json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if !stats {
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("without -stats, /stats answered %d, want 404", resp.StatusCode)
			}
		} else {
			if resp.StatusCode != 200 || decodeErr != nil || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("/stats: %d %q, %v", resp.StatusCode, resp.Header.Get("Content-Type"), decodeErr)
			}
			var cost uint64 // payload and a nominal header per message
			for _, f := range frames {
				cost += uint64(relay.Media{Kind: relay.Video, Payload: f}.Cost())
			}
			want := []streamJSON{{App: "live", Key: "a", Publishing: true, Players: 1, Sent: 3, SentBytes: cost}}
			if diff := cmp.Diff(want, got.Streams); diff != "" {
				t.Errorf("/stats (-want +got):\n%s", diff)
			}
		}
		publisher.Close()
		player.Close()
		dcancel()
		r.stop(t)
	}
}
