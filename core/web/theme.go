package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// Overlay returns a file system that serves files from dir when they exist
// there and from base otherwise; dir "" means base alone.
func Overlay(base fs.FS, dir string) fs.FS {
	if dir == "" {
		return base
	}
	return overlay{top: os.DirFS(dir), base: base}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

// ReadDir lists the union of both folders (names in top win).
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, f := range []fs.FS{o.top, o.base} {
		entries, err := fs.ReadDir(f, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// Assets serves the theme's static/ folder under content-hashed names, so
// every asset can be cached forever and a new version gets a new URL.
type Assets struct {
	prefix string           // URL path prefix, such as /assets
	byName map[string]asset // "portal.css" → hashed
	byURL  map[string]asset // "portal.3f2a1b9c.css" → content
}

type asset struct {
	hashed string
	body   []byte
	ctype  string
}

// NewAssets reads every file of theme's static/ folder.
func NewAssets(theme fs.FS, prefix string) (*Assets, error) {
	a := &Assets{prefix: prefix, byName: map[string]asset{}, byURL: map[string]asset{}}
	err := fs.WalkDir(theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		x := asset{hashed: hashed, body: body, ctype: ct}
		a.byName[name], a.byURL[hashed] = x, x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: read assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of a static file, or panics in templates when
// the file does not exist (a theme bug caught on first render).
func (a *Assets) URL(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no asset %q in the theme", name)
	}
	return a.prefix + "/" + x.hashed, nil
}

// Body returns a static file's content by name, for budgets and inlining.
func (a *Assets) Body(name string) []byte { return a.byName[name].body }

// Handler serves hashed assets with long-lived caching.
func (a *Assets) Handler(c *gin.Context) {
	x, ok := a.byURL[strings.TrimPrefix(c.Param("file"), "/")]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, x.ctype, x.body)
}

// Renderer renders a surface's pages inside that surface's layout.
// Templates live in templates/<surface>/: files starting with "_" are the
// layout and partials shared by the surface's pages, others are pages;
// templates/shared/_*.html are available to every surface.
type Renderer struct {
	mu    sync.RWMutex
	pages map[string]*template.Template // "portal/ticket_list" → set
}

// NewRenderer parses every page of the given surfaces now, so a broken
// theme fails at start rather than on a customer's click. Each edge renders
// only its own surfaces, with its own template functions, and never depends
// on another surface's templates (or an admin's overrides of them).
func NewRenderer(theme fs.FS, funcs template.FuncMap, surfaces ...string) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, s := range surfaces {
		if s == "shared" {
			return nil, fmt.Errorf("web: shared holds partials, not a surface")
		}
		if _, err := fs.ReadDir(theme, "templates/"+s); err != nil {
			return nil, fmt.Errorf("web: read templates of %s: %w", s, err)
		}
		if err := r.parseSurface(theme, s, funcs); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *Renderer) parseSurface(theme fs.FS, surface string, funcs template.FuncMap) error {
	shared, _ := fs.Glob(theme, "templates/shared/_*.html")
	own, _ := fs.Glob(theme, "templates/"+surface+"/_*.html")
	base := template.New(surface).Funcs(funcs)
	for _, f := range append(shared, own...) {
		if err := parseFile(base, theme, f); err != nil {
			return err
		}
	}
	files, _ := fs.Glob(theme, "templates/"+surface+"/*.html")
	for _, f := range files {
		name := path.Base(f)
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := base.Clone()
		if err == nil {
			err = parseFile(t, theme, f)
		}
		if err != nil {
			return fmt.Errorf("web: template %s: %w", f, err)
		}
		r.pages[surface+"/"+strings.TrimSuffix(name, ".html")] = t
	}
	return nil
}

func parseFile(t *template.Template, theme fs.FS, name string) error {
	b, err := fs.ReadFile(theme, name)
	if err != nil {
		return err
	}
	_, err = t.New(name).Parse(string(b))
	return err
}

// Has reports whether a page exists.
func (r *Renderer) Has(page string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.pages[page] != nil
}

// Render writes page (such as "portal/ticket_list") executed from its
// "layout" template with data. Output is buffered so a template error yields
// a clean 500 instead of half a page.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	r.mu.RLock()
	t := r.pages[page]
	r.mu.RUnlock()
	if t == nil {
		return fmt.Errorf("web: no page %q", page)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

// HTML renders page to the response with status.
func (r *Renderer) HTML(c *gin.Context, status int, page string, data any) error {
	var buf strings.Builder
	if err := r.Render(&buf, page, data); err != nil {
		return err
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	_, err := io.WriteString(c.Writer, buf.String())
	return err
}
