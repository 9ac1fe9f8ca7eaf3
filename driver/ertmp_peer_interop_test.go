package driver_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/relay"
)

// A player of the peer interop tests: what it declared, and what it got.
type peerPlayer struct {
	name string
	view relay.View
	// joinedAt is how many of the publisher's records came before the
	// player joined (0: before the publisher started).
	joinedAt int
	rec      *recorder
	stderr   func() string
}

// TestERTMPPeerPublishes: the independent Enhanced RTMP peer publishes
// each codec, and the multitrack stream, to the relay. Players of each
// view, early and late: our client declaring multitrack, the peer itself
// (Enhanced RTMP without multitrack, as gortmplib declares) and our client
// declaring nothing (legacy). Each gets exactly the tracks its view can
// read, each video track from its own latest keyframe at the join (the
// first frame for an early player) and audio from the fast start's first
// message, byte for byte and millisecond for millisecond what the peer
// wrote; a track's configuration before its first frame; no multitrack
// message without multitrack, no Enhanced RTMP tag to a legacy player.
func TestERTMPPeerPublishes(t *testing.T) {
	bin := buildERTMPPeer(t)
	for _, sc := range peerScenarios(t) {
		t.Run(sc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
			defer cancel()
			srv := newRelayServer(t)
			path := relay.Path{App: "live", Key: strings.ReplaceAll(sc.name, "+", "-")}
			url := rtmpURL(srv.addr, path.String())
			// gortmplib takes the stream key from the URL's fragment.
			peerURL := rtmpURL(srv.addr, path.App) + "#" + path.Key

			var players []*peerPlayer
			join := func(when string, joinedAt int) {
				for _, p := range []*peerPlayer{
					{name: when + " multitrack (our client)", view: relay.ViewAll, rec: playWithClient(ctx, t, multitrackPlayer, url)},
					{name: when + " legacy (our client)", view: relay.ViewLegacy, rec: playWithClient(ctx, t, legacyPlayer, url)},
				} {
					p.joinedAt, p.stderr = joinedAt, func() string { return "" }
					players = append(players, p)
				}
				peer := startERTMPPeer(ctx, t, bin, "play", peerURL)
				peer.await(t, "playing")
				players = append(players, &peerPlayer{name: when + " enhanced (gortmplib)", view: relay.ViewDefaultTrack,
					joinedAt: joinedAt, rec: peer.recorder, stderr: peer.stderr.String})
				waitFor(t, "the players", 10*time.Second, func() bool { return srv.relay.Players(path) == len(players) })
			}
			join("early", 0)
			pub := startERTMPPeer(ctx, t, bin, "publish", peerURL, sc.script.write(t))
			pub.await(t, "ready")
			sent := 0
			send := func(n int) {
				pub.command(t, fmt.Sprint("send ", n))
				pub.await(t, "sent")
				sent += n
				// The early multitrack player gets everything: once it has
				// what was written, the relay has taken it.
				want := pub.count()
				waitFor(t, "the relay to take the frames", 10*time.Second, func() bool { return players[0].rec.count() >= want })
			}
			for _, cut := range sc.cuts {
				send(sc.script.framesBefore(cut) - sent)
				join(fmt.Sprintf("late@%dms", cut), pub.count())
			}
			send(len(sc.script.Frames) - sent)
			pub.command(t, "end")
			finished(t, "publisher", pub.recorder, pub.stderr.String)
			published := pub.records()
			for _, p := range players {
				finished(t, p.name, p.rec, p.stderr)
				checkPeerPlayer(t, p, published)
			}
		})
	}
}

// viewReads reports whether a player of view v reads a track of the
// published records: multitrack every track, others track 0 only, and
// legacy players H.264 and AAC only.
func viewReads(v relay.View, r mediaRecord) bool {
	switch {
	case v == relay.ViewAll:
		return true
	case r.Track != 0:
		return false
	case v == relay.ViewLegacy:
		return slices.Contains([]string{"7", "avc1", "10", "mp4a"}, r.Codec)
	}
	return true
}

// expectedFrames is what a player should get of each track it reads: for
// a late player, each video track from its latest keyframe before the
// join, and audio from the earliest of those keyframes (where the fast
// start begins).
func expectedFrames(t *testing.T, published []mediaRecord, p *peerPlayer) map[trackKey][]mediaRecord {
	t.Helper()
	starts := map[trackKey]int{}
	if p.joinedAt > 0 {
		for i, r := range published[:p.joinedAt] {
			if r.Media != "video" || r.Packet != "frame" {
				continue
			}
			key, err := recordIsKeyframe(r)
			if err != nil {
				t.Fatalf("published %v: %v", r, err)
			}
			if key {
				starts[r.key()] = i
			}
		}
	}
	audioStart := 0
	for _, i := range starts {
		if audioStart == 0 || i < audioStart {
			audioStart = i
		}
	}
	want := map[trackKey][]mediaRecord{}
	for i, r := range published {
		if r.Packet != "frame" || !viewReads(p.view, r) {
			continue
		}
		from := audioStart
		if r.Media == "video" {
			from = starts[r.key()]
		}
		if i >= from {
			want[r.key()] = append(want[r.key()], r)
		}
	}
	return want
}

func checkPeerPlayer(t *testing.T, p *peerPlayer, published []mediaRecord) {
	t.Helper()
	got := p.rec.records()
	want := expectedFrames(t, published, p)
	configured := map[trackKey]bool{}
	for _, r := range got {
		switch {
		case p.view != relay.ViewAll && r.Track != 0:
			t.Fatalf("%s got %v: a track its view cannot read", p.name, r)
		case p.view == relay.ViewLegacy && r.Form != "legacy":
			t.Fatalf("%s got %v: an Enhanced RTMP tag", p.name, r)
		case r.Packet == "config":
			configured[r.key()] = true
		case r.Packet == "frame" && !configured[r.key()]:
			t.Fatalf("%s got %v before the track's configuration", p.name, r)
		}
	}
	tracks := map[trackKey]bool{}
	for _, r := range got {
		tracks[r.key()] = true
	}
	for k := range tracks {
		if _, ok := want[k]; !ok {
			t.Errorf("%s got track %v, which its view does not read", p.name, k)
		}
	}
	for k, frames := range want {
		gotFrames := framesOf(got, k)
		if len(frames) == 0 {
			t.Errorf("%s: nothing expected of %v; the test's cut is wrong", p.name, k)
			continue
		}
		if k.media == "video" {
			if key, err := recordIsKeyframe(gotFrames[0]); err != nil || !key {
				t.Errorf("%s: track %v starts on %v, not a keyframe (%v)", p.name, k, gotFrames[0], err)
			}
		}
		if !sameFrames(frames, gotFrames) {
			t.Errorf("%s: track %v (-want +got):\n%s", p.name, k, cmp.Diff(recordStrings(frames), recordStrings(gotFrames)))
		}
	}
}

func recordStrings(recs []mediaRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.String()
	}
	return out
}
