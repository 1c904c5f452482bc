package pluginhost

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

// record is a row of plugins: what the admin decided about one plugin.
type record struct {
	ID               string     `bun:"id,pk"`
	Enabled          bool       `bun:"enabled"`
	SHA256           string     `bun:"sha256"`
	Version          string     `bun:"version"`
	Granted          string     `bun:"granted"`
	QuarantinedAt    *time.Time `bun:"quarantined_at"`
	QuarantineReason string     `bun:"quarantine_reason"`
	UpdatedAt        time.Time  `bun:"updated_at"`
	bun.BaseModel    `bun:"table:plugins"`
}

func (r *record) granted() []string {
	if r.Granted == "" {
		return nil
	}
	return strings.Split(r.Granted, ",")
}

func getRecord(ctx context.Context, idb bun.IDB, id string) (*record, error) {
	r := &record{}
	err := idb.NewSelect().Model(r).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "plugin %s was never enabled", id)
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: read plugin %s: %w", id, err)
	}
	return r, nil
}

func listRecords(ctx context.Context, idb bun.IDB) (map[string]*record, error) {
	var rows []*record
	if err := idb.NewSelect().Model(&rows).Scan(ctx); err != nil {
		return nil, fmt.Errorf("pluginhost: list plugins: %w", err)
	}
	out := make(map[string]*record, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// ensureRecord creates a disabled row so settings can be saved before the
// plugin is ever enabled.
func ensureRecord(ctx context.Context, idb bun.IDB, id string) error {
	_, err := idb.NewRaw(`INSERT INTO plugins (id, enabled, updated_at) VALUES (?, FALSE, ?) ON CONFLICT (id) DO NOTHING`,
		id, time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: create plugin %s: %w", id, err)
	}
	return nil
}

func saveEnabled(ctx context.Context, idb bun.IDB, id, sum, version string, granted []string) error {
	_, err := idb.NewRaw(`INSERT INTO plugins (id, enabled, sha256, version, granted, updated_at) VALUES (?, TRUE, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET enabled = TRUE, sha256 = excluded.sha256, version = excluded.version,
		granted = excluded.granted, quarantined_at = NULL, quarantine_reason = '', updated_at = excluded.updated_at`,
		id, sum, version, strings.Join(granted, ","), time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: enable %s: %w", id, err)
	}
	return nil
}

func saveDisabled(ctx context.Context, idb bun.IDB, id string) error {
	res, err := idb.NewRaw(`UPDATE plugins SET enabled = FALSE, updated_at = ? WHERE id = ?`, time.Now().UTC(), id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: disable %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "plugin %s was never enabled", id)
	}
	return nil
}

func saveQuarantine(ctx context.Context, idb bun.IDB, id, reason string) error {
	now := time.Now().UTC()
	_, err := idb.NewRaw(`UPDATE plugins SET quarantined_at = ?, quarantine_reason = ?, updated_at = ? WHERE id = ?`,
		now, reason, now, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: quarantine %s: %w", id, err)
	}
	return nil
}

// Settings revision statuses.
const (
	revPending  = "pending"
	revAccepted = "accepted"
	revRejected = "rejected"
)

// revision is a row of plugin_settings. Plain holds the JSON of non-secret
// values; Secrets the JSON of field name to sealed value.
type revision struct {
	PluginID      string    `bun:"plugin_id,pk"`
	Revision      int64     `bun:"revision,pk"`
	Plain         string    `bun:"plain"`
	Secrets       string    `bun:"secrets"`
	Status        string    `bun:"status"`
	CreatedAt     time.Time `bun:"created_at"`
	bun.BaseModel `bun:"table:plugin_settings"`
}

// latestRevision returns the newest revision, or nil when none was saved.
func latestRevision(ctx context.Context, idb bun.IDB, id string, status string) (*revision, error) {
	r := &revision{}
	q := idb.NewSelect().Model(r).Where("plugin_id = ?", id).Order("revision DESC").Limit(1)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: read settings of %s: %w", id, err)
	}
	return r, nil
}

func nextRevision(ctx context.Context, idb bun.IDB, id string) (int64, error) {
	var n sql.NullInt64
	err := idb.NewRaw(`SELECT MAX(revision) FROM plugin_settings WHERE plugin_id = ?`, id).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("pluginhost: next revision of %s: %w", id, err)
	}
	return n.Int64 + 1, nil
}

func insertRevision(ctx context.Context, idb bun.IDB, r *revision) error {
	r.CreatedAt = time.Now().UTC()
	if _, err := idb.NewInsert().Model(r).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err, "") {
			return errs.E(errs.Conflict, "settings of %s were saved by someone else at the same time; reload and try again", r.PluginID)
		}
		return fmt.Errorf("pluginhost: save settings of %s: %w", r.PluginID, err)
	}
	return nil
}

func setRevisionStatus(ctx context.Context, idb bun.IDB, id string, rev int64, status string) error {
	_, err := idb.NewRaw(`UPDATE plugin_settings SET status = ? WHERE plugin_id = ? AND revision = ?`, status, id, rev).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: mark settings %s/%d %s: %w", id, rev, status, err)
	}
	return nil
}

func storageGet(ctx context.Context, idb bun.IDB, id, key string) ([]byte, bool, error) {
	var v []byte
	err := idb.NewRaw(`SELECT value FROM plugin_storage WHERE plugin_id = ? AND key = ?`, id, key).Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("pluginhost: storage get: %w", err)
	}
	return v, true, nil
}

func storageSet(ctx context.Context, idb bun.IDB, id, key string, value []byte) error {
	var err error
	if len(value) == 0 {
		_, err = idb.NewRaw(`DELETE FROM plugin_storage WHERE plugin_id = ? AND key = ?`, id, key).Exec(ctx)
	} else {
		_, err = idb.NewRaw(`INSERT INTO plugin_storage (plugin_id, key, value, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (plugin_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			id, key, value, time.Now().UTC()).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("pluginhost: storage set: %w", err)
	}
	return nil
}

// cacheRow is a row of customer_cache; Data is the protojson of the
// plugin's LookupCustomerResponse.
type cacheRow struct {
	Email         string    `bun:"email,pk"`
	PluginID      string    `bun:"plugin_id"`
	Data          string    `bun:"data"`
	FetchedAt     time.Time `bun:"fetched_at"`
	bun.BaseModel `bun:"table:customer_cache"`
}

func cacheGet(ctx context.Context, idb bun.IDB, email string) (*cacheRow, error) {
	r := &cacheRow{}
	err := idb.NewSelect().Model(r).Where("email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: read customer cache: %w", err)
	}
	return r, nil
}

func cachePut(ctx context.Context, idb bun.IDB, r *cacheRow) error {
	_, err := idb.NewRaw(`INSERT INTO customer_cache (email, plugin_id, data, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (email) DO UPDATE SET plugin_id = excluded.plugin_id, data = excluded.data, fetched_at = excluded.fetched_at`,
		r.Email, r.PluginID, r.Data, r.FetchedAt).Exec(ctx)
	if err != nil {
		return fmt.Errorf("pluginhost: write customer cache: %w", err)
	}
	return nil
}

func cacheDelete(ctx context.Context, idb bun.IDB, email string) error {
	if _, err := idb.NewRaw(`DELETE FROM customer_cache WHERE email = ?`, email).Exec(ctx); err != nil {
		return fmt.Errorf("pluginhost: delete customer cache: %w", err)
	}
	return nil
}
