// Package db opens Guichet's database through bun, on embedded SQLite (the
// default) or PostgreSQL, applies the embedded migrations and runs
// transactions. It owns every dialect difference that is not a single
// domain's business. It must not import any domain or HTTP package.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Open connects to url: a postgres:// or postgresql:// URL selects PostgreSQL;
// an empty url means the SQLite file guichet.db inside dataDir, which is
// created if needed. Open pings the database before returning.
func Open(ctx context.Context, url, dataDir string) (*bun.DB, error) {
	var (
		bdb *bun.DB
		err error
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		bdb, err = openPostgres(url)
	case url == "" || strings.HasPrefix(url, "sqlite:") || strings.HasPrefix(url, "file:"):
		bdb, err = openSQLite(url, dataDir)
	default:
		return nil, fmt.Errorf("db: unsupported database URL scheme in %q (use postgres://… or leave empty for SQLite)", redact(url))
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := bdb.PingContext(pingCtx); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("db: cannot reach %s: %w", redact(url), err)
	}
	return bdb, nil
}

func openPostgres(url string) (*bun.DB, error) {
	cfg, err := pgconnConfig(url)
	if err != nil {
		return nil, err
	}
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// openSQLite uses one connection for everything: SQLite allows one writer
// at a time, and funnelling every statement through a single connection means
// "database is locked" can never reach a user (see docs/decisions).
func openSQLite(url, dataDir string) (*bun.DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "sqlite:")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		if dataDir == "" {
			dataDir = "data"
		}
		path = filepath.Join(dataDir, "guichet.db")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("db: create data directory: %w", err)
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(1)
	sqldb.SetMaxIdleConns(1)
	sqldb.SetConnMaxLifetime(0)
	sqldb.SetConnMaxIdleTime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// Now returns the database's clock in UTC, at the microsecond precision both
// databases keep. Expiries are computed and compared with it, so several
// nodes with drifting clocks agree. SQLite runs inside this process, so its
// clock is the process clock (its own 'now' has only millisecond precision,
// which would make a row written this millisecond look like the future).
func Now(ctx context.Context, db bun.IDB) (time.Time, error) {
	if !IsPostgres(db) {
		return time.Now().UTC().Truncate(time.Microsecond), nil
	}
	var t time.Time
	if err := db.NewRaw("SELECT now()").Scan(ctx, &t); err != nil {
		return time.Time{}, fmt.Errorf("db: now: %w", err)
	}
	return t.UTC(), nil
}

// InTx runs fn in a transaction, rolled back if fn returns an error or panics.
func InTx(ctx context.Context, db *bun.DB, fn func(tx bun.Tx) error) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(tx) })
}

// IsUniqueViolation reports whether err is a unique-constraint violation,
// optionally on a constraint or column whose name contains hint.
func IsUniqueViolation(err error, hint string) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName+pgErr.Detail, hint)
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		code := sqErr.Code()
		return (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) &&
			strings.Contains(sqErr.Error(), hint)
	}
	return false
}

// IsUnavailable reports whether err means the database cannot be reached
// right now (connection refused or reset, server shutting down), as opposed
// to a bad query.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P0x: operator intervention (shutdown).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P0")
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "broken pipe") ||
		strings.Contains(msg, "connection reset") || strings.Contains(msg, "unexpected EOF")
}

// EscapeLike escapes LIKE wildcards in s so it matches literally; queries use
// ESCAPE '\'.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func redact(url string) string {
	if i := strings.Index(url, "@"); i >= 0 {
		if j := strings.Index(url, "://"); j >= 0 && j < i {
			return url[:j+3] + "…@" + url[i+1:]
		}
	}
	return url
}

// DialectName returns "postgres" or "sqlite".
func DialectName(db bun.IDB) string {
	if IsPostgres(db) {
		return "postgres"
	}
	return "sqlite"
}
