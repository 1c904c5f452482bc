package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPluginCommands drives `guichet plugin list|enable|disable` through
// run, with the real rogue test plugin in the plugin folder.
func TestPluginCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin")
	}
	data := t.TempDir()
	dir := filepath.Join(data, "plugins", "rogue")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "../../core/pluginhost/testdata/rogue"
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "rogue"), src).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	manifest, err := os.ReadFile(src + "/plugin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plugin.yaml"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GUICHET_DATA_DIR": data}
	cases := []struct {
		name    string
		args    []string
		want    []string
		wantErr string
	}{
		{"list shows a disabled plugin", []string{"plugin", "list"}, []string{"rogue", "0.0.1", "false", "disabled", "customer_directory,anonymizer"}, ""},
		{"enable", []string{"plugin", "enable", "rogue"}, []string{"plugin rogue enabled"}, ""},
		{"list shows it enabled", []string{"plugin", "list"}, []string{"rogue", "true", "stopped"}, ""},
		{"disable", []string{"plugin", "disable", "rogue"}, []string{"plugin rogue disabled"}, ""},
		{"list shows it disabled again", []string{"plugin", "list"}, []string{"false", "disabled"}, ""},
		{"enable an unknown plugin", []string{"plugin", "enable", "nope"}, nil, `no plugin "nope"`},
		{"enable needs an id", []string{"plugin", "enable"}, nil, "accepts 1 arg"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tc.args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v\n%s", err, errb.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	st, err := os.Stat(filepath.Join(data, "secret.key"))
	if err != nil {
		t.Fatalf("no secret key file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret key file mode %v, want 0600", st.Mode().Perm())
	}
}
