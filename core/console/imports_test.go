package console_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestConsoleNeverTouchesTheDatabase: the console is an edge; it calls
// domain services and never bun or a database driver directly.
func TestConsoleNeverTouchesTheDatabase(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"github.com/uptrace/bun", "database/sql", "github.com/guichet/guichet/core/db", "modernc.org/sqlite", "github.com/jackc/pgx"}
	checked := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), e.Name(), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == bad || strings.HasPrefix(path, bad+"/") {
					t.Errorf("%s imports %s", e.Name(), path)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d files checked; is the test in the right folder?", checked)
	}
}
