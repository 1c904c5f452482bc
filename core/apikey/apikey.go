// Package apikey owns REST API keys: random secrets with a visible prefix,
// stored only as a SHA-256 hash, scoped, revocable, with last use recorded.
// It must not import net/http or gin.
package apikey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

// Scope names what a key may do.
type Scope string

// The scopes. A key without scopes may do nothing.
const (
	TicketsRead   Scope = "tickets:read"
	TicketsWrite  Scope = "tickets:write"
	QueuesRead    Scope = "queues:read"
	QueuesWrite   Scope = "queues:write"
	CustomersRead Scope = "customers:read"
)

// AllScopes lists every scope, the default for a key created without any.
var AllScopes = []Scope{TicketsRead, TicketsWrite, QueuesRead, QueuesWrite, CustomersRead}

// Key is a stored API key; the secret itself is never kept.
type Key struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Hash       string     `json:"-"`
	Scopes     []Scope    `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Allows reports whether the key carries scope.
func (k *Key) Allows(s Scope) bool { return slices.Contains(k.Scopes, s) }

// Service manages API keys.
type Service struct{ db *bun.DB }

// NewService returns an API key service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// keyPrefix starts every key so secret scanners and people recognise it.
const keyPrefix = "gch_"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Create makes a key and returns it with its secret, shown only this once.
func (s *Service) Create(ctx context.Context, name string, scopes []Scope) (*Key, string, error) {
	name = strings.TrimSpace(name)
	f := map[string]string{}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		f["name"] = "required, at most 100 characters"
	}
	if len(scopes) == 0 {
		scopes = AllScopes
	}
	for _, sc := range scopes {
		if !slices.Contains(AllScopes, sc) {
			f["scope"] = "unknown scope " + string(sc)
		}
	}
	if len(f) > 0 {
		return nil, "", errs.Fields("invalid API key", f)
	}
	raw := make([]byte, 30)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	body := strings.ToLower(b32.EncodeToString(raw)) // 48 characters, 240 bits
	k := &Key{Name: name, Prefix: keyPrefix + body[:8], Hash: hashSecret(body), Scopes: scopes, CreatedAt: time.Now().UTC()}
	if err := insert(ctx, s.db, k); err != nil {
		return nil, "", err
	}
	return k, keyPrefix + body, nil
}

// Authenticate returns the live key matching secret and records its use. Any
// failure is the same Unauthorized error.
func (s *Service) Authenticate(ctx context.Context, secret string) (*Key, error) {
	fail := errs.E(errs.Unauthorized, "invalid or revoked API key")
	body, ok := strings.CutPrefix(secret, keyPrefix)
	if !ok || len(body) != 48 {
		return nil, fail
	}
	k, err := byPrefix(ctx, s.db, keyPrefix+body[:8])
	if errs.Is(err, errs.NotFound) {
		return nil, fail
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(k.Hash), []byte(hashSecret(body))) != 1 || k.RevokedAt != nil {
		return nil, fail
	}
	return k, touch(ctx, s.db, k)
}

// List returns every key, newest first.
func (s *Service) List(ctx context.Context) ([]Key, error) { return list(ctx, s.db) }

// Revoke disables a key at once.
func (s *Service) Revoke(ctx context.Context, id int64) error { return revoke(ctx, s.db, id) }

// hashSecret uses plain SHA-256: the secret has 240 random bits, so no
// password-style stretching is needed, and checking stays cheap per request.
func hashSecret(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}
