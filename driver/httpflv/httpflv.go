// Package httpflv serves the live streams of a driver.Relay as HTTP-FLV:
// GET /APP/KEY.flv answers with an FLV file that never ends, the stream's
// metadata, decoder configuration and last keyframe first (fast start),
// then every message as it is published. ffmpeg, VLC and flv.js in a
// browser play it; it goes where only HTTP goes.
package httpflv

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// Handler serves GET and HEAD /APP/KEY.flv from Relay; anything else is
// not found. When the Relay has a PlayKey, players give it as ?key=, as
// RTMP players do.
type Handler struct {
	Relay *driver.Relay
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
func NewHandler(r *driver.Relay) *Handler {
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
	if want := h.Relay.PlayKey; want != "" && r.URL.Query().Get("key") != want {
		http.Error(w, "wrong or missing key", http.StatusForbidden)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "video/x-flv")
	hdr.Set("Cache-Control", "no-cache")
	// flv.js in a page of another origin fetches the stream.
	hdr.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodHead {
		return
	}
	sub, err := h.Relay.Subscribe(path, h.View)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer sub.Close()
	h.stream(w, r, sub)
}

// stream writes the FLV header, then a tag per message until the
// publisher stops, the relay drops the player or the client goes.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, sub *driver.Subscriber) {
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
		m, err := sub.Read(r.Context())
		if err != nil {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(timeout))
		if err := fw.WriteTag(flv.Tag{Type: tagType(m.Kind), Timestamp: m.Timestamp, Data: m.Payload}); err != nil {
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

// tagType is the FLV tag type of a relayed message.
func tagType(k relay.Kind) flv.TagType {
	switch k {
	case relay.Audio:
		return flv.TagAudio
	case relay.Video:
		return flv.TagVideo
	}
	return flv.TagScript
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
