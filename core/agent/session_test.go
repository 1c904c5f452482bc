package agent_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

var ctx = context.Background()

func mustAgent(tb testing.TB, s *agent.Service, email string, role agent.Role) *agent.Agent {
	tb.Helper()
	a, err := s.Create(ctx, agent.Input{Email: email, Name: email, Role: role, Password: "correct horse battery"})
	dbtest.Must(tb, err)
	return a
}

func TestSessions(t *testing.T) {
	cases := []struct {
		name   string
		before func(tb testing.TB, bdb *bun.DB, s *agent.Service, a *agent.Agent, id string)
		want   errs.Kind
	}{
		{name: "fresh session works", before: func(testing.TB, *bun.DB, *agent.Service, *agent.Agent, string) {}},
		{name: "idle more than an hour", want: errs.Unauthorized, before: func(tb testing.TB, bdb *bun.DB, _ *agent.Service, _ *agent.Agent, _ string) {
			_, err := bdb.NewRaw("UPDATE agent_sessions SET last_seen_at = ?", time.Now().UTC().Add(-61*time.Minute)).Exec(ctx)
			dbtest.Must(tb, err)
		}},
		{name: "past the absolute end", want: errs.Unauthorized, before: func(tb testing.TB, bdb *bun.DB, _ *agent.Service, _ *agent.Agent, _ string) {
			_, err := bdb.NewRaw("UPDATE agent_sessions SET expires_at = ?", time.Now().UTC().Add(-time.Second)).Exec(ctx)
			dbtest.Must(tb, err)
		}},
		{name: "signed out", want: errs.Unauthorized, before: func(tb testing.TB, _ *bun.DB, s *agent.Service, _ *agent.Agent, id string) {
			dbtest.Must(tb, s.EndSession(ctx, id))
		}},
		{name: "agent disabled", want: errs.Unauthorized, before: func(tb testing.TB, _ *bun.DB, s *agent.Service, a *agent.Agent, _ string) {
			dbtest.Must(tb, s.SetDisabled(ctx, a.ID, true))
		}},
		{name: "password changed from another session", want: errs.Unauthorized, before: func(tb testing.TB, _ *bun.DB, s *agent.Service, a *agent.Agent, _ string) {
			other, err := s.StartSession(ctx, a.ID, "", "")
			dbtest.Must(tb, err)
			dbtest.Must(tb, s.ChangePassword(ctx, a.ID, "correct horse battery", "another long password", other))
			if _, err := s.SessionAgent(ctx, other); err != nil {
				tb.Errorf("the session that changed the password was ended: %v", err)
			}
		}},
	}
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := bdb.NewRaw("DELETE FROM agent_sessions").Exec(ctx)
				dbtest.Must(t, err)
				_, err = bdb.NewRaw("DELETE FROM agents").Exec(ctx)
				dbtest.Must(t, err)
				s := agent.NewService(bdb)
				mustAgent(t, s, "boss@example.com", agent.RoleAdmin)
				a := mustAgent(t, s, "ana@example.com", agent.RoleAgent)
				id, err := s.StartSession(ctx, a.ID, "192.0.2.1", "test")
				dbtest.Must(t, err)
				if len(id) != 43 {
					t.Fatalf("session id %q is not 256 bits in base64url", id)
				}
				tc.before(t, bdb, s, a, id)
				got, err := s.SessionAgent(ctx, id)
				if errs.KindOf(err) != tc.want {
					t.Fatalf("SessionAgent error = %v, want kind %q", err, tc.want)
				}
				if tc.want == "" && got.ID != a.ID {
					t.Errorf("session belongs to agent %d, want %d", got.ID, a.ID)
				}
			})
		}
	})
}

func TestSessionIDIsStoredHashed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := agent.NewService(bdb)
		a := mustAgent(t, s, "ana@example.com", agent.RoleAdmin)
		id, err := s.StartSession(ctx, a.ID, "", "")
		dbtest.Must(t, err)
		n, err := bdb.NewSelect().Table("agent_sessions").Where("id_hash = ?", id).Count(ctx)
		dbtest.Must(t, err)
		if n != 0 {
			t.Error("the raw session id is stored in the database")
		}
	})
}

func TestLastAdminStays(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := agent.NewService(bdb)
		boss := mustAgent(t, s, "boss@example.com", agent.RoleAdmin)
		cases := []struct {
			name string
			do   func() error
		}{
			{"disable the last admin", func() error { return s.SetDisabled(ctx, boss.ID, true) }},
			{"demote the last admin", func() error {
				_, err := s.Update(ctx, boss.ID, agent.Profile{Email: boss.Email, Name: boss.Name, Role: agent.RoleAgent})
				return err
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if err := tc.do(); !errs.Is(err, errs.Conflict) {
					t.Errorf("got %v, want a conflict", err)
				}
			})
		}
	})
}

func TestSubscribeNeedsAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := agent.NewService(bdb)
		a := mustAgent(t, s, "ana@example.com", agent.RoleAgent)
		if err := s.Subscribe(ctx, a.ID, 1, true); !errs.Is(err, errs.Invalid) {
			t.Errorf("subscribing without access: %v, want invalid", err)
		}
		dbtest.Must(t, s.SetQueueAccess(ctx, a.ID, 1, agent.Read))
		dbtest.Must(t, s.Subscribe(ctx, a.ID, 1, true))
		p, err := s.Permissions(ctx, a.ID)
		dbtest.Must(t, err)
		if len(p) != 1 || !p[0].Subscribed || p[0].Access != agent.Read {
			t.Errorf("permissions = %+v", p)
		}
	})
}

func TestSignInSweepsDeadSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := agent.NewService(bdb)
		a := mustAgent(t, s, "ana@example.com", agent.RoleAdmin)
		old, err := s.StartSession(ctx, a.ID, "", "")
		dbtest.Must(t, err)
		_, err = bdb.NewRaw("UPDATE agent_sessions SET last_seen_at = ?", time.Now().UTC().Add(-2*time.Hour)).Exec(ctx)
		dbtest.Must(t, err)
		_, err = s.StartSession(ctx, a.ID, "", "")
		dbtest.Must(t, err)
		n, err := bdb.NewSelect().Table("agent_sessions").Count(ctx)
		dbtest.Must(t, err)
		if n != 1 {
			t.Errorf("%d sessions after signing in again, want only the new one", n)
		}
		if _, err := s.SessionAgent(ctx, old); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("the idle session still works: %v", err)
		}
	})
}
