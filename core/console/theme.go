package console

import (
	"io/fs"
	"strings"
)

// consoleOnly shows the renderer the console's templates and nothing else,
// so the console never parses, nor depends on, other surfaces' templates
// (an admin's portal overrides included).
type consoleOnly struct{ fs.FS }

func (o consoleOnly) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, name)
	if err != nil {
		return nil, err
	}
	switch {
	case name == "templates":
		var out []fs.DirEntry
		for _, e := range entries {
			if e.Name() == "console" {
				out = append(out, e)
			}
		}
		return out, nil
	case strings.HasPrefix(name, "templates/") && !strings.HasPrefix(name, "templates/console"):
		return nil, nil
	}
	return entries, nil
}
