package main

import (
	"encoding/json"
	"net/http"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

// streamJSON is one stream in GET /stats.
type streamJSON struct {
	App        string `json:"app"`
	Key        string `json:"key"`
	Publishing bool   `json:"publishing"`
	// Players are the viewers over RTMP and HTTP-FLV, HLSPlayers those
	// over HLS; LocalSubscribers are the in-process readers (the HLS
	// segmenter, a recorder), which are nobody's viewers.
	Players          int    `json:"players"`
	HLSPlayers       int    `json:"hls_players"`
	LocalSubscribers int    `json:"local_subscribers"`
	Sent             uint64 `json:"sent_messages"`
	SentBytes        uint64 `json:"sent_bytes"`
	Dropped          uint64 `json:"dropped_messages"`
	DroppedBytes     uint64 `json:"dropped_bytes"`
	Unreadable       uint64 `json:"unreadable_messages"`
}

// hlsPlayersByPath counts each path's HLS players (none without h).
func hlsPlayersByPath(h *hls.Handler) map[relay.Path]int {
	n := map[relay.Path]int{}
	if h != nil {
		for _, s := range h.Streams() {
			n[s.Path] = s.Players
		}
	}
	return n
}

// serverJSON is the servers' counts in GET /stats.
type serverJSON struct {
	Accepted        uint64 `json:"accepted_connections"`
	Open            int64  `json:"open_connections"`
	Refused         uint64 `json:"refused_connections"`
	HandshakeFailed uint64 `json:"failed_handshakes"`
	Received        uint64 `json:"received_bytes"`
	Sent            uint64 `json:"sent_bytes"`
}

// serveStats answers GET /stats with the servers' counts and a snapshot
// of every stream of r: {"server": {...}, "streams": [...]}, streams
// sorted by path; their counters are summed over each stream's players,
// bytes counted as the relay does (payload and a nominal 16-byte header
// per message).
func serveStats(w http.ResponseWriter, r *live.Relay, counts driver.ServerCounts, h *hls.Handler) {
	streams := []streamJSON{}
	hlsPlayers := hlsPlayersByPath(h)
	for _, s := range r.Streams() {
		streams = append(streams, streamJSON{
			App: s.Path.App, Key: s.Path.Key, Publishing: s.Publishing, Players: s.Players, HLSPlayers: hlsPlayers[s.Path],
			LocalSubscribers: s.Local,
			Sent:             s.Sent, SentBytes: s.SentBytes, Dropped: s.Dropped, DroppedBytes: s.DroppedBytes,
			Unreadable: s.Unreadable,
		})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	json.NewEncoder(w).Encode(struct {
		Server  serverJSON   `json:"server"`
		Streams []streamJSON `json:"streams"`
		Cluster *clusterJSON `json:"cluster,omitempty"`
	}{serverJSON{
		Accepted: counts.Accepted, Open: counts.Open, Refused: counts.Refused,
		HandshakeFailed: counts.HandshakeFailed, Received: counts.BytesReceived, Sent: counts.BytesSent,
	}, streams, clusterStats(r)})
}
