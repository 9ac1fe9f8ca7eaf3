package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/core/sim"
)

// A case script reads back as the case it was written from, whatever the
// keys and times.
func TestCaseScriptRoundTrip(t *testing.T) {
	base := sim.DefaultConfig(nil)
	dur := rapid.Custom(func(t *rapid.T) time.Duration {
		return time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "ns"))
	})
	rapid.Check(t, func(rt *rapid.T) {
		cfg := base
		cfg.RefuseSecondPublisher = rapid.Bool().Draw(rt, "refuse")
		lo := rapid.IntRange(1, 1<<20).Draw(rt, "pipeLow")
		cfg.Window = [2]int{lo, lo + rapid.IntRange(0, 1<<20).Draw(rt, "pipeSpan")}
		d := dur.Draw(rt, "delayLow")
		cfg.Delay = [2]time.Duration{d, d + dur.Draw(rt, "delaySpan")}
		sc := sim.Scenario{Seed: rapid.Uint64().Draw(rt, "seed")}
		for range rapid.IntRange(0, 6).Draw(rt, "clients") {
			sc.Clients = append(sc.Clients, sim.ClientSpec{
				Role:     rapid.SampledFrom([]sim.Role{sim.Publisher, sim.Player}).Draw(rt, "role"),
				Key:      rapid.String().Draw(rt, "key"),
				Start:    dur.Draw(rt, "start"),
				Leave:    dur.Draw(rt, "leave"),
				StallAt:  dur.Draw(rt, "stallAt"),
				StallFor: dur.Draw(rt, "stallFor"),
				DropAt:   dur.Draw(rt, "dropAt"),
				Vanish:   rapid.Bool().Draw(rt, "vanish"),
				Window:   rapid.Uint32().Draw(rt, "window"),
				AMF3:     rapid.Bool().Draw(rt, "amf3"),
			})
		}
		script, err := sim.EncodeCase(cfg, sc)
		if err != nil {
			rt.Fatal(err)
		}
		if strings.ContainsAny(script, "'\n") {
			rt.Fatalf("script %q does not fit in single quotes on one line", script)
		}
		gotCfg, gotSc, err := sim.DecodeCase(script, base)
		if err != nil {
			rt.Fatalf("%q: %v", script, err)
		}
		if diff := cmp.Diff(sc, gotSc); diff != "" {
			rt.Fatalf("%q: scenario (-written +read):\n%s", script, diff)
		}
		if gotCfg.RefuseSecondPublisher != cfg.RefuseSecondPublisher || gotCfg.Window != cfg.Window || gotCfg.Delay != cfg.Delay {
			rt.Fatalf("%q: knobs %v %v %v, want %v %v %v", script, gotCfg.RefuseSecondPublisher, gotCfg.Window, gotCfg.Delay,
				cfg.RefuseSecondPublisher, cfg.Window, cfg.Delay)
		}
	})
}

// A configuration a script cannot carry is refused rather than replayed
// as another case.
func TestCaseScriptRefusesWhatItCannotCarry(t *testing.T) {
	cfg := sim.DefaultConfig(nil)
	cfg.Relay.MaxQueueBytes++
	if _, err := sim.EncodeCase(cfg, sim.Scenario{Seed: 1}); err == nil {
		t.Fatal("a changed relay configuration was encoded")
	}
	cfg = sim.DefaultConfig(nil)
	cfg.Server.ReportEvery++
	if _, err := sim.EncodeCase(cfg, sim.Scenario{Seed: 1}); err == nil {
		t.Fatal("a changed server configuration was encoded")
	}
}

// Bad scripts are errors, never panics or another case.
func TestCaseScriptErrors(t *testing.T) {
	for _, script := range []string{
		"",
		"refuse",
		"seed=x",
		"seed=1 seed=2",
		"seed=1 pipe=9-3",
		"seed=1 pipe=0-3",
		"seed=1 delay=5ms-1ms",
		"seed=1 delay=5ms",
		"seed=1 colour=blue",
		"seed=1;",
		"seed=1; viewer key=cam start=0ms window=1",
		"seed=1; player start=0ms window=1",
		"seed=1; player key=cam start=soon window=1",
		"seed=1; player key=cam start=0ms window=4294967296",
		"seed=1; player key=%zz start=0ms window=1",
		"seed=1; player key=cam start=0ms window=1 stall=1ms",
		"seed=1; player key=cam start=0ms window=1 start=2ms",
	} {
		if _, _, err := sim.DecodeCase(script, sim.DefaultConfig(nil)); err == nil {
			t.Errorf("%q decoded", script)
		}
	}
}

// Fuzzed scripts decode or fail cleanly, and what decodes encodes again.
func FuzzCaseScript(f *testing.F) {
	f.Add(defaultCase)
	f.Add("seed=1; player key=a%20b start=1ns window=1 vanish")
	f.Fuzz(func(t *testing.T, script string) {
		cfg, sc, err := sim.DecodeCase(script, sim.DefaultConfig(nil))
		if err != nil {
			return
		}
		again, err := sim.EncodeCase(cfg, sc)
		if err != nil {
			t.Fatalf("%q decoded but does not encode: %v", script, err)
		}
		_, sc2, err := sim.DecodeCase(again, sim.DefaultConfig(nil))
		if err != nil || !cmp.Equal(sc, sc2) {
			t.Fatalf("%q -> %q does not read back: %v", script, again, err)
		}
	})
}
