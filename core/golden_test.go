package core_test

import (
	"path/filepath"
	"testing"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/internal/golden"
)

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
	return golden.Transcript(sc.about, core.NewSession(sc.config), sc.inputs, core.DescribeInput, core.DescribeEffect)
}

// TestGoldenTranscripts compares every scenario with its file in
// testdata/sessions; go test ./core -rewrite regenerates them.
func TestGoldenTranscripts(t *testing.T) {
	var files []golden.File
	for _, sc := range append(scenarios(), ertmpScenarios()...) {
		files = append(files, golden.File{Name: sc.name, Print: func() string { return transcript(sc) }})
	}
	golden.Check(t, filepath.Join("..", "testdata", "sessions"), "./core", files)
}
