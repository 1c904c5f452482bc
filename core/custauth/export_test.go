package custauth

import (
	"context"
	"time"
)

// ExpireFlow moves a flow's code expiry to at.
func (s *Service) ExpireFlow(ctx context.Context, flow string, at time.Time) error {
	return expireCode(ctx, s.db, digest(flow), at)
}
