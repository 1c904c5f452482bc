package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the real guichet command once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "guichet")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// guichet runs a CLI command of bin with the data dir and returns stdout.
func guichet(t *testing.T, bin, dataDir, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"GUICHET_DATA_DIR=" + dataDir, "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%w: %s", err, errb.String())
	}
	return out.String(), err
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	addr := freeAddr(t)

	srv := exec.Command(bin, "serve")
	srv.Env = []string{"GUICHET_DATA_DIR=" + data, "GUICHET_ADDR=" + addr, "PATH=" + os.Getenv("PATH")}
	stdout, _ := srv.StdoutPipe()
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill() })
	setupURL := readSetupURL(t, stdout)
	if !strings.HasPrefix(setupURL, "http://"+addr+"/console/setup/") || len(setupURL) < len("http://"+addr+"/console/setup/")+40 {
		t.Errorf("setup URL %q is not a long random one-time link", setupURL)
	}

	key, err := guichet(t, bin, data, "", "apikey", "add", "--name", "e2e")
	if err != nil {
		t.Fatal(err)
	}
	key = strings.TrimSpace(key)
	if !strings.HasPrefix(key, "gch_") {
		t.Fatalf("apikey add printed %q", key)
	}

	base := "http://" + addr + "/api/v1"
	status, body := call(t, "POST", base+"/tickets", key, `{"subject":"Écran noir","body":"Depuis ce matin.","customer_email":"ana@example.com"}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var tk struct{ Number string }
	json.Unmarshal([]byte(body), &tk)
	if status, body = call(t, "GET", base+"/tickets/"+tk.Number, key, ""); status != 200 || !strings.Contains(body, "Depuis ce matin.") {
		t.Errorf("get: %d %s", status, body)
	}
	if status, _ = call(t, "GET", base+"/tickets", "", ""); status != 401 {
		t.Errorf("list without key: %d, want 401", status)
	}

	// A graceful stop on SIGTERM exits 0 well within the drain budget.
	start := time.Now()
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM\n%s", err, stderr.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatalf("serve still running %v after SIGTERM", time.Since(start))
	}
	if !strings.Contains(stderr.String(), "stopped cleanly") {
		t.Errorf("no clean stop in the log:\n%s", stderr.String())
	}
}

func readSetupURL(t *testing.T, r io.Reader) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("serve exited before printing a setup URL")
			}
			if u := strings.TrimSpace(l); strings.Contains(u, "/console/setup/") {
				go func() {
					for range lines {
					}
				}()
				return u
			}
		case <-deadline:
			t.Fatal("no setup URL within 20 s")
		}
	}
}

func call(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAgentAddReadsPasswordFromStdin(t *testing.T) {
	data := t.TempDir()
	var out, errb bytes.Buffer
	env := func(k string) string {
		if k == "GUICHET_DATA_DIR" {
			return data
		}
		return ""
	}
	ctx := context.Background()
	err := run(ctx, []string{"agent", "add", "--email", "Zoe@Help.test", "--name", "Zoé", "--role", "admin"}, env,
		strings.NewReader("correct horse battery\n"), &out, &errb)
	if err != nil || !strings.Contains(out.String(), "zoe@help.test") {
		t.Fatalf("agent add: %v, %q", err, out.String())
	}
	err = run(ctx, []string{"agent", "add", "--email", "x@help.test", "--name", "X", "--password", "short"}, env,
		strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "unknown flag: --password") {
		t.Errorf("a --password flag must not exist: %v", err)
	}
	err = run(ctx, []string{"agent", "add", "--email", "y@help.test", "--name", "Y"}, env, strings.NewReader("short\n"), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--password: at least 10 characters") {
		t.Errorf("short password: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"version"}, env, nil, &out, &errb); err != nil || !strings.HasPrefix(out.String(), "guichet ") {
		t.Errorf("version: %v %q", err, out.String())
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad base url", map[string]string{"GUICHET_BASE_URL": "help.example.com"}, "GUICHET_BASE_URL"},
		{"bad database url", map[string]string{"GUICHET_DATABASE_URL": "mysql://x"}, "unsupported database URL"},
		{"bad proxies", map[string]string{"GUICHET_TRUSTED_PROXIES": "not-an-ip"}, "GUICHET_TRUSTED_PROXIES"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["GUICHET_DATA_DIR"] = t.TempDir()
			tc.env["GUICHET_ADDR"] = "127.0.0.1:0"
			err := run(context.Background(), []string{"serve"}, func(k string) string { return tc.env[k] }, nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
