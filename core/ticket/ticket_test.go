package ticket_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
)

var (
	ctx    = context.Background()
	apiKey = audit.Actor{Type: audit.ByAPIKey, ID: 1}
)

func newService(bdb *bun.DB) (*ticket.Service, *queue.Service) {
	qs := queue.NewService(bdb)
	return ticket.NewService(bdb, qs), qs
}

func mustOpen(tb testing.TB, s *ticket.Service, in ticket.OpenInput) *ticket.Ticket {
	tb.Helper()
	if in.Body == "" {
		in.Body = "body"
	}
	if in.CustomerEmail == "" {
		in.CustomerEmail = "ana@example.com"
	}
	t, _, err := s.Open(ctx, apiKey, in)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	return t
}

func TestOpenAndGet(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "Imprimante", Body: "Elle ne marche plus.\nMerci", CustomerEmail: "Ana@Example.com", CustomerName: "Ana"})
		if ticket.NormalizeNumber(tk.Number) != tk.Number {
			t.Errorf("number %q is not a normalised Crockford number", tk.Number)
		}
		if tk.State != ticket.New || tk.Priority != ticket.DefaultPriority || tk.Type != ticket.Incident || len(tk.LinkSecret) != 32 {
			t.Errorf("defaults not applied: %+v", tk)
		}
		got, err := s.Get(ctx, ticket.AllQueues(), strings.ToLower(tk.Number))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != tk.ID || !got.CreatedAt.Equal(tk.CreatedAt) {
			t.Errorf("Get = %+v, want %+v", got, tk)
		}
		arts, err := s.Articles(ctx, ticket.AllQueues(), got)
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 1 || arts[0].BodyText != "Elle ne marche plus.\nMerci" || !strings.Contains(arts[0].BodyHTML, "<br>") ||
			arts[0].AuthorType != ticket.AuthorCustomer || arts[0].AuthorName != "Ana" {
			t.Errorf("articles = %+v", arts)
		}
		n, err := jobs.Pending(ctx, bdb, ticket.EventTicketCreated)
		if err != nil || n != 1 {
			t.Errorf("pending ticket.created events = %d (%v), want 1", n, err)
		}
	})
}

func TestOpenRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		in    ticket.OpenInput
		field string
	}{
		{"no subject", ticket.OpenInput{Body: "b", CustomerEmail: "a@b.co"}, "subject"},
		{"multi-line subject", ticket.OpenInput{Subject: "a\r\nBcc: x", Body: "b", CustomerEmail: "a@b.co"}, "subject"},
		{"no body", ticket.OpenInput{Subject: "s", Body: "  ", CustomerEmail: "a@b.co"}, "body"},
		{"bad email", ticket.OpenInput{Subject: "s", Body: "b", CustomerEmail: "Ana <a@b.co>"}, "customer_email"},
		{"bad priority", ticket.OpenInput{Subject: "s", Body: "b", CustomerEmail: "a@b.co", Priority: 9}, "priority"},
		{"bad type", ticket.OpenInput{Subject: "s", Body: "b", CustomerEmail: "a@b.co", Type: "bug"}, "type"},
		{"unknown queue", ticket.OpenInput{Subject: "s", Body: "b", CustomerEmail: "a@b.co", QueueID: 999}, "queue"},
	}
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := s.Open(ctx, apiKey, tc.in)
				e := errs.As(err)
				if e == nil || e.Kind != errs.Invalid || e.Fields[tc.field] == "" {
					t.Fatalf("err = %v, want invalid naming %q", err, tc.field)
				}
			})
		}
		var n int
		if err := bdb.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("tickets after refused input = %d (%v), want 0", n, err)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		in := ticket.OpenInput{Subject: "Once", Body: "b", CustomerEmail: "a@b.co", IdempotencyKey: "k1", IdempotencyScope: "key:1"}
		var wg sync.WaitGroup
		numbers := make([]string, 8)
		errors := make([]error, 8)
		for i := range numbers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tk, _, err := s.Open(ctx, apiKey, in)
				errors[i] = err
				if err == nil {
					numbers[i] = tk.Number
				}
			}()
		}
		wg.Wait()
		for i := range numbers {
			if errors[i] != nil || numbers[i] != numbers[0] {
				t.Fatalf("concurrent retries: numbers %v, errors %v", numbers, errors)
			}
		}
		var n int
		bdb.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &n)
		if n != 1 {
			t.Errorf("tickets = %d, want 1", n)
		}
		in.Subject = "Different"
		if _, _, err := s.Open(ctx, apiKey, in); !errs.Is(err, errs.Conflict) {
			t.Errorf("same key, other request: err = %v, want conflict", err)
		}
		in.IdempotencyScope = "key:2"
		if _, replayed, err := s.Open(ctx, apiKey, in); err != nil || replayed {
			t.Errorf("same key in another scope: replayed=%v err=%v, want a new ticket", replayed, err)
		}
	})
}

func TestScopeHidesOtherQueuesAndCustomers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, qs := newService(bdb)
		sales, err := qs.Create(ctx, queue.Input{Name: "Ventes"})
		dbtest.Must(t, err)
		def, err := qs.Default(ctx)
		dbtest.Must(t, err)
		inSales := mustOpen(t, s, ticket.OpenInput{Subject: "sales", QueueID: sales.ID, CustomerEmail: "bob@example.com"})
		inDefault := mustOpen(t, s, ticket.OpenInput{Subject: "support"})
		bob := inSales.CustomerID
		cases := []struct {
			name   string
			scope  ticket.Scope
			number string
			want   bool
		}{
			{"zero scope sees nothing", ticket.Scope{}, inDefault.Number, false},
			{"queue reader sees own queue", ticket.Queues([]int64{def.ID}, nil), inDefault.Number, true},
			{"queue reader not other queue", ticket.Queues([]int64{def.ID}, nil), inSales.Number, false},
			{"writer reads too", ticket.Queues(nil, []int64{sales.ID}), inSales.Number, true},
			{"customer sees own", ticket.OwnTickets(bob), inSales.Number, true},
			{"customer not another's", ticket.OwnTickets(bob), inDefault.Number, false},
			{"all", ticket.AllQueues(), inSales.Number, true},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Get(ctx, tc.scope, tc.number)
				if tc.want && err != nil || !tc.want && !errs.Is(err, errs.NotFound) {
					t.Errorf("Get: err = %v, want visible=%v", err, tc.want)
				}
				page, err := s.List(ctx, tc.scope, ticket.ListQuery{})
				dbtest.Must(t, err)
				found := false
				for _, it := range page.Items {
					found = found || it.Number == tc.number
				}
				if found != tc.want {
					t.Errorf("List shows %s = %v, want %v", tc.number, found, tc.want)
				}
			})
		}
		reader := ticket.Queues([]int64{def.ID}, nil)
		if _, err := s.AddArticle(ctx, reader, audit.Actor{Type: audit.ByAgent, ID: 1}, inDefault.Number,
			ticket.ArticleInput{Kind: ticket.Public, Body: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("read-only agent reply: err = %v, want forbidden", err)
		}
		if _, err := s.AddArticle(ctx, ticket.OwnTickets(bob), audit.Actor{Type: audit.ByCustomer, ID: bob}, inDefault.Number,
			ticket.ArticleInput{Kind: ticket.Public, Body: "x"}); !errs.Is(err, errs.NotFound) {
			t.Errorf("customer replying to another's ticket: err = %v, want not found", err)
		}
	})
}

func TestRepliesNotesAndUpdates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		agents := agent.NewService(bdb)
		ag, err := agents.Create(ctx, agent.Input{Email: "zoe@help.test", Name: "Zoé", Role: agent.RoleAdmin, Password: "long enough password"})
		dbtest.Must(t, err)
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "s"})
		by := audit.Actor{Type: audit.ByAgent, ID: ag.ID}
		_, err = s.AddArticle(ctx, ticket.AllQueues(), by, tk.Number, ticket.ArticleInput{Kind: ticket.Internal, Body: "note"})
		dbtest.Must(t, err)
		_, err = s.AddArticle(ctx, ticket.AllQueues(), by, tk.Number, ticket.ArticleInput{Kind: ticket.Public, Body: "reply"})
		dbtest.Must(t, err)
		got, err := s.Get(ctx, ticket.AllQueues(), tk.Number)
		dbtest.Must(t, err)
		if got.State != ticket.Open || got.FirstResponseAt == nil {
			t.Errorf("after agent reply: state %s, first response %v", got.State, got.FirstResponseAt)
		}
		customerView, err := s.Articles(ctx, ticket.OwnTickets(tk.CustomerID), got)
		dbtest.Must(t, err)
		for _, a := range customerView {
			if a.Kind == ticket.Internal {
				t.Error("customer sees an internal note")
			}
		}
		if len(customerView) != 2 {
			t.Errorf("customer sees %d articles, want 2", len(customerView))
		}
		st, prio, owner := ticket.Resolved, 5, ag.ID
		upd, err := s.Update(ctx, ticket.AllQueues(), by, tk.Number, ticket.Patch{State: &st, Priority: &prio, OwnerID: &owner})
		dbtest.Must(t, err)
		if upd.State != ticket.Resolved || upd.ResolvedAt == nil || upd.Priority != 5 || upd.OwnerID != ag.ID {
			t.Errorf("update = %+v", upd)
		}
		trail, err := audit.ForTicket(ctx, bdb, tk.ID)
		dbtest.Must(t, err)
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"ticket.open", "article.add", "ticket.set_state", "ticket.set_priority", "ticket.set_owner"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit %v lacks %s", actions, want)
			}
		}
		if _, err := s.Update(ctx, ticket.OwnTickets(tk.CustomerID), audit.Actor{Type: audit.ByCustomer, ID: tk.CustomerID}, tk.Number,
			ticket.Patch{Priority: &prio}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("customer setting priority: err = %v, want forbidden", err)
		}
		bad := int64(999)
		if _, err := s.Update(ctx, ticket.AllQueues(), by, tk.Number, ticket.Patch{OwnerID: &bad}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown owner: err = %v, want invalid", err)
		}
	})
}

func TestListPaginatesWithoutGapsOrRepeats(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		want := map[string]bool{}
		for i := range 23 {
			tk := mustOpen(t, s, ticket.OpenInput{Subject: fmt.Sprintf("ticket %d", i), Priority: i%5 + 1})
			want[tk.Number] = true
		}
		for _, sort := range []string{"", "created_at", "-priority", "priority", "number"} {
			t.Run("sort="+sort, func(t *testing.T) {
				seen := map[string]bool{}
				cursor := ""
				for pages := 0; ; pages++ {
					p, err := s.List(ctx, ticket.AllQueues(), ticket.ListQuery{Sort: sort, Limit: 5, Cursor: cursor})
					dbtest.Must(t, err)
					for _, it := range p.Items {
						if seen[it.Number] {
							t.Fatalf("%s repeated", it.Number)
						}
						seen[it.Number] = true
					}
					if p.NextCursor == "" {
						break
					}
					if pages > 10 {
						t.Fatal("pagination does not end")
					}
					cursor = p.NextCursor
				}
				if len(seen) != len(want) {
					t.Errorf("saw %d tickets, want %d", len(seen), len(want))
				}
			})
		}
		_, err := s.List(ctx, ticket.AllQueues(), ticket.ListQuery{Sort: "subject; DROP TABLE tickets"})
		if e := errs.As(err); e == nil || e.Fields["sort"] == "" {
			t.Errorf("unknown sort: err = %v", err)
		}
		p, err := s.List(ctx, ticket.AllQueues(), ticket.ListQuery{Text: "ticket 1_"})
		dbtest.Must(t, err)
		if len(p.Items) != 0 {
			t.Errorf("LIKE wildcard not escaped: %d matches for %q", len(p.Items), "ticket 1_")
		}
		p, err = s.List(ctx, ticket.AllQueues(), ticket.ListQuery{Text: "TICKET 2"})
		dbtest.Must(t, err)
		if len(p.Items) != 4 { // 2, 20, 21, 22
			t.Errorf("search 'TICKET 2' found %d, want 4", len(p.Items))
		}
	})
}

func TestAttachmentsOnArticles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s, _ := newService(bdb)
		store := attachment.NewStore(t.TempDir())
		blob, err := store.Put(ctx, strings.NewReader("log line\n"), "../../etc/app.log", settings.DefaultHelpdesk())
		dbtest.Must(t, err)
		tk := mustOpen(t, s, ticket.OpenInput{Subject: "s", Attachments: []attachment.Blob{blob}})
		arts, err := s.Articles(ctx, ticket.AllQueues(), tk)
		dbtest.Must(t, err)
		if len(arts[0].Attachments) != 1 || arts[0].Attachments[0].Filename != "app.log" {
			t.Fatalf("attachments = %+v", arts[0].Attachments)
		}
		pid := arts[0].Attachments[0].PublicID
		if _, err := s.Attachment(ctx, ticket.OwnTickets(tk.CustomerID), tk.Number, pid); err != nil {
			t.Errorf("owner cannot fetch attachment: %v", err)
		}
		other := mustOpen(t, s, ticket.OpenInput{Subject: "other", CustomerEmail: "eve@example.com"})
		if _, err := s.Attachment(ctx, ticket.OwnTickets(other.CustomerID), other.Number, pid); !errs.Is(err, errs.NotFound) {
			t.Errorf("attachment through another ticket: err = %v, want not found", err)
		}
	})
}
