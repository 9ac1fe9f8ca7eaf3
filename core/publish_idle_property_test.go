package core_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

// notMedia are messages a publisher may send that are not audio or video.
var notMedia = []core.Input{
	data(1, "onCuePoint", "x"),
	data(1, "@setDataFrame", "onMetaData", obj("width", 640.0)),
	recv(0, 0, message.PingRequest{Timestamp: 7}),
	recv(0, 3, avcFrame), // media, but on no publishing stream
	core.BytesCounted{Received: 1 << 40},
}

// TestPublishIdleProperty: for random scripts of ticks and messages, a
// publisher that sends audio or video at least every PublishIdleTimeout T
// of session time is never closed, and never is one before T passed
// without media; one that stops sending media is closed with
// PublishIdleError, and between T and 1.25 T after its last frame when
// the driver ticks at the WakeAt deadlines.
func TestPublishIdleProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		timeout := time.Duration(rapid.IntRange(1, 20_000).Draw(t, "timeout")) * ms
		s := core.NewSession(core.Config{PingTimeout: -1, PublishIdleTimeout: timeout})
		var (
			now, lastMedia time.Duration
			wake           = core.Never
			closed         bool
			closeErr       error
			// lateSinceMedia is set by a Tick past the deadline after
			// the last media: the bound of 1.25 T assumes punctual Ticks.
			lateSinceMedia bool
		)
		step := func(in core.Input) {
			var fx []core.Effect
			s, fx = s.Step(in)
			if tick, ok := in.(core.Tick); ok {
				now = max(now, tick.Now)
				lateSinceMedia = lateSinceMedia || now > wake
			}
			for _, e := range fx {
				switch e := e.(type) {
				case core.WakeAt:
					wake = e.At
				case core.Disconnect:
					closed, closeErr = true, e.Err
				}
			}
			if closed && now-lastMedia < timeout {
				t.Fatalf("closed at %v (err %v), only %v after the last media at %v", now, closeErr, now-lastMedia, lastMedia)
			}
		}
		media := func() {
			step(rapid.SampledFrom([]core.Input{recv(0, 1, avcFrame), recv(0, 1, aacFrame)}).Draw(t, "media"))
			lastMedia, lateSinceMedia = now, false
		}
		for _, in := range publisherInputs() {
			step(in)
		}

		// Alive: media at least every T - 1 ms of session time.
		for range rapid.IntRange(0, 60).Draw(t, "aliveSteps") {
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 0, 1:
				next := now + time.Duration(rapid.IntRange(0, int(2*timeout/ms)).Draw(t, "dt"))*ms
				if next-lastMedia >= timeout {
					media()
				}
				step(core.Tick{Now: next})
			case 2:
				media()
			default:
				step(rapid.SampledFrom(notMedia).Draw(t, "other"))
			}
			if closed {
				t.Fatalf("a publisher whose media came less than %v apart was closed at %v: %v", timeout, now, closeErr)
			}
		}

		// Silent: no media any more; a punctual driver ticks at each
		// deadline, a late one whenever.
		punctual := rapid.Bool().Draw(t, "punctual")
		for range 1000 {
			if closed {
				break
			}
			if rapid.IntRange(0, 3).Draw(t, "silentKind") == 0 {
				step(rapid.SampledFrom(notMedia).Draw(t, "silentOther"))
				continue
			}
			next := now + time.Duration(rapid.IntRange(1, int(timeout/ms)).Draw(t, "silentDt"))*ms
			if punctual {
				if wake == core.Never {
					t.Fatalf("a publishing connection has no deadline")
				}
				next = wake
			}
			step(core.Tick{Now: next})
		}
		if !errors.Is(closeErr, core.PublishIdleError{Timeout: timeout}) {
			t.Fatalf("a silent publisher was not closed as idle: closed %v, err %v", closed, closeErr)
		}
		if limit := lastMedia + timeout + timeout/4; punctual && !lateSinceMedia && now > limit {
			t.Fatalf("closed at %v, past %v: the last media was at %v", now, limit, lastMedia)
		}
	})
}
