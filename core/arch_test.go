package core_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports are the ways to reach the world: none belongs in a pure
// state machine.
var forbiddenImports = map[string]bool{
	"net": true, "os": true, "io/fs": true, "math/rand": true, "math/rand/v2": true,
	"crypto/rand": true, "sync": true, "sync/atomic": true, "log": true, "log/slog": true,
	"unsafe": true, "syscall": true, "os/exec": true,
}

// The golden-transcript harness is test support (it registers the
// -rewrite flag and depends on package testing), so only tests import it.
const goldenHarness = "github.com/gortmp/rtmp/core/internal/golden"

// TestArchitecture parses every non-test Go file under core/ and fails on
// an import that does I/O, reads the clock or randomness, synchronises or
// logs; on any use of package time other than the Duration type; and on a
// go statement. Tests may use os to read golden files; the harness they
// share does its file access through them, and no other code imports it.
func TestArchitecture(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		timeName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImports[p] || strings.HasPrefix(p, "net/") || p == goldenHarness {
				t.Errorf("%s imports %s", fset.Position(imp.Pos()), p)
			}
			if p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s starts a goroutine", fset.Position(n.Pos()))
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && timeName != "" && id.Name == timeName && n.Sel.Name != "Duration" {
					t.Errorf("%s uses time.%s; only the time.Duration type is allowed", fset.Position(n.Pos()), n.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("checked only %d files; is the walk rooted at core/?", files)
	}
}
