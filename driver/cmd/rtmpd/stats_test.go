package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/driver/dial"
	"pgregory.net/rapid"
)

// With -stats, GET /stats on the HTTP port lists every stream: its path,
// whether it is published, its players and what they were sent; GET
// /metrics says the same in the Prometheus text format. Without it,
// neither is served.
func TestRunStats(t *testing.T) {
	for _, stats := range []bool{true, false} {
		r := startRunning(t, options{listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", stats: stats, logLevel: "warn"})
		addrs := r.addrs
		url := "rtmp://" + addrs[0].String() + "/live/a"
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		player, err := dial.Dial(dctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := player.Play(dctx, "")
		if err != nil {
			t.Fatal(err)
		}
		publisher, err := dial.Dial(dctx, url)
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
		var got struct {
			Server  serverJSON
			Streams []streamJSON
		}
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
			// The player and the publisher; bytes at least their handshakes.
			if sv := got.Server; sv.Accepted != 2 || sv.Open != 2 || sv.Refused != 0 || sv.HandshakeFailed != 0 || sv.Received < 2*3073 || sv.Sent < 2*3073 {
				t.Errorf("/stats server %+v, want 2 connections, open, and their handshakes' bytes", sv)
			}
		}
		checkMetrics(t, "http://"+addrs[2].String()+"/metrics", stats, frames)
		publisher.Close()
		player.Close()
		dcancel()
		r.stop(t)
	}
}

// checkMetrics reads GET /metrics while stream live/a is published and
// played by one player that was sent frames, the two the server's only
// connections: every family is announced with its HELP and TYPE, and the
// series say so.
func checkMetrics(t *testing.T, url string, stats bool, frames [][]byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !stats {
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("without -stats, /metrics answered %d, want 404", resp.StatusCode)
		}
		return
	}
	if resp.StatusCode != 200 || err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q, %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	got := map[string]string{}
	typed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			typed[strings.Fields(name)[0]] = true
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		series, value, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("/metrics line %q is not a series and a value", line)
		}
		name, _, _ := strings.Cut(series, "{")
		if !typed[name] {
			t.Errorf("series %s comes before its TYPE line", series)
		}
		got[series] = value
	}
	var cost uint64
	for _, f := range frames {
		cost += uint64(relay.Media{Kind: relay.Video, Payload: f}.Cost())
	}
	const labels = `{app="live",key="a"}`
	for _, name := range []string{"rtmpd_received_bytes_total", "rtmpd_sent_bytes_total"} {
		if n, err := strconv.ParseUint(got[name], 10, 64); err != nil || n < 2*3073 {
			t.Errorf("%s is %q, want the handshakes' bytes at least", name, got[name])
		}
		delete(got, name)
	}
	// What the two connections hold depends on what was read and written
	// last; it is a number, and no more than their budgets.
	if n, err := strconv.ParseUint(got["rtmpd_connection_memory_bytes"], 10, 64); err != nil || n > 2*serverconn.DefaultMaxMemory {
		t.Errorf("rtmpd_connection_memory_bytes is %q", got["rtmpd_connection_memory_bytes"])
	}
	delete(got, "rtmpd_connection_memory_bytes")
	want := map[string]string{
		"rtmpd_connections_open":                          "2",
		"rtmpd_connections_over_budget_total":             "0",
		"rtmpd_connections_accepted_total":                "2",
		"rtmpd_connections_refused_total":                 "0",
		"rtmpd_handshakes_failed_total":                   "0",
		"rtmpd_streams":                                   "1",
		"rtmpd_stream_publishing" + labels:                "1",
		"rtmpd_stream_players" + labels:                   "1",
		"rtmpd_stream_local_subscribers" + labels:         "0",
		"rtmpd_stream_hls_players" + labels:               "0",
		"rtmpd_stream_sent_messages_total" + labels:       fmt.Sprint(len(frames)),
		"rtmpd_stream_sent_bytes_total" + labels:          fmt.Sprint(cost),
		"rtmpd_stream_dropped_messages_total" + labels:    "0",
		"rtmpd_stream_dropped_bytes_total" + labels:       "0",
		"rtmpd_stream_unreadable_messages_total" + labels: "0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/metrics (-want +got):\n%s\n%s", diff, body)
	}
}

// A label value comes back whole from its escaped form, and the escaped
// form has no line feed and no double quote that is not escaped.
func TestLabelValue(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringOf(rapid.SampledFrom([]rune{'a', '"', '\\', '\n', 'é', '}', ','})).Draw(t, "value")
		e := labelValue(s)
		var back strings.Builder
		for i := 0; i < len(e); i++ {
			switch c := e[i]; {
			case c == '\n' || c == '"':
				t.Fatalf("%q escaped is %q: a bare %q", s, e, c)
			case c == '\\':
				i++
				if i == len(e) {
					t.Fatalf("%q escaped is %q: a lone backslash at the end", s, e)
				}
				back.WriteByte(map[byte]byte{'\\': '\\', '"': '"', 'n': '\n'}[e[i]])
			default:
				back.WriteByte(c)
			}
		}
		if back.String() != s {
			t.Fatalf("%q escaped is %q, which reads back as %q", s, e, back.String())
		}
	})
}
