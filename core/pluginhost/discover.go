package pluginhost

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/guichet/guichet/sdk"
)

// maxManifestBytes bounds what discovery reads from a plugin.yaml; the SDK
// refuses anything larger anyway.
const maxManifestBytes = 64 << 10

// Found is one folder of the plugin directory: <id>/plugin.yaml and the
// binary <id>/<id>. Problem says why it cannot run (invalid manifest,
// missing binary, incompatible versions); Manifest is nil when the manifest
// could not be read at all.
type Found struct {
	ID       string
	Dir      string
	Binary   string
	Manifest *sdk.Manifest
	Problem  string
}

// Discover lists the plugins in dir, sorted by id. A missing dir holds no
// plugins. coreVersion is checked against each manifest's requires.core;
// a version that is not x.y.z (a development build) satisfies any
// constraint.
func Discover(dir, coreVersion string) ([]Found, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: read plugin folder %s: %w", dir, err)
	}
	var out []Found
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, inspect(filepath.Join(dir, e.Name()), coreVersion))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func inspect(dir, coreVersion string) Found {
	f := Found{ID: filepath.Base(dir), Dir: dir, Binary: filepath.Join(dir, filepath.Base(dir))}
	raw, err := readLimited(filepath.Join(dir, "plugin.yaml"))
	if err != nil {
		f.Problem = "cannot read plugin.yaml: " + err.Error()
		return f
	}
	m, err := sdk.ParseManifest(raw)
	if err != nil {
		f.Problem = "invalid plugin.yaml: " + strings.ReplaceAll(err.Error(), "\n", "; ")
		return f
	}
	f.Manifest = m
	switch st, err := os.Stat(f.Binary); {
	case m.ID != f.ID:
		f.Problem = fmt.Sprintf("plugin.yaml says id %q but the folder is %q", m.ID, f.ID)
	case err != nil:
		f.Problem = fmt.Sprintf("no binary %s beside plugin.yaml", f.ID)
	case !st.Mode().IsRegular() || st.Mode().Perm()&0o100 == 0:
		f.Problem = fmt.Sprintf("%s is not an executable file", f.ID)
	default:
		if ok, why := coreSatisfies(coreVersion, m.Requires.Core); !ok {
			f.Problem = why
		}
	}
	return f
}

func readLimited(path string) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, maxManifestBytes+1))
}

// fileSHA256 returns the hex SHA-256 of the file at path.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// coreSatisfies checks version against a manifest constraint such as
// ">=0.1.0" or "^0.2.0, <0.4.0" (the SDK validated its syntax).
func coreSatisfies(version, constraint string) (bool, string) {
	have, ok := parseSemver(strings.TrimPrefix(version, "v"))
	if !ok {
		return true, "" // development build: nothing to compare
	}
	for _, c := range strings.Split(constraint, ",") {
		c = strings.TrimSpace(c)
		op := strings.TrimRight(c, "0123456789. ")
		want, _ := parseSemver(strings.TrimSpace(strings.TrimPrefix(c, op)))
		if !compareOp(op, have, want) {
			return false, fmt.Sprintf("needs core %s, this is %s", constraint, version)
		}
	}
	return true, ""
}

func compareOp(op string, have, want [3]int) bool {
	cmp := 0
	for i := range 3 {
		if have[i] != want[i] {
			cmp = map[bool]int{true: -1, false: 1}[have[i] < want[i]]
			break
		}
	}
	switch op {
	case ">=":
		return cmp >= 0
	case ">":
		return cmp > 0
	case "<=":
		return cmp <= 0
	case "<":
		return cmp < 0
	case "^": // same major; for 0.x, same minor (semver's caret)
		if want[0] == 0 {
			return cmp >= 0 && have[0] == 0 && have[1] == want[1]
		}
		return cmp >= 0 && have[0] == want[0]
	case "~":
		return cmp >= 0 && have[0] == want[0] && have[1] == want[1]
	default: // "" or "="
		return cmp == 0
	}
}

// parseSemver reads x.y.z, ignoring a pre-release or build suffix.
func parseSemver(s string) ([3]int, bool) {
	var out [3]int
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}
