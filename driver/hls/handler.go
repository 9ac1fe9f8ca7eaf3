package hls

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
)

// Handler serves the streams of a live.Relay over HLS. Make one with
// NewHandler, and keep Run running for streams to stop when nobody
// watches them (and, with Config.Always, to start when published).
type Handler struct {
	relay *live.Relay
	cfg   Config

	mu      sync.Mutex
	streams map[relay.Path]*stream
	ctx     context.Context // segmenters' parent: Run's, or a background one
}

// NewHandler returns a Handler for r.
func NewHandler(r *live.Relay, cfg Config) *Handler {
	return &Handler{relay: r, cfg: cfg.withDefaults(), streams: map[relay.Path]*stream{}, ctx: context.Background()}
}

// Match reports whether an URL path is one the handler serves:
// /APP/KEY/index.m3u8 and the init sections, segments and parts beside
// it.
func Match(urlPath string) bool {
	_, _, ok := parsePath(urlPath)
	return ok
}

// parsePath reads /APP/KEY/NAME, where APP may hold slashes and NAME is
// index.m3u8 or a name of core/hls.
func parsePath(p string) (relay.Path, string, bool) {
	p = strings.TrimPrefix(p, "/")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return relay.Path{}, "", false
	}
	name := p[i+1:]
	if kind, _, _ := hls.ParseName(name); name != playlistName && kind == hls.NotMedia {
		return relay.Path{}, "", false
	}
	p = p[:i]
	j := strings.LastIndexByte(p, '/')
	if j <= 0 || j == len(p)-1 {
		return relay.Path{}, "", false
	}
	return relay.Path{App: p[:j], Key: p[j+1:]}, name, true
}

// playlistName is every stream's playlist.
const playlistName = "index.m3u8"

// ServeHTTP answers GET and HEAD of /APP/KEY/index.m3u8 (the media
// playlist, blocking with _HLS_msn and _HLS_part, a delta update with
// _HLS_skip=YES; for a stream with several audio tracks when it is first
// asked for, a multivariant playlist whose renditions are index.m3u8?r=N,
// and it stays of its kind while the segmenter runs) and of the files it
// lists. When the Relay has a PlayKey,
// every request gives it as ?key=, and the playlist carries it on to
// the files; the Relay's Authorize hook is asked on each playlist request
// that does not block (a player's first, and every reload of a player
// that does not block), not on each part.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "HLS plays with GET", http.StatusMethodNotAllowed)
		return
	}
	path, name, ok := parsePath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !relay.KeyOK(h.relay.PlayKey, r.URL.RawQuery, "") {
		http.Error(w, "wrong or missing key", http.StatusForbidden)
		return
	}
	// Players in pages of another origin fetch the stream, as with HTTP-FLV.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-cache")
	if name == playlistName {
		h.servePlaylist(w, r, path)
		return
	}
	h.serveMedia(w, r, path, name)
}

// servePlaylist answers a playlist request, starting the stream's
// segmenter if it is not running.
func (h *Handler) servePlaylist(w http.ResponseWriter, r *http.Request, path relay.Path) {
	reload, err := parseReload(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if auth := h.relay.Authorize; auth != nil && !reload.Block {
		req := live.AuthRequest{Action: "play", Path: path, Query: r.URL.RawQuery, ConnectQuery: r.URL.RawQuery, Remote: r.RemoteAddr}
		if err := auth(r.Context(), req); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	}
	st := h.start(path)
	if st == nil {
		http.Error(w, "no stream is published at this path", http.StatusNotFound)
		return
	}
	st.mu.Lock()
	st.touch(time.Now(), clientOf(r))
	st.inFlight++
	defer st.requestDone()
	deadline := time.Now().Add(h.cfg.Wait)
	answer := hls.Ready
	if reload.Block {
		st.await(r.Context(), deadline, func() bool { return st.tl.Await(reload) != hls.Wait })
		answer = st.tl.Await(reload)
	} else {
		// A first request waits for a whole segment: players that ignore
		// parts need one to start.
		st.await(r.Context(), deadline, func() bool { return st.tl.Ended() || hasComplete(st.tl) })
	}
	empty := len(st.tl.Segments()) == 0
	which, named := renditionOf(r.URL.Query())
	kind := hls.NoPlaylist
	if answer != hls.TooFar && !empty {
		kind = st.index.Choose(named, which, len(st.renditions), reload.Block)
	}
	var body []byte
	switch {
	case answer == hls.TooFar || empty:
	case kind == hls.NoPlaylist:
		st.mu.Unlock()
		http.NotFound(w, r)
		return
	case kind == hls.MultivariantPlaylist:
		body = st.multivariant(keyQuery(r.URL.Query()))
	default:
		query := keyQuery(r.URL.Query())
		if which > 0 && query != "" {
			query = "r=" + strconv.Itoa(which) + "&" + query
		} else if which > 0 {
			query = "r=" + strconv.Itoa(which)
		}
		body = st.playlist(query, reload.Skip)
	}
	st.mu.Unlock()
	switch {
	case answer == hls.TooFar:
		http.Error(w, "_HLS_msn or _HLS_part is too far ahead", http.StatusBadRequest)
	case empty:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "the stream has no segment yet", http.StatusServiceUnavailable)
	default:
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	}
}

func hasComplete(tl *hls.Timeline) bool {
	segs := tl.Segments()
	return len(segs) > 0 && segs[0].Complete
}

// serveMedia answers a request for an init section, a segment or a part;
// a part or segment still being cut is waited for.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request, path relay.Path, name string) {
	st := h.running(path)
	if st == nil {
		http.NotFound(w, r)
		return
	}
	kind, n, a := hls.ParseName(name)
	which, _ := renditionOf(r.URL.Query())
	st.mu.Lock()
	st.touch(time.Now(), clientOf(r))
	st.inFlight++
	defer st.requestDone()
	deadline := time.Now().Add(h.cfg.Wait)
	var chunks [][]byte
	switch kind {
	case hls.InitFile:
		if rd := st.rendition(which); rd != nil && rd.inits[n] != nil {
			chunks = append(chunks, rd.inits[n])
		}
	case hls.PartFile:
		if st.await(r.Context(), deadline, func() bool { return st.tl.Has(a) || !st.tl.Upcoming(a) }) && st.tl.Has(a) {
			if rd := st.rendition(which); rd != nil && rd.parts[a] != nil {
				chunks = append(chunks, rd.parts[a])
			}
		}
	case hls.SegmentFile:
		open := func() bool { cur, ok := st.tl.Current(); return ok && cur.MSN == a.MSN }
		if st.await(r.Context(), deadline, func() bool { return st.tl.HasSegment(a.MSN) || !open() }) && st.tl.HasSegment(a.MSN) {
			if rd := st.rendition(which); rd != nil {
				for p := range partsIn(st.tl, a.MSN) {
					if b := rd.parts[hls.Address{MSN: a.MSN, Part: p}]; b != nil {
						chunks = append(chunks, b)
					}
				}
			}
		}
	}
	st.mu.Unlock()
	if len(chunks) == 0 {
		http.NotFound(w, r)
		return
	}
	size := 0
	for _, c := range chunks {
		size += len(c)
	}
	w.Header().Set("Content-Type", "video/mp4")
	w.Header().Set("Content-Length", strconv.Itoa(size))
	if r.Method == http.MethodHead {
		return
	}
	for _, c := range chunks {
		if _, err := w.Write(c); err != nil {
			return
		}
	}
}

// partsIn is how many parts a segment of the window has.
func partsIn(tl *hls.Timeline, msn uint64) int {
	for _, s := range tl.Segments() {
		if s.MSN == msn {
			return len(s.Parts)
		}
	}
	return 0
}

// renditionOf reads a request's rendition (?r=N; the first, 0, when
// absent) and whether one was named.
func renditionOf(q url.Values) (int, bool) {
	v := q.Get("r")
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1, true
	}
	return n, true
}

// parseReload reads a playlist request's delivery directives.
func parseReload(q url.Values) (hls.Reload, error) {
	var r hls.Reload
	if v := q.Get("_HLS_msn"); v != "" {
		msn, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return r, errBadDirective
		}
		r.Block, r.MSN = true, msn
	}
	if v := q.Get("_HLS_part"); v != "" {
		part, err := strconv.Atoi(v)
		if err != nil || part < 0 || !r.Block {
			return r, errBadDirective // _HLS_part without _HLS_msn is invalid
		}
		r.HasPart, r.Part = true, part
	}
	r.Skip = q.Get("_HLS_skip") == "YES" || q.Get("_HLS_skip") == "v2"
	return r, nil
}

var errBadDirective = &directiveError{}

type directiveError struct{}

func (*directiveError) Error() string {
	return "_HLS_msn takes a media sequence number, _HLS_part a part index (and needs _HLS_msn)"
}

// keyQuery is the query the playlist's URIs carry: the play key, if the
// request gave one.
func keyQuery(q url.Values) string {
	if k := q.Get("key"); k != "" {
		return "key=" + url.QueryEscape(k)
	}
	return ""
}

// clientOf names a player for counting: its address's host and its user
// agent. HLS has no connection per player; players behind one address
// with the same software count once.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return host + " " + r.UserAgent()
}

// touch notes a request from a client; st.mu is held.
func (st *stream) touch(now time.Time, client string) {
	st.lastRequest = now
	if len(st.players) < maxPlayersTracked || st.players[client] != (time.Time{}) {
		st.players[client] = now
	}
}

// requestDone ends a request: it counts as the stream's last, for idleness.
func (st *stream) requestDone() {
	st.mu.Lock()
	st.inFlight--
	st.lastRequest = time.Now()
	st.mu.Unlock()
}

// maxPlayersTracked bounds the players a stream remembers; more are
// served but not counted.
const maxPlayersTracked = 100000
