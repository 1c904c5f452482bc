package ticket_test

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ticket"
)

func mustAgent(tb testing.TB, bdb *bun.DB, email string) audit.Actor {
	tb.Helper()
	a, err := agent.NewService(bdb).Create(ctx, agent.Input{Email: email, Name: email, Role: agent.RoleAdmin, Password: "long enough password"})
	dbtest.Must(tb, err)
	return audit.Actor{Type: audit.ByAgent, ID: a.ID}
}

func TestLocking(t *testing.T) {
	state := func(s ticket.State) *ticket.State { return &s }
	prio := func(p int) *int { return &p }
	type step func(s *ticket.Service, number string, ana, bob audit.Actor) error
	lock := func(who func(a, b audit.Actor) audit.Actor) step {
		return func(s *ticket.Service, n string, a, b audit.Actor) error {
			_, err := s.Lock(ctx, ticket.AllQueues(), who(a, b), n)
			return err
		}
	}
	ana := func(a, _ audit.Actor) audit.Actor { return a }
	bob := func(_, b audit.Actor) audit.Actor { return b }
	reply := func(who func(a, b audit.Actor) audit.Actor, kind ticket.ArticleKind) step {
		return func(s *ticket.Service, n string, a, b audit.Actor) error {
			_, err := s.AddArticle(ctx, ticket.AllQueues(), who(a, b), n, ticket.ArticleInput{Kind: kind, Body: "x", Channel: ticket.ChannelConsole})
			return err
		}
	}
	change := func(who func(a, b audit.Actor) audit.Actor, p ticket.Patch) step {
		return func(s *ticket.Service, n string, a, b audit.Actor) error {
			_, err := s.Update(ctx, ticket.AllQueues(), who(a, b), n, p)
			return err
		}
	}
	cases := []struct {
		name       string
		setup      []step
		act        step
		want       errs.Kind
		wantLocked string // "ana", "bob" or "" after act
	}{
		{name: "taking a free ticket locks it to you", act: lock(ana), wantLocked: "ana"},
		{name: "taking your own ticket again is fine", setup: []step{lock(ana)}, act: lock(ana), wantLocked: "ana"},
		{name: "someone else cannot take a held ticket", setup: []step{lock(ana)}, act: lock(bob), want: errs.Conflict, wantLocked: "ana"},
		{name: "someone else cannot reply to the customer", setup: []step{lock(ana)}, act: reply(bob, ticket.Public), want: errs.Conflict, wantLocked: "ana"},
		{name: "someone else may add an internal note", setup: []step{lock(ana)}, act: reply(bob, ticket.Internal), wantLocked: "ana"},
		{name: "someone else cannot change it", setup: []step{lock(ana)}, act: change(bob, ticket.Patch{Priority: prio(5)}), want: errs.Conflict, wantLocked: "ana"},
		{name: "the holder replies", setup: []step{lock(ana)}, act: reply(ana, ticket.Public), wantLocked: "ana"},
		{name: "an explicit take-over moves the lock", setup: []step{lock(ana)},
			act: func(s *ticket.Service, n string, _, b audit.Actor) error {
				_, err := s.TakeOver(ctx, ticket.AllQueues(), b, n)
				return err
			}, wantLocked: "bob"},
		{name: "after a take-over the new holder replies", setup: []step{lock(ana), func(s *ticket.Service, n string, _, b audit.Actor) error {
			_, err := s.TakeOver(ctx, ticket.AllQueues(), b, n)
			return err
		}}, act: reply(bob, ticket.Public), wantLocked: "bob"},
		{name: "the holder unlocks", setup: []step{lock(ana)}, act: func(s *ticket.Service, n string, a, _ audit.Actor) error {
			_, err := s.Unlock(ctx, ticket.AllQueues(), a, n)
			return err
		}},
		{name: "someone else cannot unlock", setup: []step{lock(ana)}, act: func(s *ticket.Service, n string, _, b audit.Actor) error {
			_, err := s.Unlock(ctx, ticket.AllQueues(), b, n)
			return err
		}, want: errs.Conflict, wantLocked: "ana"},
		{name: "resolving releases the lock", setup: []step{lock(ana)}, act: change(ana, ticket.Patch{State: state(ticket.Resolved)})},
		{name: "an API key is not held back by a lock", setup: []step{lock(ana)}, act: func(s *ticket.Service, n string, _, _ audit.Actor) error {
			_, err := s.AddArticle(ctx, ticket.AllQueues(), apiKey, n, ticket.ArticleInput{Kind: ticket.Public, Body: "x"})
			return err
		}, wantLocked: "ana"},
		{name: "read-only access cannot lock", act: func(s *ticket.Service, n string, a, _ audit.Actor) error {
			_, err := s.Lock(ctx, ticket.Queues([]int64{1}, nil), a, n)
			return err
		}, want: errs.Forbidden},
		{name: "an API key cannot lock", act: func(s *ticket.Service, n string, _, _ audit.Actor) error {
			_, err := s.Lock(ctx, ticket.AllQueues(), apiKey, n)
			return err
		}, want: errs.Forbidden},
	}
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		a, b := mustAgent(t, bdb, "ana@example.com"), mustAgent(t, bdb, "bob@example.com")
		names := map[int64]string{0: "", a.ID: "ana", b.ID: "bob"}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tk := mustOpen(t, s, ticket.OpenInput{Subject: tc.name})
				for _, st := range tc.setup {
					dbtest.Must(t, st(s, tk.Number, a, b))
				}
				err := tc.act(s, tk.Number, a, b)
				if errs.KindOf(err) != tc.want {
					t.Fatalf("error = %v, want kind %q", err, tc.want)
				}
				got, err := s.Get(ctx, ticket.AllQueues(), tk.Number)
				dbtest.Must(t, err)
				if names[got.LockedBy] != tc.wantLocked {
					t.Errorf("locked by %q, want %q", names[got.LockedBy], tc.wantLocked)
				}
				if tc.wantLocked != "" && names[got.OwnerID] != tc.wantLocked {
					t.Errorf("owner %q, want the lock holder %q", names[got.OwnerID], tc.wantLocked)
				}
			})
		}
	})
}

func TestLockConflictNamesTheHolder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		a, b := mustAgent(t, bdb, "ana@example.com"), mustAgent(t, bdb, "bob@example.com")
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "x"})
		_, err := s.Lock(ctx, ticket.AllQueues(), a, tk.Number)
		dbtest.Must(t, err)
		_, err = s.Lock(ctx, ticket.AllQueues(), b, tk.Number)
		if e := errs.As(err); e == nil || e.Fields["locked_by"] != "ana@example.com" {
			t.Errorf("conflict = %v, want it to name ana@example.com", err)
		}
		sum, err := s.Summary(ctx, ticket.AllQueues(), tk.Number)
		dbtest.Must(t, err)
		if sum.LockedByName != "ana@example.com" {
			t.Errorf("summary locked_by_name = %q", sum.LockedByName)
		}
		h, err := s.History(ctx, ticket.AllQueues(), tk)
		dbtest.Must(t, err)
		if len(h) < 2 || h[len(h)-1].Action != "ticket.lock" {
			t.Errorf("history = %+v, want it to end with ticket.lock", h)
		}
	})
}

func TestFacetsAndFingerprint(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, qs := newService(bdb)
		q2 := mustQueue(t, qs, "Réseau")
		mustOpen(t, s, ticket.OpenInput{Subject: "a"})
		mustOpen(t, s, ticket.OpenInput{Subject: "b", Priority: 5})
		mustOpen(t, s, ticket.OpenInput{Subject: "c", QueueID: q2, Type: ticket.Problem, CustomerEmail: "zoe@example.org"})
		count := func(fc []ticket.FacetCount, v string) int {
			for _, c := range fc {
				if c.Value == v {
					return c.Count
				}
			}
			return 0
		}
		cases := []struct {
			name  string
			scope ticket.Scope
			q     ticket.ListQuery
			check func(f *ticket.Facets) bool
		}{
			{"all queues", ticket.AllQueues(), ticket.ListQuery{}, func(f *ticket.Facets) bool {
				return count(f.State, "new") == 3 && count(f.Queue, "1") == 2 && count(f.Owner, "") == 3 && count(f.Priority, "5") == 1
			}},
			{"a queue filter keeps the other queues' counts", ticket.AllQueues(), ticket.ListQuery{QueueID: q2}, func(f *ticket.Facets) bool {
				return count(f.Queue, "1") == 2 && count(f.State, "new") == 1 && count(f.Type, "problem") == 1
			}},
			{"text search", ticket.AllQueues(), ticket.ListQuery{Text: "zoe@"}, func(f *ticket.Facets) bool {
				return count(f.State, "new") == 1
			}},
			{"scope limits every count", ticket.Queues([]int64{q2}, nil), ticket.ListQuery{}, func(f *ticket.Facets) bool {
				return count(f.State, "new") == 1 && count(f.Queue, "1") == 0 && len(f.Queue) == 1
			}},
			{"no scope counts nothing", ticket.Scope{}, ticket.ListQuery{}, func(f *ticket.Facets) bool {
				return len(f.State)+len(f.Queue)+len(f.Owner)+len(f.Type)+len(f.Priority) == 0
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f, err := s.Facets(ctx, tc.scope, tc.q)
				dbtest.Must(t, err)
				if !tc.check(f) {
					t.Errorf("facets = %+v", f)
				}
			})
		}
		before, err := s.Fingerprint(ctx, ticket.AllQueues(), "")
		dbtest.Must(t, err)
		other, err := s.Fingerprint(ctx, ticket.Queues([]int64{q2}, nil), "")
		dbtest.Must(t, err)
		mustOpen(t, s, ticket.OpenInput{Subject: "d"})
		after, err := s.Fingerprint(ctx, ticket.AllQueues(), "")
		dbtest.Must(t, err)
		otherAfter, err := s.Fingerprint(ctx, ticket.Queues([]int64{q2}, nil), "")
		dbtest.Must(t, err)
		if before == after || other != otherAfter {
			t.Errorf("fingerprints: all %q → %q (must change), queue 2 %q → %q (must not)", before, after, other, otherAfter)
		}
	})
}

func mustQueue(tb testing.TB, qs *queue.Service, name string) int64 {
	tb.Helper()
	q, err := qs.Create(ctx, queue.Input{Name: name})
	dbtest.Must(tb, err)
	return q.ID
}

// TestUpdateNeedsWriteAccess: read access shows a ticket but never changes it.
func TestUpdateNeedsWriteAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		a := mustAgent(t, bdb, "ana@example.com")
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "x"})
		p := 5
		cases := []struct {
			name  string
			scope ticket.Scope
			want  errs.Kind
		}{
			{"read access", ticket.Queues([]int64{tk.QueueID}, nil), errs.Forbidden},
			{"no access", ticket.Queues(nil, nil), errs.NotFound},
			{"write access", ticket.Queues(nil, []int64{tk.QueueID}), ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Update(ctx, tc.scope, a, tk.Number, ticket.Patch{Priority: &p})
				if errs.KindOf(err) != tc.want {
					t.Errorf("Update = %v, want kind %q", err, tc.want)
				}
			})
		}
	})
}

// TestMoveToAnotherQueue guards against a deadlock: checking the target
// queue must not wait on SQLite's only connection while the change holds it.
func TestMoveToAnotherQueue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, qs := newService(bdb)
		a := mustAgent(t, bdb, "ana@example.com")
		q2 := mustQueue(t, qs, "Réseau")
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "x"})
		cases := []struct {
			name  string
			queue int64
			want  errs.Kind
		}{
			{"to an existing queue", q2, ""},
			{"to no such queue", 9999, errs.Invalid},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				done := make(chan error, 1)
				go func() {
					_, err := s.Update(ctx, ticket.AllQueues(), a, tk.Number, ticket.Patch{QueueID: &tc.queue})
					done <- err
				}()
				select {
				case err := <-done:
					if errs.KindOf(err) != tc.want {
						t.Errorf("Update = %v, want kind %q", err, tc.want)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("moving a ticket hangs")
				}
			})
		}
	})
}
