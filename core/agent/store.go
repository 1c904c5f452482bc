package agent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

func insert(ctx context.Context, idb bun.IDB, a *Agent) error {
	_, err := idb.NewInsert().Model(a).Returning("id").Exec(ctx)
	if db.IsUniqueViolation(err, "email") {
		return errs.Fields("an agent with this email exists", map[string]string{"email": "already used"})
	}
	if err != nil {
		return fmt.Errorf("agent: create: %w", err)
	}
	return nil
}

func count(ctx context.Context, idb bun.IDB) (int, error) {
	n, err := idb.NewSelect().Table("agents").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("agent: count: %w", err)
	}
	return int(n), nil
}

func one(ctx context.Context, q *bun.SelectQuery, a *Agent) (*Agent, error) {
	err := q.Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such agent")
	}
	if err != nil {
		return nil, fmt.Errorf("agent: get: %w", err)
	}
	return a, nil
}

func byID(ctx context.Context, idb bun.IDB, id int64) (*Agent, error) {
	a := new(Agent)
	return one(ctx, idb.NewSelect().Model(a).Where("id = ?", id), a)
}

func byEmail(ctx context.Context, idb bun.IDB, email string) (*Agent, error) {
	a := new(Agent)
	return one(ctx, idb.NewSelect().Model(a).Where("email = ?", email), a)
}

func list(ctx context.Context, idb bun.IDB) ([]Agent, error) {
	out := []Agent{}
	if err := idb.NewSelect().Model(&out).Order("name", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("agent: list: %w", err)
	}
	return out, nil
}

func touchLogin(ctx context.Context, idb bun.IDB, id int64) error {
	_, err := idb.NewRaw("UPDATE agents SET last_login_at = ? WHERE id = ?", time.Now().UTC(), id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: record login: %w", err)
	}
	return nil
}

func queueAccess(ctx context.Context, idb bun.IDB, agentID int64) (map[int64]Access, error) {
	var rows []struct {
		QueueID int64  `bun:"queue_id"`
		Access  Access `bun:"access"`
	}
	err := idb.NewSelect().Table("agent_queue_permissions").Column("queue_id", "access").
		Where("agent_id = ?", agentID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("agent: queue access: %w", err)
	}
	out := make(map[int64]Access, len(rows))
	for _, r := range rows {
		out[r.QueueID] = r.Access
	}
	return out, nil
}

func setQueueAccess(ctx context.Context, idb bun.IDB, agentID, queueID int64, access Access) error {
	var err error
	if access == "" {
		_, err = idb.NewRaw("DELETE FROM agent_queue_permissions WHERE agent_id = ? AND queue_id = ?", agentID, queueID).Exec(ctx)
	} else {
		_, err = idb.NewRaw(`INSERT INTO agent_queue_permissions (agent_id, queue_id, access) VALUES (?, ?, ?)
			ON CONFLICT (agent_id, queue_id) DO UPDATE SET access = excluded.access`, agentID, queueID, access).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("agent: set queue access: %w", err)
	}
	return nil
}

func insertSetupToken(ctx context.Context, idb bun.IDB, hash string, ttl time.Duration) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	_, err = idb.NewRaw("INSERT INTO setup_tokens (token_hash, expires_at, created_at) VALUES (?, ?, ?)",
		hash, now.Add(ttl), now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: store setup token: %w", err)
	}
	return nil
}

func checkSetupToken(ctx context.Context, idb bun.IDB, hash string) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	n, err := idb.NewSelect().Table("setup_tokens").Where("token_hash = ?", hash).
		Where("used_at IS NULL").Where("expires_at > ?", now).
		Where("NOT EXISTS (SELECT 1 FROM agents)").Count(ctx)
	if err != nil {
		return fmt.Errorf("agent: check setup token: %w", err)
	}
	if n == 0 {
		return errSetupToken
	}
	return nil
}

func consumeSetupToken(ctx context.Context, bdb *bun.DB, hash string, a *Agent) error {
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now, err := db.Now(ctx, tx)
		if err != nil {
			return err
		}
		res, err := tx.NewRaw(`UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL
			AND expires_at > ? AND NOT EXISTS (SELECT 1 FROM agents)`, now, hash, now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("agent: consume setup token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errSetupToken
		}
		return insert(ctx, tx, a)
	})
}
