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

func insertSession(ctx context.Context, idb bun.IDB, hash string, agentID int64, ip, ua string) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	// Sweep this agent's dead sessions on the way in, so the table stays the
	// size of the team's live sessions without a scheduled job.
	_, err = idb.NewRaw("DELETE FROM agent_sessions WHERE agent_id = ? AND (expires_at <= ? OR last_seen_at <= ?)",
		agentID, now, now.Add(-SessionIdle)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: sweep sessions: %w", err)
	}
	_, err = idb.NewRaw(`INSERT INTO agent_sessions (id_hash, agent_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hash, agentID, now, now, now.Add(SessionAbsolute), ip, ua).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: start session: %w", err)
	}
	return nil
}

func sessionAgent(ctx context.Context, idb bun.IDB, hash string) (*Agent, error) {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return nil, err
	}
	var row struct {
		AgentID  int64     `bun:"agent_id"`
		LastSeen time.Time `bun:"last_seen_at"`
	}
	err = idb.NewSelect().Table("agent_sessions").Column("agent_id", "last_seen_at").
		Where("id_hash = ?", hash).Where("expires_at > ?", now).Where("last_seen_at > ?", now.Add(-SessionIdle)).
		Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("agent: session: %w", err)
	}
	a, err := byID(ctx, idb, row.AgentID)
	if errs.Is(err, errs.NotFound) || (err == nil && a.DisabledAt != nil) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(row.LastSeen) > sessionTouchEvery {
		if _, err := idb.NewRaw("UPDATE agent_sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash).Exec(ctx); err != nil {
			return nil, fmt.Errorf("agent: touch session: %w", err)
		}
	}
	return a, nil
}

func deleteSessions(ctx context.Context, idb bun.IDB, where string, arg any) error {
	if _, err := idb.NewRaw("DELETE FROM agent_sessions WHERE "+where, arg).Exec(ctx); err != nil {
		return fmt.Errorf("agent: end sessions: %w", err)
	}
	return nil
}

func pruneSessions(ctx context.Context, idb bun.IDB) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	_, err = idb.NewRaw("DELETE FROM agent_sessions WHERE expires_at <= ? OR last_seen_at <= ?", now, now.Add(-SessionIdle)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: prune sessions: %w", err)
	}
	return nil
}

var errLastAdmin = errs.E(errs.Conflict, "this is the last enabled admin; make another agent admin first")

// otherAdmins counts enabled admins other than id, inside tx.
func otherAdmins(ctx context.Context, tx bun.Tx, id int64) (int, error) {
	n, err := tx.NewSelect().Table("agents").Where("role = ?", RoleAdmin).Where("disabled_at IS NULL").
		Where("id <> ?", id).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("agent: count admins: %w", err)
	}
	return int(n), nil
}

func updateProfile(ctx context.Context, bdb *bun.DB, id int64, p Profile) (*Agent, error) {
	var a *Agent
	err := db.InTx(ctx, bdb, func(tx bun.Tx) error {
		var err error
		if a, err = byID(ctx, tx, id); err != nil {
			return err
		}
		if a.Role == RoleAdmin && p.Role != RoleAdmin {
			if n, err := otherAdmins(ctx, tx, id); err != nil || n == 0 {
				return cmpErr(err, errLastAdmin)
			}
		}
		a.Email, a.Name, a.Role, a.Language, a.UpdatedAt = p.Email, p.Name, p.Role, p.Language, time.Now().UTC()
		_, err = tx.NewUpdate().Model(a).Column("email", "name", "role", "language", "updated_at").WherePK().Exec(ctx)
		if db.IsUniqueViolation(err, "email") {
			return errs.Fields("an agent with this email exists", map[string]string{"email": "already used"})
		}
		if err != nil {
			return fmt.Errorf("agent: update: %w", err)
		}
		return nil
	})
	return a, err
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func setLanguage(ctx context.Context, idb bun.IDB, id int64, lang string) error {
	if _, err := idb.NewRaw("UPDATE agents SET language = ?, updated_at = ? WHERE id = ?", lang, time.Now().UTC(), id).Exec(ctx); err != nil {
		return fmt.Errorf("agent: set language: %w", err)
	}
	return nil
}

func setDisabled(ctx context.Context, bdb *bun.DB, id int64, disabled bool) error {
	return db.InTx(ctx, bdb, func(tx bun.Tx) error {
		a, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		var at any
		if disabled {
			if a.Role == RoleAdmin {
				if n, err := otherAdmins(ctx, tx, id); err != nil || n == 0 {
					return cmpErr(err, errLastAdmin)
				}
			}
			at = time.Now().UTC()
			if err := deleteSessions(ctx, tx, "agent_id = ?", id); err != nil {
				return err
			}
		}
		if _, err := tx.NewRaw("UPDATE agents SET disabled_at = ?, updated_at = ? WHERE id = ?", at, time.Now().UTC(), id).Exec(ctx); err != nil {
			return fmt.Errorf("agent: disable: %w", err)
		}
		return nil
	})
}

func setPassword(ctx context.Context, bdb *bun.DB, id int64, hash, keepSessionHash string) error {
	return db.InTx(ctx, bdb, func(tx bun.Tx) error {
		if _, err := tx.NewRaw("UPDATE agents SET password_hash = ?, updated_at = ? WHERE id = ?", hash, time.Now().UTC(), id).Exec(ctx); err != nil {
			return fmt.Errorf("agent: set password: %w", err)
		}
		if _, err := tx.NewRaw("DELETE FROM agent_sessions WHERE agent_id = ? AND id_hash <> ?", id, keepSessionHash).Exec(ctx); err != nil {
			return fmt.Errorf("agent: end other sessions: %w", err)
		}
		return nil
	})
}

func permissions(ctx context.Context, idb bun.IDB, agentID int64) ([]QueuePermission, error) {
	out := []QueuePermission{}
	err := idb.NewSelect().Table("agent_queue_permissions").Column("queue_id", "access", "subscribed").
		Where("agent_id = ?", agentID).Order("queue_id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("agent: permissions: %w", err)
	}
	return out, nil
}

func subscribe(ctx context.Context, idb bun.IDB, agentID, queueID int64, on bool) error {
	res, err := idb.NewRaw("UPDATE agent_queue_permissions SET subscribed = ? WHERE agent_id = ? AND queue_id = ?", on, agentID, queueID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("agent: subscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 && on {
		return errs.Fields("no access to that queue", map[string]string{"queue": "you have no access to this queue"})
	}
	return nil
}
