package ticket

import (
	"context"
	"fmt"

	"github.com/guichet/guichet/core/audit"
)

// FacetCount is how many tickets have one value of a facet.
type FacetCount struct {
	Value string `bun:"k" json:"value"`
	Count int    `bun:"n" json:"count"`
}

// Facets counts the tickets a list could show, per value of each facet.
// Each facet is counted with every filter of the query except its own, so
// choosing a queue still shows how many tickets the other queues hold. Owner
// "" counts unassigned tickets.
type Facets struct {
	State    []FacetCount `json:"state"`
	Queue    []FacetCount `json:"queue"`
	Owner    []FacetCount `json:"owner"`
	Type     []FacetCount `json:"type"`
	Priority []FacetCount `json:"priority"`
}

// Facets counts the tickets scope may read that match q (sort, limit and
// cursor are ignored).
func (s *Service) Facets(ctx context.Context, scope Scope, q ListQuery) (*Facets, error) {
	q.Sort, q.Cursor, q.Limit = "", "", 0
	if _, _, _, err := q.normalize(); err != nil {
		return nil, err
	}
	f := &Facets{}
	runs := []struct {
		col    string
		dst    *[]FacetCount
		active bool
		clear  func(*ListQuery)
	}{
		{"state", &f.State, len(q.States) > 0, func(q *ListQuery) { q.States = nil }},
		{"queue_id", &f.Queue, q.QueueID != 0, func(q *ListQuery) { q.QueueID = 0 }},
		{"owner_id", &f.Owner, q.OwnerID != 0 || q.Unassigned, func(q *ListQuery) { q.OwnerID, q.Unassigned = 0, false }},
		{"type", &f.Type, q.Type != "", func(q *ListQuery) { q.Type = "" }},
		{"priority", &f.Priority, q.Priority != 0, func(q *ListQuery) { q.Priority = 0 }},
	}
	// Facets whose own filter is not applied all count the same rows: one
	// grouped scan serves them together. Each applied facet needs its own.
	shared, err := countAll(ctx, s.db, scope, q)
	if err != nil {
		return nil, err
	}
	for i, r := range runs {
		if !r.active {
			*r.dst = shared[i]
			continue
		}
		fq := q
		r.clear(&fq)
		out, err := countBy(ctx, s.db, scope, fq, r.col)
		if err != nil {
			return nil, err
		}
		*r.dst = out
	}
	return f, nil
}

// Fingerprint summarises the tickets scope may read (or, with a number, that
// one ticket) so a page can tell cheaply whether anything changed since it
// was drawn: it changes whenever a ticket is opened, changed, answered or
// leaves the scope.
func (s *Service) Fingerprint(ctx context.Context, scope Scope, number string) (string, error) {
	if number != "" {
		t, err := s.Get(ctx, scope, number)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("t%d-%d-%d", t.ID, t.UpdatedAt.UnixMicro(), t.LockedBy), nil
	}
	n, last, err := fingerprint(ctx, s.db, scope)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("l%d-%s", n, last), nil
}

// History returns the audit entries of a ticket scope may read, oldest first.
func (s *Service) History(ctx context.Context, scope Scope, t *Ticket) ([]audit.Entry, error) {
	if !scope.CanRead(t) {
		return nil, errNotFound
	}
	return audit.ForTicket(ctx, s.db, t.ID)
}
