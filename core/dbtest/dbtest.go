// Package dbtest runs store tests on every database Guichet supports: SQLite
// always, PostgreSQL when GUICHET_TEST_POSTGRES holds a URL. Each test gets a
// fresh, migrated database (a new file, or a new PostgreSQL schema dropped at
// the end). With CI=true, a configured but unreachable PostgreSQL fails the
// test instead of skipping it. Only tests import this package.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
)

// Dialects lists the dialects this run covers.
func Dialects(tb testing.TB) []string {
	tb.Helper()
	out := []string{"sqlite"}
	if os.Getenv("GUICHET_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("CI") == "true" {
		tb.Fatal("dbtest: CI=true but GUICHET_TEST_POSTGRES is not set; PostgreSQL tests cannot be skipped in CI")
	}
	return out
}

// Run runs fn as one subtest per dialect, each on a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh migrated database of the dialect, closed and removed
// when tb ends.
func Open(tb testing.TB, dialect string) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	var (
		bdb *bun.DB
		err error
	)
	switch dialect {
	case "sqlite":
		dir := tb.TempDir()
		bdb, err = db.Open(ctx, "", dir)
	case "postgres":
		bdb, err = openSchema(tb, os.Getenv("GUICHET_TEST_POSTGRES"))
	default:
		tb.Fatalf("dbtest: unknown dialect %q", dialect)
	}
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { bdb.Close() })
	if _, err := db.Migrate(ctx, bdb); err != nil {
		tb.Fatalf("dbtest: migrate %s: %v", dialect, err)
	}
	return bdb
}

// PostgresURL returns a URL whose connections use a fresh schema, created now
// and dropped when tb ends.
func PostgresURL(tb testing.TB, base string) string {
	tb.Helper()
	ctx := context.Background()
	admin, err := db.Open(ctx, base, "")
	if err != nil {
		tb.Fatalf("dbtest: PostgreSQL at GUICHET_TEST_POSTGRES is unreachable: %v", err)
	}
	defer admin.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("dbtest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := db.Open(context.Background(), base, "")
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("dbtest: parse GUICHET_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openSchema(tb testing.TB, base string) (*bun.DB, error) {
	return db.Open(context.Background(), PostgresURL(tb, base), "")
}

// TempFile returns a path inside a fresh temporary directory.
func TempFile(tb testing.TB, name string) string {
	return filepath.Join(tb.TempDir(), name)
}

// Must fails tb on a non-nil error; fixtures use it.
func Must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(fmt.Errorf("fixture: %w", err))
	}
}
