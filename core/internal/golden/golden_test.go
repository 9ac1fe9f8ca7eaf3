package golden_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gortmp/rtmp/core/internal/golden"
)

// counter is a toy session: it adds each input and echoes the sum.
type counter struct{ sum int }

func (c counter) Step(n int) (counter, []string) {
	c.sum += n
	if n == 0 {
		return c, nil
	}
	return c, []string{"sum " + strconv.Itoa(c.sum)}
}

func TestTranscriptFormat(t *testing.T) {
	got := golden.Transcript("adds up\ntwo lines", counter{}, []int{2, 0, 3}, strconv.Itoa, func(s string) string { return s })
	want := "# adds up\n# two lines\n\n2\n----\nsum 2\n\n0\n----\n\n3\n----\nsum 5\n"
	if got != want {
		t.Errorf("transcript:\n%q\nwant\n%q", got, want)
	}
}

func TestCheckMatchesFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, osDir(dir), "./x", []golden.File{{Name: "a", Print: func() string { return "A\n" }}})
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
