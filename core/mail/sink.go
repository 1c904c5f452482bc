package mail

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
)

// Sink is the dev mail sink: with no SMTP server configured, every message
// is stored in the database and logged (recipient, subject and, for code
// mails, the code), so a fresh install works end to end.
type Sink struct {
	db  *bun.DB
	log *slog.Logger
}

// NewSink returns a sink on db that logs to log.
func NewSink(db *bun.DB, log *slog.Logger) *Sink { return &Sink{db: db, log: log} }

// Stored is a message kept by the sink.
type Stored struct {
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	Kind          string    `bun:"kind" json:"kind"`
	To            string    `bun:"to_addr" json:"to"`
	Subject       string    `bun:"subject" json:"subject"`
	Text          string    `bun:"text_body" json:"text"`
	HTML          string    `bun:"html_body" json:"html"`
	Headers       string    `bun:"headers" json:"-"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	bun.BaseModel `bun:"table:mail_messages"`
}

// Send stores m and logs it.
func (s *Sink) Send(ctx context.Context, m Message) error {
	row := &Stored{Kind: m.Kind, To: HeaderSafe(m.To), Subject: HeaderSafe(m.Subject), Text: m.Text, HTML: m.HTML,
		Headers: `{"Auto-Submitted":"auto-generated"}`, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	if err := insertStored(ctx, s.db, row); err != nil {
		return err
	}
	attrs := []any{"id", row.ID, "to", row.To, "subject", row.Subject}
	if m.Code != "" {
		attrs = append(attrs, "code", m.Code)
	}
	s.log.Info("mail sink: message kept (no SMTP configured)", attrs...)
	return nil
}

// List returns the newest messages first, at most limit (for `guichet mail
// list` and the console's sink viewer), optionally only those to one address.
func (s *Sink) List(ctx context.Context, to string, limit int) ([]Stored, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return listStored(ctx, s.db, to, limit)
}

// Get returns one stored message or NotFound.
func (s *Sink) Get(ctx context.Context, id int64) (*Stored, error) { return storedByID(ctx, s.db, id) }
