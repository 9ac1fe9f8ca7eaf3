package core_test

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is this module's path; packages under it are found in the tree.
const module = "github.com/gortmp/rtmp"

// pureRoots are the folders whose packages, and every package of this
// module they depend on, must be pure.
var pureRoots = []string{"core", "codec"}

// forbiddenImports are the ways to reach the world: none belongs in a pure
// state machine or codec. Package time is allowed for its Duration type
// alone (see TestPurity), and package io for its interfaces: a codec may
// read an FLV file from an io.Reader it is handed (codec/flv), which does
// only what the caller's reader does and cannot open a file or a socket.
var forbiddenImports = map[string]bool{
	"net": true, "os": true, "io/fs": true, "io/ioutil": true,
	"syscall": true, "math/rand": true, "math/rand/v2": true, "crypto/rand": true,
	"sync": true, "sync/atomic": true, "log": true, "log/slog": true, "unsafe": true,
	"runtime": true,
}

// seededRandom is what a pure package may use of math/rand/v2: generators
// seeded by the caller, which expand random bytes given as input the same
// way every time. The package's top-level functions draw from a source
// seeded by the runtime and are forbidden.
var seededRandom = map[string]bool{"ChaCha8": true, "NewChaCha8": true, "PCG": true, "NewPCG": true, "New": true, "Rand": true, "Source": true}

// testOnly are packages of this module that are test support: only tests
// may import them.
var testOnly = map[string]bool{module + "/core/internal/golden": true}

// TestPurity checks every non-test Go file of every package under core/
// and codec/, and of every package of this module that one of them imports,
// directly or not: the package must lie under core/ or codec/, and no file
// may import something that does I/O, synchronises, logs, draws random
// numbers or reads the clock (package time is allowed for time.Duration
// only), nor start a goroutine. It replaces a check of core/ alone and
// another of core/serverconn with other rules.
func TestPurity(t *testing.T) {
	root := moduleRoot(t)
	var queue []string
	for _, r := range pureRoots {
		queue = append(queue, packagesUnder(t, root, r)...)
	}
	seen := map[string]bool{}
	files := 0
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		if !underPureRoot(rel) {
			t.Errorf("%s is a dependency of core/ or codec/ but lies outside them", pkg)
		}
		for _, f := range sourceFiles(t, filepath.Join(root, rel)) {
			files++
			for _, imp := range checkFile(t, root, f) {
				if strings.HasPrefix(imp, module+"/") {
					queue = append(queue, imp)
				}
			}
		}
	}
	if files < 100 {
		t.Fatalf("checked only %d files in %d packages; is the module root right?", files, len(seen))
	}
}

// checkFile reports the file's violations and returns its imports.
func checkFile(t *testing.T, root, name string) []string {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	shown, _ := filepath.Rel(root, name)
	f, err := parser.ParseFile(fset, shown, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	timeName, randName := "", ""
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		imports = append(imports, p)
		if p == "math/rand/v2" {
			randName = importName(imp, "rand")
			continue
		}
		if forbiddenImports[p] || strings.HasPrefix(p, "net/") || strings.HasPrefix(p, "os/") || testOnly[p] {
			t.Errorf("%s imports %s", fset.Position(imp.Pos()), p)
		}
		if p == "time" {
			timeName = importName(imp, "time")
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			t.Errorf("%s starts a goroutine", fset.Position(n.Pos()))
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			switch {
			case !ok:
			case timeName != "" && id.Name == timeName && n.Sel.Name != "Duration":
				t.Errorf("%s uses time.%s; only the time.Duration type is allowed", fset.Position(n.Pos()), n.Sel.Name)
			case randName != "" && id.Name == randName && !seededRandom[n.Sel.Name]:
				t.Errorf("%s uses rand.%s; only generators seeded by the caller are allowed", fset.Position(n.Pos()), n.Sel.Name)
			}
		}
		return true
	})
	return imports
}

// importName is the name a file uses for an import whose package is
// named def.
func importName(imp *ast.ImportSpec, def string) string {
	if imp.Name != nil {
		return imp.Name.Name
	}
	return def
}

// moduleRoot is the folder of go.mod, above this package's.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// packagesUnder lists the import paths of the packages in folder rel of
// the module and below it, test data aside.
func packagesUnder(t *testing.T, root, rel string) []string {
	t.Helper()
	var pkgs []string
	err := filepath.WalkDir(filepath.Join(root, rel), func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if len(sourceFiles(t, p)) > 0 {
			r, _ := filepath.Rel(root, p)
			pkgs = append(pkgs, path.Join(module, filepath.ToSlash(r)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// sourceFiles lists a folder's Go files that build into its package on
// this platform, tests aside.
func sourceFiles(t *testing.T, dir string) []string {
	t.Helper()
	p, err := build.ImportDir(dir, 0)
	if _, none := err.(*build.NoGoError); none {
		return nil
	}
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	var files []string
	for _, f := range slices.Concat(p.GoFiles, p.CgoFiles) {
		files = append(files, filepath.Join(dir, f))
	}
	return files
}

func underPureRoot(rel string) bool {
	for _, r := range pureRoots {
		if rel == r || strings.HasPrefix(rel, r+"/") {
			return true
		}
	}
	return false
}
