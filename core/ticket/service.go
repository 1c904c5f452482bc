package ticket

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/markup"
	"github.com/guichet/guichet/core/queue"
)

// Limits on what people may type.
const (
	MaxSubject = 200
	MaxBody    = 100_000
)

// Service opens and works tickets.
type Service struct {
	db     *bun.DB
	queues *queue.Service
}

// NewService returns a ticket service.
func NewService(db *bun.DB, queues *queue.Service) *Service {
	return &Service{db: db, queues: queues}
}

// OpenInput is what opening a ticket takes.
type OpenInput struct {
	Subject       string
	Body          string // plain text
	CustomerEmail string
	CustomerName  string
	QueueID       int64 // 0: the default queue
	Type          Type  // "": the queue's default type
	Priority      int   // 0: DefaultPriority
	Channel       Channel
	Attachments   []attachment.Blob
	// IdempotencyKey, when set, makes a retry with the same key and the same
	// input return the first ticket instead of opening another; the same key
	// with a different input is a Conflict. Keys are per IdempotencyScope
	// (such as one API key).
	IdempotencyKey   string
	IdempotencyScope string
}

func (in *OpenInput) validate() error {
	f := map[string]string{}
	in.Subject = strings.TrimSpace(in.Subject)
	if in.Subject == "" {
		f["subject"] = "required"
	} else if utf8.RuneCountInString(in.Subject) > MaxSubject || strings.ContainsAny(in.Subject, "\r\n") {
		f["subject"] = "one line of at most 200 characters"
	}
	if strings.TrimSpace(in.Body) == "" {
		f["body"] = "required"
	} else if len(in.Body) > MaxBody {
		f["body"] = "at most 100000 bytes"
	}
	if in.Type != "" && !slices.Contains(Types, in.Type) {
		f["type"] = "must be incident, problem or service_request"
	}
	if in.Priority != 0 && (in.Priority < MinPriority || in.Priority > MaxPriority) {
		f["priority"] = "must be between 1 and 5"
	}
	if len(in.IdempotencyKey) > 200 {
		f["idempotency_key"] = "at most 200 characters"
	}
	if len(f) > 0 {
		return errs.Fields("invalid ticket", f)
	}
	return nil
}

func (in *OpenInput) hash() string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Open creates a ticket with its first article, the customer on first
// contact, and its attachments, all in one transaction. It reports whether the
// ticket already existed under the same idempotency key.
func (s *Service) Open(ctx context.Context, actor audit.Actor, in OpenInput) (*Ticket, bool, error) {
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	q, err := s.pickQueue(ctx, in.QueueID)
	if err != nil {
		return nil, false, err
	}
	if in.Type == "" {
		in.Type = Type(q.DefaultType)
	}
	if in.Priority == 0 {
		in.Priority = DefaultPriority
	}
	if in.Channel == "" {
		in.Channel = ChannelAPI
	}
	for attempt := 0; ; attempt++ {
		t, replayed, err := s.open(ctx, actor, q, in)
		// A fresh random number may collide with an existing one (about one
		// chance in 33 million per existing ticket): draw again.
		if db.IsUniqueViolation(err, "number") && attempt < 5 {
			continue
		}
		// Two concurrent requests with one idempotency key: the loser finds
		// the winner's ticket on the next pass.
		if db.IsUniqueViolation(err, "idempotency") && attempt < 5 {
			continue
		}
		return t, replayed, err
	}
}

func (s *Service) pickQueue(ctx context.Context, id int64) (*queue.Queue, error) {
	if id == 0 {
		return s.queues.Default(ctx)
	}
	q, err := s.queues.Get(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.Fields("unknown queue", map[string]string{"queue": "no such queue"})
	}
	return q, err
}

func (s *Service) open(ctx context.Context, actor audit.Actor, q *queue.Queue, in OpenInput) (*Ticket, bool, error) {
	var (
		t        *Ticket
		replayed bool
	)
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		if in.IdempotencyKey != "" {
			prior, err := idempotentTicket(ctx, tx, in.IdempotencyScope, in.IdempotencyKey, in.hash())
			if err != nil || prior != nil {
				t, replayed = prior, prior != nil
				return err
			}
		}
		c, err := customer.FindOrCreate(ctx, tx, in.CustomerEmail, in.CustomerName)
		if err != nil {
			if e := errs.As(err); e != nil && e.Fields["email"] != "" {
				return errs.Fields("invalid customer", map[string]string{"customer_email": e.Fields["email"]})
			}
			return err
		}
		now := now()
		secret := make([]byte, 32)
		rand.Read(secret)
		t = &Ticket{Number: newNumber(), BrandID: q.BrandID, QueueID: q.ID, Subject: in.Subject, Type: in.Type,
			State: New, Priority: in.Priority, Channel: in.Channel, CustomerID: c.ID, OrganizationID: c.OrganizationID,
			LinkSecret: secret, LinkVersion: 1, CreatedAt: now, UpdatedAt: now}
		if err := insertTicket(ctx, tx, t); err != nil {
			return err
		}
		a := &Article{TicketID: t.ID, Kind: Public, Channel: in.Channel, CreatedAt: now}
		setAuthor(a, actor, c.ID, true)
		a.BodyText, a.BodyHTML = strings.TrimSpace(in.Body), markup.PlainToHTML(in.Body)
		if err := insertArticle(ctx, tx, a, in.Attachments); err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			if err := rememberIdempotency(ctx, tx, in.IdempotencyScope, in.IdempotencyKey, in.hash(), t.ID, now); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, actor, "ticket.open", t.ID, map[string]string{"number": t.Number}); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, EventTicketCreated, Event{TicketID: t.ID, Number: t.Number, ArticleID: a.ID, Kind: Public, Author: a.AuthorType})
	})
	if err != nil {
		return nil, false, err
	}
	return t, replayed, nil
}

// setAuthor records who wrote a. An integration opening a ticket through
// an API key speaks for the customer (opening is true); its later messages
// are the system's.
func setAuthor(a *Article, actor audit.Actor, ticketCustomerID int64, opening bool) {
	switch {
	case actor.Type == audit.ByAgent:
		a.AuthorType, a.AuthorAgentID = AuthorAgent, actor.ID
	case actor.Type == audit.ByCustomer:
		a.AuthorType, a.AuthorCustomerID = AuthorCustomer, actor.ID
	case actor.Type == audit.ByAPIKey && opening:
		a.AuthorType, a.AuthorCustomerID = AuthorCustomer, ticketCustomerID
	default:
		a.AuthorType = AuthorSystem
	}
}

// now is the application clock at the precision both databases keep, so a
// value written and read back compares equal.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Get returns the ticket with that number if scope may read it. A ticket
// outside the scope is NotFound, exactly like one that does not exist.
func (s *Service) Get(ctx context.Context, scope Scope, number string) (*Ticket, error) {
	return getScoped(ctx, s.db, scope, number)
}

// Summary returns the ticket with the names lists show, if scope may read it.
func (s *Service) Summary(ctx context.Context, scope Scope, number string) (*Summary, error) {
	return summaryByNumber(ctx, s.db, scope, number)
}

// Articles returns a ticket's conversation, oldest first, with attachments.
// Customers' scopes never see internal notes.
func (s *Service) Articles(ctx context.Context, scope Scope, t *Ticket) ([]Article, error) {
	if !scope.CanRead(t) {
		return nil, errNotFound
	}
	return articles(ctx, s.db, t.ID, !scope.IsCustomer())
}

// Attachment returns an attachment of a ticket the scope may read; one on an
// internal note is hidden from customers.
func (s *Service) Attachment(ctx context.Context, scope Scope, number, publicID string) (*attachment.Attachment, error) {
	t, err := s.Get(ctx, scope, number)
	if err != nil {
		return nil, err
	}
	a, err := attachment.ByPublicID(ctx, s.db, t.ID, publicID)
	if err != nil {
		return nil, err
	}
	if scope.IsCustomer() {
		kind, err := articleKind(ctx, s.db, a.ArticleID)
		if err != nil || kind != Public {
			return nil, errs.E(errs.NotFound, "no such attachment")
		}
	}
	return a, nil
}

var errNotFound = errs.E(errs.NotFound, "no such ticket")
