package ticket

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
)

// ReopenVerdict says whether a ticket may be reopened now, and if not why,
// so a page can explain the missing button.
type ReopenVerdict string

// The verdicts of CanReopen.
const (
	ReopenAllowed   ReopenVerdict = "allowed"
	ReopenNotClosed ReopenVerdict = "not_closed" // nothing to reopen
	ReopenDisabled  ReopenVerdict = "disabled"   // the helpdesk never allows it (window 0)
	ReopenExpired   ReopenVerdict = "expired"    // closed longer ago than the window
)

// CanReopen applies the reopen window (settings.Helpdesk.ReopenDays: 0 never,
// N days after closing, -1 without limit) at now. A resolved ticket is not
// closed yet and may always be reopened.
func CanReopen(t *Ticket, windowDays int, now time.Time) ReopenVerdict {
	switch {
	case t.State == Resolved:
		return ReopenAllowed
	case t.State != Closed:
		return ReopenNotClosed
	case windowDays == 0:
		return ReopenDisabled
	case windowDays < 0:
		return ReopenAllowed
	case t.ClosedAt == nil || now.Sub(*t.ClosedAt) <= time.Duration(windowDays)*24*time.Hour:
		return ReopenAllowed
	}
	return ReopenExpired
}

// CanClose reports whether a ticket can still be closed.
func CanClose(t *Ticket) bool { return t.State != Closed }

// Close closes a ticket the scope may change (customers: their own).
func (s *Service) Close(ctx context.Context, scope Scope, actor audit.Actor, number string) (*Ticket, error) {
	return s.changeState(ctx, scope, actor, number, func(t *Ticket, _ time.Time) error {
		if !CanClose(t) {
			return errs.E(errs.Conflict, "this ticket is already closed")
		}
		setState(t, Closed)
		return nil
	})
}

// Reopen reopens a closed or resolved ticket within the reopen window,
// judged on the database clock.
func (s *Service) Reopen(ctx context.Context, scope Scope, actor audit.Actor, number string, windowDays int) (*Ticket, error) {
	return s.changeState(ctx, scope, actor, number, func(t *Ticket, now time.Time) error {
		switch CanReopen(t, windowDays, now) {
		case ReopenNotClosed:
			return errs.E(errs.Conflict, "this ticket is not closed")
		case ReopenDisabled:
			return errs.E(errs.Forbidden, "closed tickets cannot be reopened on this helpdesk")
		case ReopenExpired:
			return errs.E(errs.Forbidden, "this ticket was closed more than %d days ago and can no longer be reopened", windowDays)
		}
		setState(t, Open)
		return nil
	})
}

func (s *Service) changeState(ctx context.Context, scope Scope, actor audit.Actor, number string, change func(*Ticket, time.Time) error) (*Ticket, error) {
	var t *Ticket
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		var err error
		if t, err = getForUpdate(ctx, tx, scope, number); err != nil {
			return err
		}
		if !scope.CanWrite(t) {
			return errs.E(errs.Forbidden, "you may read this ticket but not write to it")
		}
		dbNow, err := db.Now(ctx, tx)
		if err != nil {
			return err
		}
		before := t.State
		if err := change(t, dbNow); err != nil {
			return err
		}
		t.UpdatedAt = now()
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, "ticket.set_state", t.ID, map[string]string{"from": string(before), "to": string(t.State)}); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, EventTicketUpdated, Event{TicketID: t.ID, Number: t.Number, Changes: []string{"state"}})
	})
	return t, err
}
