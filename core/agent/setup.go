package agent

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/guichet/guichet/core/errs"
)

// SetupTokenTTL is how long a first-run setup URL stays valid.
const SetupTokenTTL = 24 * time.Hour

// IssueSetupToken returns a new single-use token for creating the first
// admin, valid for SetupTokenTTL, or "" when agents already exist. Only its
// hash is stored.
func (s *Service) IssueSetupToken(ctx context.Context) (string, error) {
	n, err := s.Count(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, insertSetupToken(ctx, s.db, hashToken(token), SetupTokenTTL)
}

// CheckSetupToken reports whether token is unused, unexpired, and no agent
// exists yet, without consuming it (for showing the setup form).
func (s *Service) CheckSetupToken(ctx context.Context, token string) error {
	return checkSetupToken(ctx, s.db, hashToken(token))
}

// CreateFirstAdmin consumes token and creates an admin from in, in one
// transaction: the token works once, and only while no agent exists.
func (s *Service) CreateFirstAdmin(ctx context.Context, token string, in Input) (*Agent, error) {
	in.Role = RoleAdmin
	a, err := newAgent(in)
	if err != nil {
		return nil, err
	}
	return a, consumeSetupToken(ctx, s.db, hashToken(token), a)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errSetupToken = errs.E(errs.NotFound, "this setup link is invalid, used or expired; run `guichet serve` again to get a new one")
