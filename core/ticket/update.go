package ticket

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/markup"
)

// Patch lists the fields to change; nil leaves a field as it is.
type Patch struct {
	State    *State
	Priority *int
	Type     *Type
	QueueID  *int64
	OwnerID  *int64 // 0 removes the owner
}

func (p Patch) validate() error {
	f := map[string]string{}
	if p.State != nil && !slices.Contains(States, *p.State) {
		f["state"] = "must be one of new, open, pending_customer, resolved, closed"
	}
	if p.Priority != nil && (*p.Priority < MinPriority || *p.Priority > MaxPriority) {
		f["priority"] = "must be between 1 and 5"
	}
	if p.Type != nil && !slices.Contains(Types, *p.Type) {
		f["type"] = "must be incident, problem or service_request"
	}
	if len(f) > 0 {
		return errs.Fields("invalid change", f)
	}
	return nil
}

// Update applies p to the ticket if scope may change it (and, for a queue
// change, write into the new queue). Customers cannot use Update: they never
// set priority, type, queue or owner. Each changed field is audited.
func (s *Service) Update(ctx context.Context, scope Scope, actor audit.Actor, number string, p Patch) (*Ticket, error) {
	if scope.IsCustomer() {
		return nil, errs.E(errs.Forbidden, "customers cannot change tickets this way")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	// Check the target queue before the transaction: on SQLite's single
	// connection, a query outside the transaction would wait for it forever.
	if p.QueueID != nil {
		if _, err := s.queues.Get(ctx, *p.QueueID); err != nil {
			return nil, errs.Fields("unknown queue", map[string]string{"queue": "no such queue"})
		}
	}
	var t *Ticket
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		var err error
		t, err = getForUpdate(ctx, tx, scope, number)
		if err != nil {
			return err
		}
		if !scope.CanWrite(t) {
			return errs.E(errs.Forbidden, "you may read this ticket but not change it")
		}
		if lockedByOther(t, actor) {
			return lockConflict(ctx, tx, t.LockedBy)
		}
		changes, err := s.apply(ctx, tx, scope, t, p)
		if err != nil || len(changes) == 0 {
			return err
		}
		t.UpdatedAt = now()
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		names := make([]string, 0, len(changes))
		for field, v := range changes {
			names = append(names, field)
			if err := audit.Record(ctx, tx, actor, "ticket.set_"+field, t.ID, map[string]string{"from": v[0], "to": v[1]}); err != nil {
				return err
			}
		}
		slices.Sort(names)
		return jobs.Enqueue(ctx, tx, EventTicketUpdated, Event{TicketID: t.ID, Number: t.Number, Changes: names})
	})
	return t, err
}

// apply changes t in memory and returns field → [from, to] for what changed.
func (s *Service) apply(ctx context.Context, tx bun.Tx, scope Scope, t *Ticket, p Patch) (map[string][2]string, error) {
	ch := map[string][2]string{}
	if p.QueueID != nil && *p.QueueID != t.QueueID {
		if !scope.CanWriteQueue(*p.QueueID) {
			return nil, errs.Fields("no access to that queue", map[string]string{"queue": "you cannot move tickets into this queue"})
		}
		ch["queue"] = [2]string{strconv.FormatInt(t.QueueID, 10), strconv.FormatInt(*p.QueueID, 10)}
		t.QueueID = *p.QueueID
	}
	if p.OwnerID != nil && *p.OwnerID != t.OwnerID {
		if *p.OwnerID != 0 {
			if err := checkOwner(ctx, tx, *p.OwnerID, t.QueueID); err != nil {
				return nil, err
			}
		}
		ch["owner"] = [2]string{strconv.FormatInt(t.OwnerID, 10), strconv.FormatInt(*p.OwnerID, 10)}
		t.OwnerID = *p.OwnerID
	}
	if p.Priority != nil && *p.Priority != t.Priority {
		ch["priority"] = [2]string{strconv.Itoa(t.Priority), strconv.Itoa(*p.Priority)}
		t.Priority = *p.Priority
	}
	if p.Type != nil && *p.Type != t.Type {
		ch["type"] = [2]string{string(t.Type), string(*p.Type)}
		t.Type = *p.Type
	}
	if p.State != nil && *p.State != t.State {
		ch["state"] = [2]string{string(t.State), string(*p.State)}
		setState(t, *p.State)
	}
	return ch, nil
}

// setState moves t to st and keeps the resolved and closed times in step.
func setState(t *Ticket, st State) {
	n := now()
	t.State = st
	switch st {
	case Resolved:
		t.ResolvedAt, t.ClosedAt = &n, nil
		t.LockedBy, t.LockedAt = 0, nil
	case Closed:
		t.LockedBy, t.LockedAt = 0, nil
		t.ClosedAt = &n
		if t.ResolvedAt == nil {
			t.ResolvedAt = &n
		}
	default:
		t.ResolvedAt, t.ClosedAt = nil, nil
	}
}

// ArticleInput is a reply or note.
type ArticleInput struct {
	Kind        ArticleKind
	Body        string // plain text
	Channel     Channel
	Attachments []attachment.Blob
}

// AddArticle adds a public reply or internal note to a ticket the scope may
// change. Customers may only add public messages, and not to a closed ticket.
// An agent's first public reply records the first response time; replies move
// the state along (new → open on an agent's reply, pending customer → open on
// the customer's).
func (s *Service) AddArticle(ctx context.Context, scope Scope, actor audit.Actor, number string, in ArticleInput) (*Article, error) {
	f := map[string]string{}
	if strings.TrimSpace(in.Body) == "" {
		f["body"] = "required"
	} else if len(in.Body) > MaxBody {
		f["body"] = "at most 100000 bytes"
	}
	if in.Kind != Public && in.Kind != Internal {
		f["kind"] = "must be public or internal"
	}
	if len(f) > 0 {
		return nil, errs.Fields("invalid message", f)
	}
	if in.Kind == Internal && scope.IsCustomer() {
		return nil, errs.E(errs.Forbidden, "customers cannot write internal notes")
	}
	var a *Article
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		t, err := getForUpdate(ctx, tx, scope, number)
		if err != nil {
			return err
		}
		if !scope.CanWrite(t) {
			return errs.E(errs.Forbidden, "you may read this ticket but not write to it")
		}
		if in.Kind == Public && lockedByOther(t, actor) {
			return lockConflict(ctx, tx, t.LockedBy)
		}
		if scope.IsCustomer() && t.State == Closed {
			return errs.E(errs.Conflict, "this ticket is closed; reopen it to write again")
		}
		n := now()
		a = &Article{TicketID: t.ID, Kind: in.Kind, Channel: in.Channel, CreatedAt: n}
		setAuthor(a, actor, t.CustomerID, false)
		a.BodyText, a.BodyHTML = strings.TrimSpace(in.Body), markup.PlainToHTML(in.Body)
		if err := insertArticle(ctx, tx, a, in.Attachments); err != nil {
			return err
		}
		before := t.State
		progress(t, a, n)
		t.UpdatedAt = n
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		if before != t.State {
			if err := audit.Record(ctx, tx, actor, "ticket.set_state", t.ID, map[string]string{"from": string(before), "to": string(t.State)}); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, actor, "article.add", t.ID, map[string]string{"kind": string(a.Kind), "article": fmt.Sprint(a.ID)}); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, EventArticleCreated, Event{TicketID: t.ID, Number: t.Number, ArticleID: a.ID, Kind: a.Kind, Author: a.AuthorType})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// progress updates t after article a was added at n.
func progress(t *Ticket, a *Article, n time.Time) {
	if a.Kind != Public {
		return
	}
	switch a.AuthorType {
	case AuthorAgent:
		if t.FirstResponseAt == nil {
			t.FirstResponseAt = &n
		}
		if t.State == New {
			t.State = Open
		}
	case AuthorCustomer:
		if t.State == PendingCustomer || t.State == Resolved {
			setState(t, Open)
		}
	}
}

// Attach adds files to an existing article of a ticket the scope may change.
// Customers may only attach to their own public messages.
func (s *Service) Attach(ctx context.Context, scope Scope, actor audit.Actor, number string, articleID int64, blobs []attachment.Blob) ([]attachment.Attachment, error) {
	var out []attachment.Attachment
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		t, err := getForUpdate(ctx, tx, scope, number)
		if err != nil {
			return err
		}
		if !scope.CanWrite(t) {
			return errs.E(errs.Forbidden, "you may read this ticket but not write to it")
		}
		a, err := articleOf(ctx, tx, t.ID, articleID)
		if err != nil {
			return err
		}
		if scope.IsCustomer() && (a.Kind != Public || a.AuthorCustomerID != t.CustomerID) {
			return errs.E(errs.NotFound, "no such message")
		}
		if out, err = attachment.Attach(ctx, tx, t.ID, a.ID, blobs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "attachment.add", t.ID, map[string]string{"article": fmt.Sprint(a.ID), "files": fmt.Sprint(len(out))})
	})
	return out, err
}
