package custauth

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

type codeRow struct {
	Email         string     `bun:"email,pk"`
	Purpose       string     `bun:"purpose,pk"`
	FlowHash      string     `bun:"flow_hash"`
	CodeHash      string     `bun:"code_hash"`
	Salt          string     `bun:"salt"`
	Attempts      int        `bun:"attempts"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
	CreatedAt     time.Time  `bun:"created_at"`
	bun.BaseModel `bun:"table:customer_codes"`
}

type sessionRow struct {
	IDHash        string    `bun:"id_hash,pk"`
	CustomerID    int64     `bun:"customer_id"`
	CreatedAt     time.Time `bun:"created_at"`
	ExpiresAt     time.Time `bun:"expires_at"`
	bun.BaseModel `bun:"table:customer_sessions"`
}

// replaceCode kills the address's previous code and stores the new one.
func replaceCode(ctx context.Context, tx bun.Tx, row *codeRow) error {
	if _, err := tx.NewDelete().Model((*codeRow)(nil)).Where("email = ? AND purpose = ?", row.Email, row.Purpose).Exec(ctx); err != nil {
		return fmt.Errorf("custauth: drop old code: %w", err)
	}
	if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("custauth: store code: %w", err)
	}
	return nil
}

func codeByFlow(ctx context.Context, idb bun.IDB, flowHash string) (*codeRow, error) {
	row := new(codeRow)
	err := idb.NewSelect().Model(row).Where("flow_hash = ?", flowHash).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such sign-in flow")
	}
	if err != nil {
		return nil, fmt.Errorf("custauth: read code: %w", err)
	}
	return row, nil
}

// markUsed consumes the code in one conditional UPDATE: of two concurrent
// requests with the right code, exactly one changes the row.
func markUsed(ctx context.Context, idb bun.IDB, flowHash, codeHash string) (bool, error) {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return false, err
	}
	res, err := idb.NewUpdate().Model((*codeRow)(nil)).Set("used_at = ?", now).
		Where("flow_hash = ?", flowHash).Where("used_at IS NULL").Where("expires_at > ?", now).
		Where("attempts < ?", MaxAttempts).Where("code_hash = ?", codeHash).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("custauth: use code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// addAttempt counts a wrong try atomically; at MaxAttempts the code is dead.
func addAttempt(ctx context.Context, idb bun.IDB, flowHash string) error {
	_, err := idb.NewUpdate().Model((*codeRow)(nil)).Set("attempts = attempts + 1").Where("flow_hash = ?", flowHash).Exec(ctx)
	if err != nil {
		return fmt.Errorf("custauth: count attempt: %w", err)
	}
	return nil
}

func lockOut(ctx context.Context, idb bun.IDB, email string, d time.Duration) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	_, err = idb.NewRaw(`INSERT INTO customer_code_lockouts (email, until) VALUES (?, ?)
		ON CONFLICT (email) DO UPDATE SET until = excluded.until`, email, now.Add(d)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("custauth: lock out: %w", err)
	}
	return nil
}

func isLockedOut(ctx context.Context, idb bun.IDB, email string) (bool, error) {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return false, err
	}
	n, err := idb.NewSelect().Table("customer_code_lockouts").Where("email = ?", email).Where("until > ?", now).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("custauth: read lockout: %w", err)
	}
	return n > 0, nil
}

// createSession stores a new session under the hash of a fresh random id
// and returns the id, which only the customer's cookie holds.
func createSession(ctx context.Context, tx bun.Tx, customerID int64) (string, error) {
	now, err := db.Now(ctx, tx)
	if err != nil {
		return "", err
	}
	id := randomToken()
	row := &sessionRow{IDHash: digest(id), CustomerID: customerID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
		return "", fmt.Errorf("custauth: create session: %w", err)
	}
	return id, nil
}

func sessionByHash(ctx context.Context, idb bun.IDB, idHash string) (*Session, error) {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return nil, err
	}
	row := new(sessionRow)
	err = idb.NewSelect().Model(row).Where("id_hash = ?", idHash).Where("expires_at > ?", now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "not signed in")
	}
	if err != nil {
		return nil, fmt.Errorf("custauth: read session: %w", err)
	}
	return &Session{CustomerID: row.CustomerID, ExpiresAt: row.ExpiresAt}, nil
}

func deleteSession(ctx context.Context, idb bun.IDB, idHash string) error {
	if _, err := idb.NewDelete().Model((*sessionRow)(nil)).Where("id_hash = ?", idHash).Exec(ctx); err != nil {
		return fmt.Errorf("custauth: sign out: %w", err)
	}
	return nil
}

func deleteSessions(ctx context.Context, idb bun.IDB, customerID int64) error {
	if _, err := idb.NewDelete().Model((*sessionRow)(nil)).Where("customer_id = ?", customerID).Exec(ctx); err != nil {
		return fmt.Errorf("custauth: sign out everywhere: %w", err)
	}
	return nil
}

// expireForTest moves a flow's code expiry (tests only, through export_test).
func expireCode(ctx context.Context, idb bun.IDB, flowHash string, at time.Time) error {
	_, err := idb.NewUpdate().Model((*codeRow)(nil)).Set("expires_at = ?", at).Where("flow_hash = ?", flowHash).Exec(ctx)
	return err
}
