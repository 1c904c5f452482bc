package ticket_test

import (
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
)

func TestCanReopen(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { x := now.Add(-d); return &x }
	day := 24 * time.Hour
	cases := []struct {
		name   string
		state  ticket.State
		closed *time.Time
		window int
		want   ticket.ReopenVerdict
	}{
		{"open ticket", ticket.Open, nil, 30, ticket.ReopenNotClosed},
		{"new ticket", ticket.New, nil, -1, ticket.ReopenNotClosed},
		{"resolved, window off", ticket.Resolved, nil, 0, ticket.ReopenAllowed},
		{"closed, window off", ticket.Closed, ago(time.Minute), 0, ticket.ReopenDisabled},
		{"closed, unlimited", ticket.Closed, ago(5000 * day), -1, ticket.ReopenAllowed},
		{"closed inside the window", ticket.Closed, ago(29 * day), 30, ticket.ReopenAllowed},
		{"closed exactly at the window", ticket.Closed, ago(30 * day), 30, ticket.ReopenAllowed},
		{"closed past the window", ticket.Closed, ago(30*day + time.Second), 30, ticket.ReopenExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tk := &ticket.Ticket{State: tc.state, ClosedAt: tc.closed}
			if got := ticket.CanReopen(tk, tc.window, now); got != tc.want {
				t.Errorf("CanReopen = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCloseAndReopen(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "Écran noir", CustomerEmail: "ana@example.com"})
		other := mustOpen(t, s, ticket.OpenInput{Subject: "Autre", CustomerEmail: "bob@example.com"})
		me := ticket.OwnTickets(tk.CustomerID)
		actor := audit.Actor{Type: audit.ByCustomer, ID: tk.CustomerID}
		if _, err := s.Close(ctx, me, actor, other.Number); !errs.Is(err, errs.NotFound) {
			t.Errorf("closing another customer's ticket: %v, want NotFound", err)
		}
		if _, err := s.Reopen(ctx, me, actor, tk.Number, 30); !errs.Is(err, errs.Conflict) {
			t.Errorf("reopening an open ticket: %v, want Conflict", err)
		}
		got, err := s.Close(ctx, me, actor, tk.Number)
		if err != nil || got.State != ticket.Closed || got.ClosedAt == nil {
			t.Fatalf("close: %+v, %v", got, err)
		}
		if _, err := s.Close(ctx, me, actor, tk.Number); !errs.Is(err, errs.Conflict) {
			t.Errorf("closing twice: %v, want Conflict", err)
		}
		if _, err := s.AddArticle(ctx, me, actor, tk.Number, ticket.ArticleInput{Kind: ticket.Public, Body: "encore"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("replying to a closed ticket: %v, want Conflict", err)
		}
		if _, err := s.Reopen(ctx, me, actor, tk.Number, 0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("reopen with the window off: %v, want Forbidden", err)
		}
		_, err = bdb.NewRaw("UPDATE tickets SET closed_at = ? WHERE id = ?", time.Now().UTC().Add(-40*24*time.Hour), tk.ID).Exec(ctx)
		dbtest.Must(t, err)
		if _, err := s.Reopen(ctx, me, actor, tk.Number, 30); !errs.Is(err, errs.Forbidden) || !strings.Contains(err.Error(), "30 days") {
			t.Errorf("reopen after the window: %v, want Forbidden naming the window", err)
		}
		got, err = s.Reopen(ctx, me, actor, tk.Number, -1)
		if err != nil || got.State != ticket.Open || got.ClosedAt != nil {
			t.Fatalf("reopen: %+v, %v", got, err)
		}
	})
}

func TestLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		links := ticket.NewLinks(s, settings.NewService(bdb))
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "Lien", CustomerEmail: "ana@example.com"})
		other := mustOpen(t, s, ticket.OpenInput{Subject: "Autre", CustomerEmail: "bob@example.com"})
		token, err := links.Token(ctx, tk)
		dbtest.Must(t, err)
		if len(token) != ticket.LinkTokenLen {
			t.Fatalf("token length %d", len(token))
		}
		otherToken, _ := links.Token(ctx, other)
		if got, err := links.Open(ctx, strings.ToLower(tk.Number), token); err != nil || got.ID != tk.ID {
			t.Fatalf("open with the right token: %v", err)
		}
		bad := []struct{ name, number, token string }{
			{"empty token", tk.Number, ""},
			{"one character short", tk.Number, token[:ticket.LinkTokenLen-1]},
			{"one character more", tk.Number, token + "A"},
			{"full 43-character MAC", tk.Number, token + strings.Repeat("A", 21)},
			{"flipped character", tk.Number, flip(token)},
			{"another ticket's token", tk.Number, otherToken},
			{"unknown number", "ZZZZZ", token},
			{"empty number", "", token},
		}
		for _, tc := range bad {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := links.Open(ctx, tc.number, tc.token); !errs.Is(err, errs.NotFound) {
					t.Errorf("Open = %v, want NotFound", err)
				}
			})
		}
		_, err = s.RotateLink(ctx, ticket.AllQueues(), audit.System, tk.Number)
		dbtest.Must(t, err)
		if _, err := links.Open(ctx, tk.Number, token); !errs.Is(err, errs.NotFound) {
			t.Errorf("old link after rotation: %v, want NotFound", err)
		}
	})
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}
