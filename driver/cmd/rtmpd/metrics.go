package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

// metric is one family of GET /metrics: its name, type and help, and how
// to read its value from what it describes.
type metric[T any] struct {
	name, typ, help string
	value           func(T) uint64
}

// metricFamilies are the per-stream series of GET /metrics.
var metricFamilies = []metric[live.StreamStats]{
	{"rtmpd_stream_publishing", "gauge", "1 while the stream has a publisher, else 0.",
		func(s live.StreamStats) uint64 { return boolValue(s.Publishing) }},
	{"rtmpd_stream_players", "gauge", "Viewers of the stream over RTMP and HTTP-FLV (those over HLS are rtmpd_stream_hls_players).",
		func(s live.StreamStats) uint64 { return uint64(s.Players) }},
	{"rtmpd_stream_local_subscribers", "gauge", "In-process readers of the stream, not viewers: the HLS segmenter, a recorder.",
		func(s live.StreamStats) uint64 { return uint64(s.Local) }},
	{"rtmpd_stream_sent_messages_total", "counter", "Messages queued to the stream's players, summed over them.",
		func(s live.StreamStats) uint64 { return s.Sent }},
	{"rtmpd_stream_sent_bytes_total", "counter", "Bytes of those messages (payload and a nominal 16-byte header each).",
		func(s live.StreamStats) uint64 { return s.SentBytes }},
	{"rtmpd_stream_dropped_messages_total", "counter", "Messages dropped for players that fell behind, summed over them.",
		func(s live.StreamStats) uint64 { return s.Dropped }},
	{"rtmpd_stream_dropped_bytes_total", "counter", "Bytes of those messages.",
		func(s live.StreamStats) uint64 { return s.DroppedBytes }},
	{"rtmpd_stream_unreadable_messages_total", "counter", "Published messages whose tag header or bitstream could not be read (sent to multitrack players only).",
		func(s live.StreamStats) uint64 { return s.Unreadable }},
}

func boolValue(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// serverMetrics are the servers' series of GET /metrics.
var serverMetrics = []metric[driver.ServerCounts]{
	{"rtmpd_connections_open", "gauge", "Connections served now (RTMP, RTMPS and RTMPT sessions).",
		func(c driver.ServerCounts) uint64 { return uint64(max(c.Open, 0)) }},
	{"rtmpd_connections_accepted_total", "counter", "Connections taken into service.",
		func(c driver.ServerCounts) uint64 { return c.Accepted }},
	{"rtmpd_connections_refused_total", "counter", "Connections closed at once: the server was full or shutting down.",
		func(c driver.ServerCounts) uint64 { return c.Refused }},
	{"rtmpd_handshakes_failed_total", "counter", "Connections that ended before their RTMP handshake completed.",
		func(c driver.ServerCounts) uint64 { return c.HandshakeFailed }},
	{"rtmpd_received_bytes_total", "counter", "RTMP bytes read from the connections, handshakes included (inside TLS and RTMPT).",
		func(c driver.ServerCounts) uint64 { return c.BytesReceived }},
	{"rtmpd_sent_bytes_total", "counter", "RTMP bytes written to the connections, handshakes included (inside TLS and RTMPT).",
		func(c driver.ServerCounts) uint64 { return c.BytesSent }},
	{"rtmpd_connection_memory_bytes", "gauge", "Bytes the connections hold against their memory budget: partial messages, send queues, messages being handled.",
		func(c driver.ServerCounts) uint64 { return uint64(max(c.MemoryHeld, 0)) }},
	{"rtmpd_connections_over_budget_total", "counter", "Connections closed for passing their memory budget.",
		func(c driver.ServerCounts) uint64 { return c.OverBudget }},
}

// serveMetrics answers GET /metrics in the Prometheus text exposition
// format (version 0.0.4): the servers' counts, then one series per stream
// and family, labelled with the stream's app and key. A stream's counters
// start from zero when the relay first knows its path and go when it
// forgets it (no publisher and no player left), which Prometheus reads as
// a series that ended.
func serveMetrics(w http.ResponseWriter, r *live.Relay, counts driver.ServerCounts, h *hls.Handler) {
	streams := r.Streams()
	hlsPlayers := hlsPlayersByPath(h)
	var b bytes.Buffer
	for _, m := range serverMetrics {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", m.name, m.help, m.name, m.typ, m.name, m.value(counts))
	}
	fmt.Fprintf(&b, "# HELP rtmpd_streams Streams the relay knows: published, played or both.\n# TYPE rtmpd_streams gauge\nrtmpd_streams %d\n", len(streams))
	for _, f := range metricFamilies {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, s := range streams {
			fmt.Fprintf(&b, "%s{app=\"%s\",key=\"%s\"} %d\n", f.name, labelValue(s.Path.App), labelValue(s.Path.Key), f.value(s))
		}
	}
	writeClusterMetrics(&b, r)
	fmt.Fprintf(&b, "# HELP rtmpd_stream_hls_players HLS players of the stream: addresses and user agents that asked for it in the last 10 s.\n# TYPE rtmpd_stream_hls_players gauge\n")
	for _, s := range streams {
		fmt.Fprintf(&b, "rtmpd_stream_hls_players{app=\"%s\",key=\"%s\"} %d\n", labelValue(s.Path.App), labelValue(s.Path.Key), hlsPlayers[s.Path])
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

// labelValue escapes a label value as the text format requires: a
// backslash, a double quote and a line feed are written \\, \" and \n.
var labelValue = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace
