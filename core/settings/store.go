package settings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

func getRaw(ctx context.Context, db bun.IDB, key string) (string, error) {
	var v string
	err := db.NewSelect().Table("settings").Column("value").Where("key = ?", key).Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("settings: read %s: %w", key, err)
	}
	return v, nil
}

func putRaw(ctx context.Context, db bun.IDB, key, value string) error {
	_, err := db.NewRaw(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("settings: write %s: %w", key, err)
	}
	return nil
}

func putRawIfAbsent(ctx context.Context, db bun.IDB, key, value string) error {
	_, err := db.NewRaw(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, value, time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("settings: write %s: %w", key, err)
	}
	return nil
}
