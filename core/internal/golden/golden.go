package golden

import (
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var rewrite = flag.Bool("rewrite", false, "regenerate the golden transcripts in testdata/sessions")

// Stepper is a session value: Step returns the next value and the effects.
type Stepper[S any, I any, E any] interface {
	Step(I) (S, []E)
}

// Transcript steps s through inputs and prints the header about (each
// line after "# "), then for every input a blank line, the input, a
// "----" line and the effects it produced, one a line, with the given
// canonical formatters.
func Transcript[S Stepper[S, I, E], I any, E any](about string, s S, inputs []I, input func(I) string, effect func(E) string) string {
	var b strings.Builder
	for _, line := range strings.Split(about, "\n") {
		b.WriteString("# " + line + "\n")
	}
	for _, in := range inputs {
		var fx []E
		s, fx = s.Step(in)
		b.WriteString("\n" + input(in) + "\n----\n")
		for _, e := range fx {
			b.WriteString(effect(e) + "\n")
		}
	}
	return b.String()
}

// File is one golden transcript: its file name without .txt, and how to
// print what it must hold.
type File struct {
	Name  string
	Print func() string
}

// Dir is the folder of transcripts. The harness reads and writes through
// it rather than through package os, so that nothing under core/ does I/O
// itself; each test hands in a folder of its testdata (see the package
// example).
type Dir interface {
	// ReadFile returns the content of the named file.
	ReadFile(name string) ([]byte, error)
	// WriteFile replaces the content of the named file.
	WriteFile(name string, data []byte) error
	// Names lists the names of the files in the folder.
	Names() ([]string, error)
	// String is the folder's path, for messages.
	String() string
}

// Check compares each file's print with <Name>.txt in dir, in a subtest of
// its own, or writes the prints there when the test runs with -rewrite. It
// fails on two files of one name and, unless rewriting, on a .txt in dir
// that no file names: a transcript without a scenario is stale. pkg is the
// package path given in the hint to rewrite, such as "./core".
func Check(t *testing.T, dir Dir, pkg string, files []File) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] {
			t.Fatalf("two scenarios named %s", f.Name)
		}
		seen[f.Name] = true
		t.Run(f.Name, func(t *testing.T) {
			name := f.Name + ".txt"
			got := f.Print()
			if *rewrite {
				if err := dir.WriteFile(name, []byte(got)); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := dir.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (run go test %s -rewrite to create it)", err, pkg)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s/%s drifted (-file +now); run go test %s -rewrite if intended:\n%s", dir, name, pkg, diff)
			}
		})
	}
	if *rewrite {
		return
	}
	names, err := dir.Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if name, ok := strings.CutSuffix(n, ".txt"); ok && !seen[name] {
			t.Errorf("%s/%s has no scenario", dir, n)
		}
	}
}
