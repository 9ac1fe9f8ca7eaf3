package core_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

// genCommand draws any command but connect, well or badly formed.
func genCommand(t *rapid.T) core.Input {
	name := rapid.SampledFrom(slices.DeleteFunc(slices.Clone(commandNames), func(n string) bool { return n == "connect" })).Draw(t, "name")
	stream := rapid.Uint32Range(0, 2).Draw(t, "stream")
	txid := rapid.SampledFrom([]float64{0, 2, 5}).Draw(t, "txid")
	if name == "publish" || name == "play" {
		return call(stream, name, txid, nil, rapid.SampledFrom([]string{"a", "b"}).Draw(t, "key"))
	}
	return call(stream, name, txid, genValue(t, "obj"), genArgs(t)...)
}

// stepAll steps inputs and returns each step's effects, described, with
// WakeAt left out (a deadline is announced once per step, so the steps
// it falls in differ between equivalent scripts).
func stepAll(s core.Session, ins ...core.Input) (core.Session, []string) {
	var out []string
	for _, in := range ins {
		var fx []core.Effect
		s, fx = s.Step(in)
		var lines []string
		for _, e := range fx {
			if _, ok := e.(core.WakeAt); !ok {
				lines = append(lines, core.DescribeEffect(e))
			}
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return s, out
}

// TestDeferredCommandsProperty: for random commands sent before any
// connect and while the connect waits, nothing is ever answered "not
// connected"; commands before any connect get no answer at all; commands
// held while the connect waits (up to MaxPendingRequests) produce, at the
// Accept, exactly what they produce when sent right after it, and leave
// the same session; a rejected connect sends its _error and nothing of
// theirs.
func TestDeferredCommandsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bound := rapid.IntRange(1, 4).Draw(t, "bound")
		cfg := core.Config{MaxPendingRequests: bound, PublishIdleTimeout: -1}
		early := make([]core.Input, rapid.IntRange(0, 3).Draw(t, "early"))
		for i := range early {
			early[i] = genCommand(t)
		}
		held := make([]core.Input, rapid.IntRange(0, bound+2).Draw(t, "held"))
		for i := range held {
			held[i] = genCommand(t)
		}
		connect, accept := connectFFmpegPublish(), core.Accept{Request: 1}

		s, earlyFx := stepAll(core.NewSession(cfg), early...)
		for i, fx := range earlyFx {
			if strings.Contains(fx, "send ") {
				t.Fatalf("%s before any connect was answered:\n%s", core.DescribeInput(early[i]), fx)
			}
		}
		s, _ = stepAll(s, connect)
		s, heldFx := stepAll(s, held...)
		for i, fx := range heldFx {
			want := ""
			if i >= bound {
				want = "Reason: \"" + core.ReasonTooManyHeld + "\""
			}
			if want == "" && fx != "" || !strings.Contains(fx, want) {
				t.Fatalf("command %d of %d while the connect waits (bound %d): %s gave\n%s", i+1, len(held), bound, core.DescribeInput(held[i]), fx)
			}
		}
		_, rejectFx := stepAll(s, core.Reject{Request: 1})
		if got := strings.Count(rejectFx[0], "\n") + 1; got != 2 || !strings.Contains(rejectFx[0], "Disconnect") {
			t.Fatalf("a rejected connect with held commands gave:\n%s", rejectFx[0])
		}
		deferred, acceptFx := stepAll(s, accept)

		// The same commands right after the Accept, the refused ones left out.
		direct, directFx := stepAll(core.NewSession(cfg), connect, accept)
		direct, afterFx := stepAll(direct, held[:min(bound, len(held))]...)
		want := strings.Join(slices.DeleteFunc(append(directFx[1:], afterFx...), func(s string) bool { return s == "" }), "\n")
		if diff := cmp.Diff(want, acceptFx[0]); diff != "" {
			t.Fatalf("held commands ran otherwise than right after the Accept (-direct +held):\n%s", diff)
		}
		if !equalSessions(deferred, direct) {
			t.Fatalf("held commands left another session than right after the Accept")
		}
		for _, fx := range slices.Concat(earlyFx, heldFx, acceptFx, rejectFx, afterFx) {
			if strings.Contains(fx, "not connected") {
				t.Fatalf("answered not connected:\n%s", fx)
			}
		}
	})
}
