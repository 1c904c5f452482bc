package attachment

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/guichet/guichet/core/errs"
)

// NormalizeFilename makes a display name safe: no directories, control or
// bidirectional-override characters, no leading dots, at most 120 characters
// with the extension kept.
func NormalizeFilename(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r),
			r == '\u200b', r == '\ufeff', r == '"', r == '/', r == ':', r == '*', r == '?', r == '<', r == '>', r == '|':
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ". ")
	if name == "" {
		return "file"
	}
	if utf8.RuneCountInString(name) > 120 {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 11 {
			ext = ""
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = string(runes[:120-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

func extension(name string) string { return strings.ToLower(strings.TrimPrefix(path.Ext(name), ".")) }

// dangerous types are refused whatever the extension claims: they run or
// render active content if a browser ever opened them.
var dangerous = []string{"text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript",
	"application/javascript", "application/x-msdownload", "application/x-executable", "application/x-elf",
	"application/x-mach-binary", "application/x-sh", "application/x-shockwave-flash", "application/java-archive"}

// expected lists, per extension, the sniffed types (or their ancestors) the
// content must have. Extensions absent here only pass the dangerous check.
var expected = map[string][]string{
	"jpg": {"image/jpeg"}, "jpeg": {"image/jpeg"}, "png": {"image/png"}, "gif": {"image/gif"},
	"webp": {"image/webp"}, "pdf": {"application/pdf"},
	"txt": {"text/plain"}, "log": {"text/plain"}, "csv": {"text/plain"}, "md": {"text/plain"},
	"doc":  {"application/msword", "application/x-ole-storage"},
	"xls":  {"application/vnd.ms-excel", "application/x-ole-storage"},
	"docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
	"odt":  {"application/vnd.oasis.opendocument.text", "application/zip"},
	"ods":  {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
	"zip":  {"application/zip"},
}

func checkContent(name, ext string, mt *mimetype.MIME) error {
	for m := mt; m != nil; m = m.Parent() {
		for _, d := range dangerous {
			if m.Is(d) {
				return errs.Fields("file content not allowed", map[string]string{
					"file": fmt.Sprintf("%q contains %s, which is never accepted", name, d)})
			}
		}
	}
	want, ok := expected[ext]
	if !ok {
		return nil
	}
	for m := mt; m != nil; m = m.Parent() {
		for _, w := range want {
			if m.Is(w) {
				return nil
			}
		}
	}
	return errs.Fields("file content does not match its extension", map[string]string{
		"file": fmt.Sprintf("%q is named .%s but contains %s", name, ext, mt.String())})
}
