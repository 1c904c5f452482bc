// Package themes embeds the default theme (all:, so the layouts and partials
// whose names start with "_" are included): templates under
// default/templates/<surface>/ and static files under default/static/. An
// admin may override any file by pointing GUICHET_THEME_DIR at a folder with
// the same layout; core/web merges the two.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default returns the default theme's root (holding templates/ and static/).
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	return sub
}
