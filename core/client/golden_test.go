package client_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/internal/golden"
)

// scenario is one golden transcript: a session stepped through inputs.
type scenario struct {
	name   string // file name without .txt
	about  string // what it shows, printed as the header
	config client.Config
	inputs []client.Input
}

// TestGoldenTranscripts compares every scenario with its file in
// testdata/sessions; go test ./core/client -rewrite regenerates them.
func TestGoldenTranscripts(t *testing.T) {
	var files []golden.File
	for _, sc := range append(scenarios(), amf3Scenarios()...) {
		files = append(files, golden.File{Name: sc.name, Print: func() string {
			return golden.Transcript(sc.about, client.New(sc.config), sc.inputs, client.DescribeInput, client.DescribeEffect)
		}})
	}
	golden.Check(t, osDir(filepath.Join("testdata", "sessions")), "./core/client", files)
}

// osDir is a folder of transcripts on disk, for golden.Check.
type osDir string

func (d osDir) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d), name))
}
func (d osDir) WriteFile(name string, b []byte) error {
	return os.WriteFile(filepath.Join(string(d), name), b, 0o644)
}
func (d osDir) Names() ([]string, error) {
	es, err := os.ReadDir(string(d))
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names, err
}
func (d osDir) String() string { return string(d) }
