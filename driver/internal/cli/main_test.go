package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// parseCount is a small command's flag parsing: one -n flag.
func parseCount(args []string, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("count", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1, "how many")
	err := fs.Parse(args)
	return *n, err
}

func TestExecuteStatuses(t *testing.T) {
	errRun := errors.New("run failed")
	cases := []struct {
		name    string
		args    []string
		runErr  error
		want    int
		wantErr string // what standard error must contain
	}{
		{"ok", []string{"-n", "3"}, nil, StatusOK, ""},
		{"help", []string{"-help"}, nil, StatusOK, "Usage"},
		{"bad flag", []string{"-nope"}, nil, StatusBadFlags, "count: flag provided but not defined"},
		{"run fails", nil, errRun, StatusFailed, "count: run failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr strings.Builder
			ran := -1
			run := func(_ context.Context, n int) error { ran = n; return c.runErr }
			got := execute(context.Background(), "count", c.args, &stderr, parseCount, run)
			if got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
			if !strings.Contains(stderr.String(), c.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), c.wantErr)
			}
			if c.wantErr == "" && stderr.Len() != 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			if wantRun := c.want != StatusBadFlags && c.name != "help"; (ran >= 0) != wantRun {
				t.Errorf("run called: %v, want %v", ran >= 0, wantRun)
			}
		})
	}
}
