package web

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net"
	"net/http"
	"strconv"

	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

//go:embed static
var static embed.FS

// Handler serves the page, its scripts and GET /api/streams.
type Handler struct {
	Relay *live.Relay
	// HLS, if set, adds its players, codecs and sizes to the list.
	HLS *hls.Handler
	// RTMPPort and RTMPSPort are the ports the URLs name for RTMP and
	// RTMPS (0: not served, the URL is left out). The host is the one the
	// page was asked for.
	RTMPPort, RTMPSPort int

	files http.Handler
}

// Match reports whether the handler serves an URL path.
func Match(urlPath string) bool {
	switch urlPath {
	case "/", "/index.html", "/app.js", "/player.js", "/style.css", "/api/streams":
		return true
	}
	return false
}

// ServeHTTP serves GET and HEAD of the page's paths (see Match).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "the page is read with GET", http.StatusMethodNotAllowed)
		return
	}
	if !Match(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == "/api/streams" {
		h.serveStreams(w, r)
		return
	}
	if h.files == nil {
		sub, _ := fs.Sub(static, "static")
		h.files = http.FileServerFS(sub)
	}
	w.Header().Set("Cache-Control", "no-cache")
	// The page runs our scripts alone, from here.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; media-src 'self' blob:; style-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.files.ServeHTTP(w, r)
}

// streamJSON is one stream of GET /api/streams.
type streamJSON struct {
	App        string   `json:"app"`
	Key        string   `json:"key"`
	Publishing bool     `json:"publishing"`
	Players    int      `json:"players"`     // viewers over RTMP and HTTP-FLV
	HLSPlayers int      `json:"hls_players"` // viewers over HLS
	Codecs     []string `json:"codecs,omitempty"`
	Width      int      `json:"width,omitempty"`
	Height     int      `json:"height,omitempty"`
	URLs       urlsJSON `json:"urls"`
}

type urlsJSON struct {
	RTMP    string `json:"rtmp,omitempty"`
	RTMPS   string `json:"rtmps,omitempty"`
	HTTPFLV string `json:"http_flv"`
	HLS     string `json:"hls"`
}

func (h *Handler) serveStreams(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if hn, _, err := net.SplitHostPort(host); err == nil {
		host = hn
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	hlsOf := map[string]hls.StreamStats{}
	if h.HLS != nil {
		for _, s := range h.HLS.Streams() {
			hlsOf[s.Path.String()] = s
		}
	}
	out := struct {
		PlayKey bool         `json:"play_key"`
		Streams []streamJSON `json:"streams"`
	}{PlayKey: h.Relay.PlayKey != "", Streams: []streamJSON{}}
	for _, s := range h.Relay.Streams() {
		name := s.Path.App + "/" + s.Path.Key
		js := streamJSON{App: s.Path.App, Key: s.Path.Key, Publishing: s.Publishing, Players: s.Players}
		if hs, ok := hlsOf[s.Path.String()]; ok {
			js.HLSPlayers, js.Codecs, js.Width, js.Height = hs.Players, hs.Codecs, hs.Width, hs.Height
		}
		if h.RTMPPort > 0 {
			js.URLs.RTMP = "rtmp://" + net.JoinHostPort(host, strconv.Itoa(h.RTMPPort)) + "/" + name
		}
		if h.RTMPSPort > 0 {
			js.URLs.RTMPS = "rtmps://" + net.JoinHostPort(host, strconv.Itoa(h.RTMPSPort)) + "/" + name
		}
		js.URLs.HTTPFLV = scheme + "://" + r.Host + "/" + name + ".flv"
		js.URLs.HLS = scheme + "://" + r.Host + "/" + name + "/index.m3u8"
		out.Streams = append(out.Streams, js)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	json.NewEncoder(w).Encode(out)
}
