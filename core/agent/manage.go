package agent

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
)

// Languages lists the interface languages an agent may choose; "" follows
// the browser and the helpdesk default.
var Languages = []string{"", "fr", "en"}

// Profile is what an admin may change on an agent (and an agent on
// themselves, except the role).
type Profile struct {
	Email    string
	Name     string
	Role     Role
	Language string
}

func (p *Profile) validate() error {
	f := map[string]string{}
	email, err := customer.NormalizeEmail(p.Email)
	if err != nil {
		f["email"] = "must be an address such as ana@example.com"
	}
	p.Email = email
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 200 {
		f["name"] = "required, at most 200 characters"
	}
	if p.Role != RoleAdmin && p.Role != RoleAgent {
		f["role"] = "must be admin or agent"
	}
	if !slices.Contains(Languages, p.Language) {
		f["language"] = "must be fr, en or empty"
	}
	if len(f) > 0 {
		return errs.Fields("invalid agent", f)
	}
	return nil
}

// Update changes an agent's profile. The last enabled admin cannot stop being
// one, so the helpdesk always keeps someone who can administer it.
func (s *Service) Update(ctx context.Context, id int64, p Profile) (*Agent, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return updateProfile(ctx, s.db, id, p)
}

// SetLanguage records an agent's interface language ("" to follow the
// browser).
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) error {
	if !slices.Contains(Languages, lang) {
		return errs.Fields("invalid language", map[string]string{"language": "must be fr, en or empty"})
	}
	return setLanguage(ctx, s.db, id, lang)
}

// SetDisabled disables or re-enables an agent. Disabling signs them out
// everywhere at once; the last enabled admin cannot be disabled.
func (s *Service) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	return setDisabled(ctx, s.db, id, disabled)
}

// ChangePassword replaces an agent's password after checking the current
// one, and ends every other session of theirs (keepSession stays open).
func (s *Service) ChangePassword(ctx context.Context, id int64, current, next, keepSession string) error {
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if !CheckPassword(a.PasswordHash, current) {
		return errs.Fields("wrong password", map[string]string{"current": "does not match your password"})
	}
	if utf8.RuneCountInString(next) < MinPasswordLength || len(next) > 1024 {
		return errs.Fields("invalid password", map[string]string{"password": "at least 10 characters"})
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return setPassword(ctx, s.db, id, hash, hashToken(keepSession))
}

// QueuePermission is an agent's access to one queue and whether they follow
// it (subscribed queues make the "my queues" view and notifications).
type QueuePermission struct {
	QueueID    int64  `bun:"queue_id"`
	Access     Access `bun:"access"`
	Subscribed bool   `bun:"subscribed"`
}

// Permissions returns an agent's rows, one per queue they may access.
func (s *Service) Permissions(ctx context.Context, agentID int64) ([]QueuePermission, error) {
	return permissions(ctx, s.db, agentID)
}

// Subscribe follows or unfollows a queue the agent has access to.
func (s *Service) Subscribe(ctx context.Context, agentID, queueID int64, on bool) error {
	return subscribe(ctx, s.db, agentID, queueID, on)
}
