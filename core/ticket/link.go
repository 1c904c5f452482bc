package ticket

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

// LinkTokenLen is the exact length of a link token: 22 base64url
// characters carry 132 bits of HMAC-SHA256.
const LinkTokenLen = 22

// KeySource hands out server secrets by name (settings.Service does).
type KeySource interface {
	Secret(ctx context.Context, name string) ([]byte, error)
}

// Links signs and checks the ticket links of notification mails
// (/t/{number}/{token}), which show a ticket without signing in.
type Links struct {
	tickets *Service
	keys    KeySource
}

// NewLinks returns the link signer of a ticket service.
func NewLinks(s *Service, keys KeySource) *Links { return &Links{tickets: s, keys: keys} }

// Token returns the link token of t: HMAC-SHA256 under the server's link
// key over the ticket id, number, link version and the ticket's own random
// link secret, cut to LinkTokenLen characters.
func (l *Links) Token(ctx context.Context, t *Ticket) (string, error) {
	key, err := l.keys.Secret(ctx, "ticket_links")
	if err != nil {
		return "", err
	}
	return linkToken(key, t), nil
}

func linkToken(key []byte, t *Ticket) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("guichet/ticket-link/v1|" + strconv.FormatInt(t.ID, 10) + "|" + t.Number + "|" +
		strconv.Itoa(t.LinkVersion) + "|" + hex.EncodeToString(t.LinkSecret)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:LinkTokenLen]
}

// Open returns the ticket a link designates. Any failure (unknown number,
// wrong length, wrong or revoked token) is the same NotFound, and an unknown
// number costs the same HMAC as a known one.
func (l *Links) Open(ctx context.Context, number, token string) (*Ticket, error) {
	key, err := l.keys.Secret(ctx, "ticket_links")
	if err != nil {
		return nil, err
	}
	t, err := getScoped(ctx, l.tickets.db, AllQueues(), number)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	probe := t
	if probe == nil {
		probe = &Ticket{Number: "-"}
	}
	want := linkToken(key, probe)
	if len(token) != LinkTokenLen || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 || t == nil {
		return nil, errNotFound
	}
	return t, nil
}

// RotateLink bumps a ticket's link version, which revokes every link sent so far.
func (s *Service) RotateLink(ctx context.Context, scope Scope, actor audit.Actor, number string) (*Ticket, error) {
	var t *Ticket
	err := db.InTx(ctx, s.db, func(tx bun.Tx) error {
		var err error
		if t, err = getForUpdate(ctx, tx, scope, number); err != nil {
			return err
		}
		t.LinkVersion++
		if err := saveTicket(ctx, tx, t); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "ticket.rotate_link", t.ID, nil)
	})
	return t, err
}

func isNotFound(err error) bool { return errs.Is(err, errs.NotFound) }
