package agent

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/guichet/guichet/core/errs"
)

// Session lifetimes: a session ends 12 hours after sign-in whatever happens,
// and after one hour without a request.
const (
	SessionAbsolute = 12 * time.Hour
	SessionIdle     = time.Hour
)

// sessionTouchEvery limits writes: last_seen_at moves at most once a minute,
// which is precise enough for a one-hour idle timeout.
const sessionTouchEvery = time.Minute

var errNoSession = errs.E(errs.Unauthorized, "please sign in")

// StartSession opens a session for an agent who just proved who they are and
// returns its id, 256 random bits shown to the browser once. Only the id's
// hash is stored. A fresh id at every sign-in means no session fixation.
func (s *Service) StartSession(ctx context.Context, agentID int64, ip, userAgent string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	return id, insertSession(ctx, s.db, hashToken(id), agentID, ip, userAgent)
}

// SessionAgent returns the enabled agent of a live session and records the
// activity. Unknown, expired, idle or disabled: the same Unauthorized error.
func (s *Service) SessionAgent(ctx context.Context, id string) (*Agent, error) {
	if len(id) != 43 {
		return nil, errNoSession
	}
	return sessionAgent(ctx, s.db, hashToken(id))
}

// EndSession signs a session out; an unknown id is not an error.
func (s *Service) EndSession(ctx context.Context, id string) error {
	return deleteSessions(ctx, s.db, "id_hash = ?", hashToken(id))
}

// EndSessions signs an agent out everywhere (after a password change or when
// an admin disables them).
func (s *Service) EndSessions(ctx context.Context, agentID int64) error {
	return deleteSessions(ctx, s.db, "agent_id = ?", agentID)
}

// PruneSessions deletes sessions that can no longer be used.
func (s *Service) PruneSessions(ctx context.Context) error { return pruneSessions(ctx, s.db) }
