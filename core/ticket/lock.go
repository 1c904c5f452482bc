package ticket

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
)

// A lock says "I am working on this": taking a ticket locks it to the agent
// and makes them its owner. While it is locked, other agents may read it and
// add internal notes, but they cannot reply to the customer or change it
// until they take it over explicitly, so two people never answer the same
// customer at once. Resolving or closing a ticket releases its lock.

// Lock takes the ticket for the acting agent. Taking a ticket someone else
// holds is a Conflict naming them; taking your own again changes nothing.
func (s *Service) Lock(ctx context.Context, scope Scope, actor audit.Actor, number string) (*Ticket, error) {
	return s.lock(ctx, scope, actor, number, false)
}

// TakeOver takes the ticket for the acting agent even when another agent
// holds it; the audit log records whom it was taken from.
func (s *Service) TakeOver(ctx context.Context, scope Scope, actor audit.Actor, number string) (*Ticket, error) {
	return s.lock(ctx, scope, actor, number, true)
}

func (s *Service) lock(ctx context.Context, scope Scope, actor audit.Actor, number string, force bool) (*Ticket, error) {
	if actor.Type != audit.ByAgent {
		return nil, errs.E(errs.Forbidden, "only agents take tickets")
	}
	var t *Ticket
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		var err error
		if t, err = s.writable(ctx, tx, scope, number); err != nil {
			return err
		}
		if t.LockedBy == actor.ID {
			return nil
		}
		from := t.LockedBy
		if from != 0 && !force {
			return lockConflict(ctx, tx, from)
		}
		n := now()
		t.LockedBy, t.LockedAt, t.OwnerID, t.UpdatedAt = actor.ID, &n, actor.ID, n
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		action, detail := "ticket.lock", map[string]string{}
		if from != 0 {
			action, detail["from"] = "ticket.take_over", strconv.FormatInt(from, 10)
		}
		if err := audit.Record(ctx, tx, actor, action, t.ID, detail); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, EventTicketUpdated, Event{TicketID: t.ID, Number: t.Number, Changes: []string{"lock", "owner"}})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Unlock releases the acting agent's lock; the ticket keeps its owner.
// Releasing someone else's lock is a Conflict: take it over instead.
func (s *Service) Unlock(ctx context.Context, scope Scope, actor audit.Actor, number string) (*Ticket, error) {
	var t *Ticket
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		var err error
		if t, err = s.writable(ctx, tx, scope, number); err != nil {
			return err
		}
		if t.LockedBy == 0 {
			return nil
		}
		if actor.Type != audit.ByAgent || t.LockedBy != actor.ID {
			return lockConflict(ctx, tx, t.LockedBy)
		}
		t.LockedBy, t.LockedAt, t.UpdatedAt = 0, nil, now()
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, "ticket.unlock", t.ID, nil); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, EventTicketUpdated, Event{TicketID: t.ID, Number: t.Number, Changes: []string{"lock"}})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// writable reads a ticket for change inside tx, checking write access.
func (s *Service) writable(ctx context.Context, tx bun.Tx, scope Scope, number string) (*Ticket, error) {
	t, err := getForUpdate(ctx, tx, scope, number)
	if err != nil {
		return nil, err
	}
	if !scope.CanWrite(t) {
		return nil, errs.E(errs.Forbidden, "you may read this ticket but not write to it")
	}
	return t, nil
}

// lockedByOther reports whether another agent holds t, so actor must take it
// over before replying or changing it. API keys and the system are not held
// back: integrations and automatic work do not take part in locking.
func lockedByOther(t *Ticket, actor audit.Actor) bool {
	return t.LockedBy != 0 && actor.Type == audit.ByAgent && t.LockedBy != actor.ID
}

func lockConflict(ctx context.Context, idb bun.IDB, holder int64) error {
	name := holderName(ctx, idb, holder)
	e := errs.E(errs.Conflict, "%s is working on this ticket; take it over first", name)
	e.Fields = map[string]string{"locked_by": name}
	return e
}
