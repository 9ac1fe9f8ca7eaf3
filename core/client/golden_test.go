package client_test

import (
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
	for _, sc := range scenarios() {
		files = append(files, golden.File{Name: sc.name, Print: func() string {
			return golden.Transcript(sc.about, client.New(sc.config), sc.inputs, client.DescribeInput, client.DescribeEffect)
		}})
	}
	golden.Check(t, filepath.Join("testdata", "sessions"), "./core/client", files)
}
