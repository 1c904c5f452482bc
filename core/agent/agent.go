// Package agent owns agents (the people who answer tickets), their roles,
// passwords (argon2id), per-queue permissions, and the one-time setup token
// that creates the first admin. It must not import net/http or gin.
package agent

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
)

// Role says what an agent may do beyond their queues.
type Role string

// The roles.
const (
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// Access is an agent's right on one queue.
type Access string

// The access levels; no row means no access.
const (
	Read  Access = "read"
	Write Access = "write"
)

// Agent is a member of the support team.
type Agent struct {
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	Email         string     `bun:"email" json:"email"`
	Name          string     `bun:"name" json:"name"`
	Role          Role       `bun:"role" json:"role"`
	PasswordHash  string     `bun:"password_hash" json:"-"`
	Language      string     `bun:"language" json:"language,omitempty"`
	DisabledAt    *time.Time `bun:"disabled_at" json:"disabled_at,omitempty"`
	LastLoginAt   *time.Time `bun:"last_login_at" json:"last_login_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
	bun.BaseModel `bun:"table:agents"`
}

// IsAdmin reports whether the agent administers Guichet.
func (a *Agent) IsAdmin() bool { return a.Role == RoleAdmin }

// Input is what creating an agent takes.
type Input struct {
	Email    string
	Name     string
	Role     Role
	Password string
	Language string
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

func (in *Input) validate() error {
	f := map[string]string{}
	email, err := customer.NormalizeEmail(in.Email)
	if err != nil {
		f["email"] = "must be an address such as ana@example.com"
	}
	in.Email = email
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		f["name"] = "required"
	} else if utf8.RuneCountInString(in.Name) > 200 {
		f["name"] = "at most 200 characters"
	}
	if in.Role != RoleAdmin && in.Role != RoleAgent {
		f["role"] = "must be admin or agent"
	}
	if utf8.RuneCountInString(in.Password) < MinPasswordLength {
		f["password"] = "at least 10 characters"
	} else if len(in.Password) > 1024 {
		f["password"] = "at most 1024 bytes"
	}
	if len(f) > 0 {
		return errs.Fields("invalid agent", f)
	}
	return nil
}

// Service manages agents.
type Service struct{ db *bun.DB }

// NewService returns an agent service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// Create adds an agent; an address already used is a Conflict.
func (s *Service) Create(ctx context.Context, in Input) (*Agent, error) {
	a, err := newAgent(in)
	if err != nil {
		return nil, err
	}
	return a, insert(ctx, s.db, a)
}

// newAgent validates in and builds the agent to store, password hashed.
func newAgent(in Input) (*Agent, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	return &Agent{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash, Language: in.Language, CreatedAt: now, UpdatedAt: now}, nil
}

// Count returns how many agents exist, disabled ones included.
func (s *Service) Count(ctx context.Context) (int, error) { return count(ctx, s.db) }

// Get returns an agent or NotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Agent, error) { return byID(ctx, s.db, id) }

// List returns every agent by name.
func (s *Service) List(ctx context.Context) ([]Agent, error) { return list(ctx, s.db) }

// Authenticate returns the enabled agent with that address and password. Any
// failure is the same Unauthorized error, and an unknown address costs the
// same hashing time as a wrong password.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*Agent, error) {
	fail := errs.E(errs.Unauthorized, "wrong email or password")
	norm, err := customer.NormalizeEmail(email)
	if err != nil {
		CheckPassword(dummyHash, password)
		return nil, fail
	}
	a, err := byEmail(ctx, s.db, norm)
	if errs.Is(err, errs.NotFound) {
		CheckPassword(dummyHash, password)
		return nil, fail
	}
	if err != nil {
		return nil, err
	}
	if !CheckPassword(a.PasswordHash, password) || a.DisabledAt != nil {
		return nil, fail
	}
	return a, touchLogin(ctx, s.db, a.ID)
}

// QueueAccess returns the agent's access per queue id.
func (s *Service) QueueAccess(ctx context.Context, agentID int64) (map[int64]Access, error) {
	return queueAccess(ctx, s.db, agentID)
}

// SetQueueAccess grants access on a queue; "" removes it.
func (s *Service) SetQueueAccess(ctx context.Context, agentID, queueID int64, access Access) error {
	if access != "" && access != Read && access != Write {
		return errs.Fields("invalid access", map[string]string{"access": "must be read or write"})
	}
	return setQueueAccess(ctx, s.db, agentID, queueID, access)
}
