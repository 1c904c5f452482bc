package pluginhost

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/dbtest"
)

func TestCoreSatisfies(t *testing.T) {
	cases := []struct {
		name, version, constraint string
		want                      bool
	}{
		{"at least, equal", "0.1.0", ">=0.1.0", true},
		{"at least, below", "0.0.9", ">=0.1.0", false},
		{"range", "v0.3.2", ">=0.2.0, <0.4.0", true},
		{"range above", "0.4.0", ">=0.2.0, <0.4.0", false},
		{"caret on 0.x keeps the minor", "0.3.0", "^0.2.0", false},
		{"caret on 1.x keeps the major", "1.9.0", "^1.2.0", true},
		{"tilde", "1.2.9", "~1.2.0", true},
		{"development build", "dev", ">=9.0.0", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := coreSatisfies(tc.version, tc.constraint); got != tc.want {
				t.Errorf("coreSatisfies(%s, %s) = %v", tc.version, tc.constraint, got)
			}
		})
	}
}

func TestDiscoverReportsProblems(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/rogue/plugin.yaml")
	dbtest.Must(t, err)
	write := func(id, manifest string, exec bool) {
		dbtest.Must(t, os.MkdirAll(filepath.Join(dir, id), 0o755))
		dbtest.Must(t, os.WriteFile(filepath.Join(dir, id, "plugin.yaml"), []byte(manifest), 0o644))
		if exec {
			dbtest.Must(t, os.WriteFile(filepath.Join(dir, id, id), []byte("#!/bin/sh\n"), 0o755))
		}
	}
	write("rogue", string(good), true)
	write("nobin", strings.Replace(string(good), "id: rogue", "id: nobin", 1), false)
	write("other", string(good), true)
	write("broken", "id: [", true)
	write("future", strings.Replace(strings.Replace(string(good), "id: rogue", "id: future", 1), ">=0.1.0", ">=9.0.0", 1), true)
	found, err := Discover(dir, "0.2.0")
	dbtest.Must(t, err)
	want := map[string]string{"rogue": "", "nobin": "no binary", "other": `says id "rogue"`, "broken": "invalid plugin.yaml", "future": "needs core >=9.0.0"}
	if len(found) != len(want) {
		t.Fatalf("found %d plugins, want %d", len(found), len(want))
	}
	for _, f := range found {
		if w := want[f.ID]; (w == "") != (f.Problem == "") || !strings.Contains(f.Problem, w) {
			t.Errorf("%s: problem %q, want %q", f.ID, f.Problem, w)
		}
	}
}

func TestLoadSecretKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadSecretKey("", dir)
	dbtest.Must(t, err)
	k2, err := LoadSecretKey("", dir)
	dbtest.Must(t, err)
	if len(k1) != 32 || !bytes.Equal(k1, k2) {
		t.Fatalf("key file not reused: %x vs %x", k1, k2)
	}
	if st, _ := os.Stat(filepath.Join(dir, SecretKeyFile)); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v", st)
	}
	env := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	k3, err := LoadSecretKey(env, dir)
	dbtest.Must(t, err)
	if !bytes.Equal(k3, bytes.Repeat([]byte{7}, 32)) {
		t.Errorf("GUICHET_SECRET_KEY ignored")
	}
	if _, err := LoadSecretKey("c2hvcnQ=", dir); err == nil {
		t.Errorf("a 5-byte key was accepted")
	}
	s, _ := newSealer(k1)
	sealed := s.seal("erplookup", "api_key", "v")
	if _, err := s.open("other", "api_key", sealed); err == nil {
		t.Errorf("a secret moved to another plugin decrypted")
	}
}
