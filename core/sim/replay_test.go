package sim_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/core/sim"
)

// Every test of this package that can fail reports through a verdict
// function: it runs one case and returns "" or the failure, which ends
// with the command that replays exactly that case. replay runs such a
// command in-process, through the same verdict functions, so that a test
// can check that the command reproduces the failure word for word.

// command is the go test invocation that replays a case.
func command(run string, flags ...string) string {
	return strings.Join(append([]string{"go test ./core/sim/ -run '" + run + "'"}, flags...), " ")
}

// testCommand replays the running test or subtest t, a hand-made case
// that builds the same run every time.
func testCommand(t *testing.T) string {
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return command(strings.Join(parts, "/"))
}

// report is the failure message of a run: the scenario, the broken
// invariants, the last events and the replay command.
func report(sc sim.Scenario, res sim.Result, replayCommand string) string {
	return fmt.Sprintf("%v\nfailures:\n  %s\nlast events:\n  %s\nreplay: %s",
		sc, strings.Join(res.Failures, "\n  "), strings.Join(res.Trace, "\n  "), replayCommand)
}

// seedsVerdict runs the scenarios of seeds first to first+n-1 (TestSeeds)
// and returns the first failure, or, over more than 50 seeds, a failure
// when the seeds never reached a behaviour the invariants are about.
func seedsVerdict(cfg sim.Config, first, n uint64) (string, sim.Result) {
	var total sim.Result
	for seed := first; seed < first+n; seed++ {
		sc := sim.RandomScenario(seed)
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 {
			return report(sc, res, command("^TestSeeds$", fmt.Sprintf("-sim.seed=%d", seed))), total
		}
		total.Media += res.Media
		total.Pings += res.Pings
		total.Acks += res.Acks
		total.Dropped += res.Dropped
		total.Closed += res.Closed
		total.AMF3MetaData += res.AMF3MetaData
	}
	if n > 50 && first == 1 && (total.Media == 0 || total.Pings == 0 || total.Acks == 0 || total.Dropped == 0 || total.AMF3MetaData == 0) {
		return fmt.Sprintf("the seeds never reached some behaviour: %+v\nreplay: %s",
			total, command("^TestSeeds$", fmt.Sprintf("-sim.seeds=%d", n))), total
	}
	return "", total
}

// caseVerdict runs one scenario under cfg (TestCase, TestScenarios); its
// command carries the whole case as a script.
func caseVerdict(cfg sim.Config, sc sim.Scenario) string {
	res := sim.Run(cfg, sc)
	if len(res.Failures) == 0 {
		return ""
	}
	script, err := sim.EncodeCase(cfg, sc)
	if err != nil {
		return report(sc, res, "none: "+err.Error())
	}
	return report(sc, res, command("^TestCase$", "-sim.case='"+script+"'"))
}

// behaviourVerdict runs one hand-made case (TestScenarioBehaviours); its
// command names the subtest, which is the case.
func behaviourVerdict(base sim.Config, b behaviour) string {
	cfg := base
	if b.config != nil {
		cfg = b.config(base)
	}
	res := sim.Run(cfg, b.scenario)
	missed := b.reached(res)
	if len(res.Failures) == 0 && missed == "" {
		return ""
	}
	run := "^TestScenarioBehaviours$/^" + regexp.QuoteMeta(strings.ReplaceAll(b.name, " ", "_")) + "$"
	return fmt.Sprintf("%s\n%+v\n%s", missed, res, report(b.scenario, res, command(run)))
}

// replayPattern matches every command the verdicts print.
var replayPattern = regexp.MustCompile(`(?m)^replay: go test \./core/sim/ -run '\^(\w+)\$(?:/\^(.*)\$)?'` +
	`(?: -sim\.seeds?=(\d+))?(?: -sim\.case='([^']*)')?$`)

// replay runs the command at the end of a failure message in-process,
// with base in place of the default configuration, and returns what the
// test would report.
func replay(message string, base sim.Config) (string, error) {
	m := replayPattern.FindStringSubmatch(message)
	if m == nil {
		return "", fmt.Errorf("no replay command in %q", message)
	}
	test, sub, number, script := m[1], m[2], m[3], m[4]
	switch {
	case test == "TestSeeds" && strings.Contains(m[0], "-sim.seed="):
		seed, err := strconv.ParseUint(number, 10, 64)
		verdict, _ := seedsVerdict(base, seed, 1)
		return verdict, err
	case test == "TestSeeds":
		n, err := strconv.ParseUint(number, 10, 64)
		verdict, _ := seedsVerdict(base, 1, n)
		return verdict, err
	case test == "TestCase":
		cfg, sc, err := sim.DecodeCase(script, base)
		if err != nil {
			return "", err
		}
		return caseVerdict(cfg, sc), nil
	case test == "TestScenarioBehaviours":
		for _, b := range behaviours(base) {
			if regexp.QuoteMeta(strings.ReplaceAll(b.name, " ", "_")) == sub {
				return behaviourVerdict(base, b), nil
			}
		}
		return "", fmt.Errorf("no behaviour matches %q", sub)
	}
	return "", fmt.Errorf("replay of %s is not known", test)
}

// Every failure a test of this package prints ends with a command that
// replays exactly that case: a check planted to fail every run, with a
// message that depends on everything the run did (its digest), fails the
// replay with the same words.
func TestReplayCommandsReproduceFailures(t *testing.T) {
	planted := sim.PlantCheck(sim.DefaultConfig(media(t)), func(res sim.Result) string {
		return fmt.Sprintf("planted: %d media messages, %d pings, run digest %x", res.Media, res.Pings, res.Digest)
	})
	// A case only a script can carry: knobs off their defaults, a key
	// that needs escaping and times that are not whole milliseconds.
	odd := sim.Scenario{Seed: 99, Clients: []sim.ClientSpec{
		{Role: sim.Publisher, Key: "my cam's/1", Start: 123456789, Window: 8 << 10},
		{Role: sim.Player, Key: "my cam's/1", Start: 50 * time.Millisecond, Window: 2500000, Leave: 2*time.Second + 7,
			StallAt: time.Second, StallFor: 300 * time.Millisecond},
		{Role: sim.Publisher, Key: "my cam's/1", Start: 200 * time.Millisecond, Window: 16 << 10},
		{Role: sim.Player, Key: "other", Start: 10 * time.Millisecond, Window: 65536, DropAt: 900 * time.Millisecond, Vanish: true},
	}}
	oddConfig := planted
	oddConfig.RefuseSecondPublisher = true
	oddConfig.Window = [2]int{3000, 9000}
	oddConfig.Delay = [2]time.Duration{time.Millisecond, 70*time.Millisecond + 1}

	seedFailure, _ := seedsVerdict(planted, 3, 1)
	failures := map[string]string{
		"seed":     seedFailure,
		"scenario": caseVerdict(planted, sim.RandomScenario(12)),
		"odd case": caseVerdict(oddConfig, odd),
	}
	for _, b := range behaviours(planted) {
		failures[b.name] = behaviourVerdict(planted, b)
	}
	for name, failure := range failures {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(failure, "planted: ") {
				t.Fatalf("the planted check did not fail the run:\n%s", failure)
			}
			again, err := replay(failure, planted)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(failure, again); diff != "" {
				t.Fatalf("the replay command gave another failure (-first +replay):\n%s", diff)
			}
		})
	}
	// And the commands are not interchangeable: another seed's command
	// gives another failure.
	other, _ := seedsVerdict(planted, 4, 1)
	if again, err := replay(other, planted); err != nil || again == seedFailure {
		t.Fatalf("seeds 3 and 4 replay alike (%v)", err)
	}
}
