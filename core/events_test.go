package core_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core"
)

// TestEventsAreTheStructsOfEventsGo checks that the closed set Event is
// exactly the effects declared in events.go: each of them is an Event, no
// type declared elsewhere in the package is, and the driver's instructions
// are not.
func TestEventsAreTheStructsOfEventsGo(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	effects := map[string][]string{} // file -> receivers of isEffect
	events := map[string][]string{}  // file -> receivers of isEvent
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			id, ok := fn.Recv.List[0].Type.(*ast.Ident)
			if !ok {
				continue
			}
			switch fn.Name.Name {
			case "isEffect":
				effects[name] = append(effects[name], id.Name)
			case "isEvent":
				events[name] = append(events[name], id.Name)
			}
		}
	}
	if len(effects["events.go"]) < 30 {
		t.Fatalf("only %d effects found in events.go: %v", len(effects["events.go"]), effects["events.go"])
	}
	want := map[string][]string{"events.go": sorted(effects["events.go"])}
	got := map[string][]string{}
	for file, names := range events {
		got[file] = sorted(names)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("isEvent receivers by file differ from the effects of events.go (-want +got):\n%s", diff)
	}

	for _, e := range []core.Effect{core.Send{}, core.ChangeChunkSize{}, core.WakeAt{}, core.Disconnect{}, core.OutputCipher{}} {
		if _, ok := e.(core.Event); ok {
			t.Errorf("%T, an instruction for the driver, is an Event", e)
		}
	}
	for _, e := range []core.Effect{core.CallerError{}, core.ConnectionRequested{}, core.AudioVideoDataReceived{}, core.ProtocolViolated{}} {
		if _, ok := e.(core.Event); !ok {
			t.Errorf("%T is not an Event", e)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
