// Package httpflv serves the live streams of a live.Relay as HTTP-FLV:
// GET /APP/KEY.flv answers with an FLV file that never ends, the stream's
// metadata, decoder configuration and last keyframe first (fast start),
// then every message as it is published. ffmpeg, VLC and flv.js in a
// browser play it; it goes where only HTTP goes.
//
// Over HTTP/1.1 the handler takes the connection over and the relay plays
// to it as to an RTMP player (live.Relay.PlayHTTPFLV): one chunk of
// chunked transfer coding per message, the same bytes for every player,
// written straight to the socket, or held for merged writes with
// live.Relay.MergeWrites. Over HTTP/2 and HTTP/1.0, where a
// connection cannot be taken over, the handler writes each player's tags
// from a live.Subscriber.
//
// A player's response ends when its request's context does. An
// http.Server's Close does not reach connections it handed over, so a
// server that stops should cancel the context it gives its requests
// (http.Server.BaseContext), as rtmpd does.
package httpflv

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
)

// Handler serves GET and HEAD /APP/KEY.flv from Relay; anything else is
// not found. When the Relay has a PlayKey, players give it as ?key=, as
// RTMP players do.
type Handler struct {
	Relay *live.Relay
	// View is what the file carries; the zero value is relay.ViewAll, so
	// set relay.ViewLegacy (what NewHandler does) for players that read
	// H.264 and AAC only in their legacy form.
	View relay.View
	// WriteTimeout ends a response whose client took longer than this to
	// take one tag; default 10 s. A client that reads too slowly is also
	// dropped by the relay, like a slow RTMP player.
	WriteTimeout time.Duration
}

// NewHandler returns a Handler for r with the legacy view, which every
// FLV player reads.
func NewHandler(r *live.Relay) *Handler {
	return &Handler{Relay: r, View: relay.ViewLegacy}
}

// ServeHTTP serves one player.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "HTTP-FLV plays with GET", http.StatusMethodNotAllowed)
		return
	}
	path, ok := parsePath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	// The same check as an RTMP play's, in constant time.
	if !relay.KeyOK(h.Relay.PlayKey, r.URL.RawQuery, "") {
		http.Error(w, "wrong or missing key", http.StatusForbidden)
		return
	}
	if auth := h.Relay.Authorize; auth != nil {
		req := live.AuthRequest{Action: "play", Path: path, Query: r.URL.RawQuery, ConnectQuery: r.URL.RawQuery, Remote: r.RemoteAddr}
		if err := auth(r.Context(), req); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "video/x-flv")
	hdr.Set("Cache-Control", "no-cache")
	// flv.js in a page of another origin fetches the stream.
	hdr.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodHead {
		return
	}
	if r.ProtoMajor == 1 && r.ProtoMinor >= 1 && h.playShared(w, r, path) {
		return
	}
	sub, err := h.Relay.SubscribeViewer(path, h.View)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer sub.Close()
	h.stream(w, r, sub)
}

// playShared plays an HTTP/1.1 request the way RTMP players are served:
// it takes the connection over from net/http and hands it to the relay,
// which writes the same chunk of every message to every such player,
// straight to its socket. It reports false, with nothing written, when
// the connection cannot be taken over (HTTP/2, a test recorder): the
// player is then served through a Subscriber.
func (h *Handler) playShared(w http.ResponseWriter, r *http.Request, path relay.Path) bool {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	if rw.Reader.Buffered() > 0 {
		// A pipelined request after a stream that never ends would never
		// be answered.
		conn.Write([]byte("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
		return true
	}
	hdr := w.Header()
	hdr.Set("Transfer-Encoding", "chunked")
	hdr.Set("Connection", "close")
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	hdr.Write(&head)
	head.WriteString("\r\n")
	fmt.Fprintf(&head, "%x\r\n", len(flvFileHeader))
	head.Write(flvFileHeader)
	head.WriteString("\r\n")
	// An error means the client is gone, or (never, for a new player) the
	// relay refused it: the connection just closes.
	h.Relay.PlayHTTPFLV(r.Context(), conn, path, h.View, head.Bytes(), h.WriteTimeout)
	return true
}

// flvFileHeader is the start of every stream: an FLV header announcing
// audio and video, and PreviousTagSize0.
var flvFileHeader = func() []byte {
	var b bytes.Buffer
	flv.NewWriter(&b, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	return b.Bytes()
}()

// stream writes the FLV header, then a tag per message until the
// publisher stops, the relay drops the player or the client goes.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, sub *live.Subscriber) {
	rc := http.NewResponseController(w)
	timeout := h.WriteTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	rc.SetWriteDeadline(time.Now().Add(timeout))
	fw, err := flv.NewWriter(w, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil || rc.Flush() != nil {
		return
	}
	for {
		tag, err := sub.ReadTag(r.Context())
		if err != nil {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(timeout))
		if err := fw.WriteTag(tag); err != nil {
			if errors.Is(err, flv.ErrTagTooLarge) {
				continue
			}
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// parsePath reads /APP/KEY.flv, where APP may hold slashes and KEY not.
func parsePath(p string) (relay.Path, bool) {
	p, ok := strings.CutSuffix(strings.TrimPrefix(p, "/"), ".flv")
	if !ok {
		return relay.Path{}, false
	}
	i := strings.LastIndexByte(p, '/')
	if i <= 0 || i == len(p)-1 {
		return relay.Path{}, false
	}
	return relay.Path{App: p[:i], Key: p[i+1:]}, true
}
