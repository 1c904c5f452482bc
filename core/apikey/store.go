package apikey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

// row mirrors api_keys with scopes as stored text (space separated).
type row struct {
	ID            int64      `bun:"id,pk,autoincrement"`
	Name          string     `bun:"name"`
	Prefix        string     `bun:"prefix"`
	Hash          string     `bun:"hash"`
	Scopes        string     `bun:"scopes"`
	CreatedAt     time.Time  `bun:"created_at"`
	LastUsedAt    *time.Time `bun:"last_used_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	bun.BaseModel `bun:"table:api_keys"`
}

func (r *row) key() *Key {
	k := &Key{ID: r.ID, Name: r.Name, Prefix: r.Prefix, Hash: r.Hash, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
	for _, s := range strings.Fields(r.Scopes) {
		k.Scopes = append(k.Scopes, Scope(s))
	}
	return k
}

func insert(ctx context.Context, idb bun.IDB, k *Key) error {
	scopes := make([]string, len(k.Scopes))
	for i, s := range k.Scopes {
		scopes[i] = string(s)
	}
	r := &row{Name: k.Name, Prefix: k.Prefix, Hash: k.Hash, Scopes: strings.Join(scopes, " "), CreatedAt: k.CreatedAt}
	if _, err := idb.NewInsert().Model(r).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("apikey: create: %w", err)
	}
	k.ID = r.ID
	return nil
}

func byPrefix(ctx context.Context, idb bun.IDB, prefix string) (*Key, error) {
	r := new(row)
	err := idb.NewSelect().Model(r).Where("prefix = ?", prefix).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such API key")
	}
	if err != nil {
		return nil, fmt.Errorf("apikey: lookup: %w", err)
	}
	return r.key(), nil
}

// touch records use at most once a minute per key, so a busy integration does
// not turn every read into a write.
func touch(ctx context.Context, idb bun.IDB, k *Key) error {
	now := time.Now().UTC()
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < time.Minute {
		return nil
	}
	k.LastUsedAt = &now
	_, err := idb.NewRaw("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, k.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("apikey: record use: %w", err)
	}
	return nil
}

func list(ctx context.Context, idb bun.IDB) ([]Key, error) {
	var rows []row
	if err := idb.NewSelect().Model(&rows).Order("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("apikey: list: %w", err)
	}
	out := make([]Key, len(rows))
	for i := range rows {
		out[i] = *rows[i].key()
	}
	return out, nil
}

func revoke(ctx context.Context, idb bun.IDB, id int64) error {
	res, err := idb.NewRaw("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", time.Now().UTC(), id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("apikey: revoke: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "no such active API key")
	}
	return nil
}
