package db

import (
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgconnConfig parses a PostgreSQL URL. Parameters such as search_path in the
// URL's query become session settings, which the tests use to give each test
// its own schema.
func pgconnConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse postgres URL %s: %w", redact(url), err)
	}
	return cfg, nil
}
