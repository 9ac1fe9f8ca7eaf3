package core_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core"
)

var rewrite = flag.Bool("rewrite", false, "regenerate the golden transcripts in testdata/sessions")

// scenario is one golden transcript: a session stepped through inputs.
type scenario struct {
	name   string // file name without .txt
	about  string // what it shows, printed as the header
	config core.Config
	inputs []core.Input
}

// transcript runs a scenario and prints every input, a "----" line and
// the effects it produced, with the canonical formatter.
func transcript(sc scenario) string {
	var b strings.Builder
	for _, line := range strings.Split(sc.about, "\n") {
		b.WriteString("# " + line + "\n")
	}
	s := core.NewSession(sc.config)
	for _, in := range sc.inputs {
		var fx []core.Effect
		s, fx = s.Step(in)
		b.WriteString("\n" + core.DescribeInput(in) + "\n----\n")
		for _, e := range fx {
			b.WriteString(core.DescribeEffect(e) + "\n")
		}
	}
	return b.String()
}

func TestGoldenTranscripts(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sessions")
	seen := map[string]bool{}
	for _, sc := range append(scenarios(), ertmpScenarios()...) {
		if seen[sc.name] {
			t.Fatalf("two scenarios named %s", sc.name)
		}
		seen[sc.name] = true
		t.Run(sc.name, func(t *testing.T) {
			path := filepath.Join(dir, sc.name+".txt")
			got := transcript(sc)
			if *rewrite {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./core -rewrite to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s drifted (-file +now); run go test ./core -rewrite if intended:\n%s", path, diff)
			}
		})
	}
	// A transcript without a scenario is stale.
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".txt"); !seen[name] && !*rewrite {
			t.Errorf("%s has no scenario", f)
		}
	}
}
