// Package customer owns customers and their organizations (the ERP's "third
// parties"). Customers have no password: they are identified by a normalised
// email address and created on first contact. It must not import net/http or gin.
package customer

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

// Customer is a person who asks for help.
type Customer struct {
	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	Email          string    `bun:"email" json:"email"`
	Name           string    `bun:"name" json:"name"`
	OrganizationID int64     `bun:"organization_id,nullzero" json:"organization_id,omitempty"`
	Language       string    `bun:"language" json:"language,omitempty"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at" json:"updated_at"`
	bun.BaseModel  `bun:"table:customers"`
}

// Organization groups customers of one company.
type Organization struct {
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	Name          string    `bun:"name" json:"name"`
	ExternalRef   string    `bun:"external_ref,nullzero" json:"external_ref,omitempty"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
	bun.BaseModel `bun:"table:organizations"`
}

// NormalizeEmail returns the canonical form of an address (trimmed, lower
// case) or an Invalid error. Display names and comments are refused: the
// address alone identifies a customer.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errs.Fields("an email address is required", map[string]string{"email": "required"})
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || strings.ContainsAny(s, "\r\n") {
		return "", errs.Fields("not a valid email address", map[string]string{"email": "must be an address such as ana@example.com"})
	}
	return strings.ToLower(a.Address), nil
}

// Service manages customers.
type Service struct{ db *bun.DB }

// NewService returns a customer service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// FindOrCreate returns the customer with that address, creating it (with
// name, when given) on first contact. It runs through db, which may be the
// caller's transaction.
func FindOrCreate(ctx context.Context, db bun.IDB, email, name string) (*Customer, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 {
		return nil, errs.Fields("name too long", map[string]string{"customer_name": "at most 200 characters"})
	}
	return findOrCreate(ctx, db, email, name)
}

// ByEmail returns the customer with that address or a NotFound error.
func (s *Service) ByEmail(ctx context.Context, email string) (*Customer, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, errs.E(errs.NotFound, "no such customer")
	}
	return byEmail(ctx, s.db, norm)
}

// ByID returns the customer or a NotFound error.
func (s *Service) ByID(ctx context.Context, id int64) (*Customer, error) { return byID(ctx, s.db, id) }

// Organization returns the organization or a NotFound error.
func (s *Service) Organization(ctx context.Context, id int64) (*Organization, error) {
	return orgByID(ctx, s.db, id)
}

// SetLanguage records the language the customer reads, for the mails sent
// to them; only supported language codes are kept.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) error {
	if lang != "fr" && lang != "en" {
		return errs.Fields("unsupported language", map[string]string{"language": "must be fr or en"})
	}
	return setLanguage(ctx, s.db, id, lang)
}
