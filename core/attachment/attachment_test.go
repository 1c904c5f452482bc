package attachment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestPutPolicy(t *testing.T) {
	off := settings.DefaultHelpdesk()
	off.AttachmentsEnabled = false
	small := settings.DefaultHelpdesk()
	small.MaxAttachmentMB = 1
	cases := []struct {
		name    string
		policy  settings.Helpdesk
		file    string
		content []byte
		kind    errs.Kind
		ctype   string
	}{
		{"png", settings.DefaultHelpdesk(), "capture.PNG", png1x1, "", "image/png"},
		{"text log", settings.DefaultHelpdesk(), "app.log", []byte("2026-11-21 error\n"), "", "text/plain"},
		{"turned off", off, "a.txt", []byte("x"), errs.Forbidden, ""},
		{"extension not allowed", settings.DefaultHelpdesk(), "run.exe", []byte("MZ"), errs.Invalid, ""},
		{"no extension", settings.DefaultHelpdesk(), "README", []byte("x"), errs.Invalid, ""},
		{"html named txt", settings.DefaultHelpdesk(), "a.txt", []byte("<html><body onload=x()>"), errs.Invalid, ""},
		{"script named png", settings.DefaultHelpdesk(), "a.png", []byte("<script>alert(1)</script>"), errs.Invalid, ""},
		{"text named png", settings.DefaultHelpdesk(), "a.png", []byte("just text"), errs.Invalid, ""},
		{"over 1 MB", small, "a.log", bytes.Repeat([]byte("a"), 1<<20+1), errs.TooLarge, ""},
		{"exactly 1 MB", small, "a.log", bytes.Repeat([]byte("a"), 1<<20), "", "text/plain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := NewStore(dir)
			b, err := s.Put(context.Background(), bytes.NewReader(tc.content), tc.file, tc.policy)
			if errs.KindOf(err) != tc.kind {
				t.Fatalf("err = %v, want kind %q", err, tc.kind)
			}
			files := 0
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					files++
				}
				return nil
			})
			if tc.kind != "" {
				if files != 0 {
					t.Errorf("refused upload left %d files behind", files)
				}
				return
			}
			if b.ContentType != tc.ctype || b.Size != int64(len(tc.content)) || len(b.SHA256) != 64 || files != 1 {
				t.Errorf("blob %+v, files %d", b, files)
			}
			if strings.Contains(s.path(b.SHA256), tc.file) {
				t.Error("storage path derives from the file name")
			}
		})
	}
}

func TestSameContentStoredOnce(t *testing.T) {
	s := NewStore(t.TempDir())
	a, err := s.Put(context.Background(), bytes.NewReader(png1x1), "a.png", settings.DefaultHelpdesk())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(context.Background(), bytes.NewReader(png1x1), "b.png", settings.DefaultHelpdesk())
	if err != nil || a.SHA256 != b.SHA256 {
		t.Fatalf("%v %v %v", a, b, err)
	}
	if _, err := s.Open("../../etc/passwd"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Open with a path: %v", err)
	}
}

func TestNormalizeFilename(t *testing.T) {
	cases := []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`C:\Users\ana\rapport.pdf`, "rapport.pdf"},
		{"facture\u202Efdp.exe", "facturefdp.exe"},
		{"a\r\nContent-Type: x.txt", "aContent-Type x.txt"},
		{"...", "file"},
		{".htaccess", "htaccess"},
		{"", "file"},
		{`"quoted".txt`, "quoted.txt"},
	}
	for _, tc := range cases {
		if got := NormalizeFilename(tc.in); got != tc.want {
			t.Errorf("NormalizeFilename(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := NormalizeFilename(strings.Repeat("é", 300) + ".pdf")
	if utf8.RuneCountInString(long) != 120 || !strings.HasSuffix(long, ".pdf") {
		t.Errorf("long name = %d runes %q", utf8.RuneCountInString(long), long[len(long)-8:])
	}
}

func FuzzNormalizeFilename(f *testing.F) {
	f.Add("../a.txt")
	f.Add("\u202e\x00x")
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeFilename(s)
		if got == "" || strings.ContainsAny(got, "/\\\r\n\x00\"") || strings.HasPrefix(got, ".") || utf8.RuneCountInString(got) > 120 {
			t.Fatalf("NormalizeFilename(%q) = %q", s, got)
		}
	})
}
