// Package audit records who did what: every change to a ticket, every admin
// action. Entries are written in the caller's transaction so a change and its
// trace commit together. It must not import net/http or gin.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ActorType says who acted.
type ActorType string

// The actor types.
const (
	ByAgent    ActorType = "agent"
	ByCustomer ActorType = "customer"
	ByAPIKey   ActorType = "api_key"
	BySystem   ActorType = "system"
)

// Actor is whoever performs an operation.
type Actor struct {
	Type ActorType
	ID   int64 // agent, customer or API key id; 0 for the system
}

// System is the actor for scheduled and automatic work.
var System = Actor{Type: BySystem}

// Entry is one line of the audit log.
type Entry struct {
	ID            int64             `bun:"id,pk,autoincrement" json:"id"`
	At            time.Time         `bun:"at" json:"at"`
	ActorType     ActorType         `bun:"actor_type" json:"actor_type"`
	ActorID       int64             `bun:"actor_id,nullzero" json:"actor_id,omitempty"`
	Action        string            `bun:"action" json:"action"`
	TicketID      int64             `bun:"ticket_id,nullzero" json:"-"`
	Detail        map[string]string `bun:"detail,type:text" json:"detail,omitempty"`
	bun.BaseModel `bun:"table:audit_log"`
}

// Record writes one entry through db, which may be a transaction.
func Record(ctx context.Context, db bun.IDB, actor Actor, action string, ticketID int64, detail map[string]string) error {
	if detail == nil {
		detail = map[string]string{}
	}
	raw, _ := json.Marshal(detail)
	_, err := db.NewRaw(`INSERT INTO audit_log (at, actor_type, actor_id, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		time.Now().UTC(), actor.Type, nullID(actor.ID), action, nullID(ticketID), string(raw)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", action, err)
	}
	return nil
}

// ForTicket lists a ticket's entries, oldest first.
func ForTicket(ctx context.Context, db bun.IDB, ticketID int64) ([]Entry, error) {
	var out []Entry
	err := db.NewSelect().Model(&out).Where("ticket_id = ?", ticketID).Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
