package guichet_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/guichet/guichet"

// edges may speak HTTP; every other package under core/ is domain or
// infrastructure and must not.
var httpPackages = map[string]bool{
	"core/web": true, "core/api": true, "core/portal": true, "core/console": true,
	"core/server": true, "core/server/servertest": true,
}

// TestImportRules enforces the design's dependency rules on every Go file:
// domain packages never import gin or net/http; sdk/ never imports core/;
// plugins/ import nothing of Guichet but sdk/; edges never import bun.
func TestImportRules(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		dir := filepath.ToSlash(filepath.Dir(path))
		test := strings.HasSuffix(path, "_test.go")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if msg := violation(dir, p, test); msg != "" {
				t.Errorf("%s imports %s: %s", path, p, msg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files; the walk is broken", checked)
	}
}

func violation(dir, imp string, test bool) string {
	internal := strings.HasPrefix(imp, module+"/")
	rel := strings.TrimPrefix(imp, module+"/")
	switch {
	case strings.HasPrefix(dir, "sdk") && internal && !strings.HasPrefix(rel, "sdk"):
		return "sdk/ must not import the core"
	case strings.HasPrefix(dir, "plugins/") && internal && !strings.HasPrefix(rel, "sdk"):
		return "plugins import only sdk/"
	case strings.HasPrefix(dir, "core/") && !httpPackages[dir] && !test &&
		(imp == "net/http" || strings.HasPrefix(imp, "github.com/gin-gonic/")):
		return "domain packages never speak HTTP; return an errs kind and let the edge map it"
	case (dir == "core/api" || dir == "core/portal" || dir == "core/console") && !test &&
		strings.HasPrefix(imp, "github.com/uptrace/bun"):
		return "edges call domain services, never bun"
	}
	return ""
}

func TestViolationRules(t *testing.T) {
	cases := []struct {
		dir, imp string
		bad      bool
	}{
		{"core/ticket", "net/http", true},
		{"core/ticket", "github.com/gin-gonic/gin", true},
		{"core/api", "github.com/gin-gonic/gin", false},
		{"core/api", "github.com/uptrace/bun", true},
		{"sdk/plugintest", module + "/core/errs", true},
		{"plugins/anonymizer", module + "/sdk", false},
		{"plugins/anonymizer", module + "/core/ticket", true},
		{"core/ticket", "github.com/uptrace/bun", false},
	}
	for _, tc := range cases {
		if got := violation(tc.dir, tc.imp, false) != ""; got != tc.bad {
			t.Errorf("violation(%s, %s) = %v, want %v", tc.dir, tc.imp, got, tc.bad)
		}
	}
}
