package ticket_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ticket"
)

// benchTickets is how many tickets the list benchmarks run against.
const benchTickets = 100_000

// BenchmarkConsoleHome measures what the console's home page asks of the
// database at 100,000 tickets: the five facet counts and the first page of
// each open state group, for an admin (every queue) and for an agent who
// sees half the queues; plus a search and a sort by priority.
//
//	go test ./core/ticket -run '^$' -bench ConsoleHome -benchtime 20x
//
// With GUICHET_TEST_POSTGRES set, PostgreSQL is measured too. Each result
// also reports x_raw, its ratio to a raw SELECT by primary key measured on
// the same database in the same run.
func BenchmarkConsoleHome(b *testing.B) {
	for _, d := range dbtest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			bdb := dbtest.Open(b, d)
			queues, me := seedConsole(b, bdb, benchTickets)
			s, _ := newService(bdb)
			_, rawSelect := rawBaselines(b, bdb)
			scopes := []struct {
				name  string
				scope ticket.Scope
			}{
				{"admin", ticket.AllQueues()},
				{"agent", ticket.Queues(queues[:2], queues[2:4])},
			}
			queries := []struct {
				name string
				q    ticket.ListQuery
			}{
				{"home", ticket.ListQuery{}},
				{"mine", ticket.ListQuery{OwnerID: me}},
				{"search", ticket.ListQuery{Text: "imprimante"}},
				{"sort_priority", ticket.ListQuery{Sort: "-priority"}},
			}
			for _, sc := range scopes {
				for _, qq := range queries {
					b.Run(sc.name+"/"+qq.name, func(b *testing.B) {
						n := 0
						for b.Loop() {
							home(b, s, sc.scope, qq.q)
							n++
						}
						// x_raw: one home request over one SELECT by primary key.
						b.ReportMetric(float64(b.Elapsed()/time.Duration(n))/float64(rawSelect), "x_raw")
					})
				}
			}
		})
	}
}

// home runs the console home's queries: facets, then one page per group.
func home(b *testing.B, s *ticket.Service, scope ticket.Scope, q ticket.ListQuery) {
	if _, err := s.Facets(ctx, scope, q); err != nil {
		b.Fatal(err)
	}
	for _, st := range []ticket.State{ticket.New, ticket.Open, ticket.PendingCustomer} {
		gq := q
		gq.States, gq.Limit = []ticket.State{st}, 25
		if _, err := s.List(ctx, scope, gq); err != nil {
			b.Fatal(err)
		}
	}
}

// seed bulk-inserts n tickets over 8 queues, 20 agents, 2,000 customers in
// 200 organizations, with a realistic mix: most tickets resolved or closed,
// a third unassigned. It returns the queue ids and one agent's id.
func seedConsole(b *testing.B, bdb *bun.DB, n int) ([]int64, int64) {
	b.Helper()
	start := time.Now()
	qs := queue.NewService(bdb)
	var queues []int64
	for i := 0; i < 8; i++ {
		q, err := qs.Create(ctx, queue.Input{Name: fmt.Sprintf("File %d", i)})
		dbtest.Must(b, err)
		queues = append(queues, q.ID)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	agents := make([]agent.Agent, 20)
	for i := range agents {
		agents[i] = agent.Agent{Email: fmt.Sprintf("agent%d@example.com", i), Name: fmt.Sprintf("Agent %d", i), Role: agent.RoleAgent, PasswordHash: "x", CreatedAt: now, UpdatedAt: now}
	}
	_, err := bdb.NewInsert().Model(&agents).Returning("id").Exec(ctx)
	dbtest.Must(b, err)
	orgs := make([]customer.Organization, 200)
	for i := range orgs {
		orgs[i] = customer.Organization{Name: fmt.Sprintf("Organisation %d", i), CreatedAt: now, UpdatedAt: now}
	}
	_, err = bdb.NewInsert().Model(&orgs).Returning("id").Exec(ctx)
	dbtest.Must(b, err)
	custs := make([]customer.Customer, 2000)
	for i := range custs {
		custs[i] = customer.Customer{Email: fmt.Sprintf("client%d@example.com", i), Name: fmt.Sprintf("Client %d", i), OrganizationID: orgs[i%len(orgs)].ID, CreatedAt: now, UpdatedAt: now}
	}
	_, err = bdb.NewInsert().Model(&custs).Returning("id").Exec(ctx)
	dbtest.Must(b, err)
	subjects := []string{"Imprimante en panne", "Écran noir", "Clics fantômes", "Mot de passe oublié", "VPN lent", "Facture en double", "Trait blanc sur l'écran", "Plus de tactile"}
	states := []ticket.State{ticket.Closed, ticket.Closed, ticket.Closed, ticket.Resolved, ticket.Resolved, ticket.New, ticket.Open, ticket.Open, ticket.PendingCustomer, ticket.Closed}
	r := rand.New(rand.NewPCG(1, 2))
	const chunk = 1000
	for done := 0; done < n; done += chunk {
		batch := make([]ticket.Ticket, 0, chunk)
		for i := done; i < done+chunk && i < n; i++ {
			c := custs[r.IntN(len(custs))]
			created := now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour)
			t := ticket.Ticket{Number: fmt.Sprintf("B%06d", i), BrandID: 1, QueueID: queues[r.IntN(len(queues))],
				Subject: subjects[r.IntN(len(subjects))] + fmt.Sprintf(" #%d", i), Type: ticket.Types[r.IntN(3)],
				State: states[r.IntN(len(states))], Priority: 1 + r.IntN(5), Channel: ticket.ChannelEmail, CustomerID: c.ID,
				OrganizationID: c.OrganizationID, LinkSecret: []byte("0123456789abcdef0123456789abcdef"), LinkVersion: 1,
				CreatedAt: created, UpdatedAt: created.Add(time.Duration(r.IntN(30*24)) * time.Hour)}
			if r.IntN(3) > 0 {
				t.OwnerID = agents[r.IntN(len(agents))].ID
			}
			batch = append(batch, t)
		}
		_, err := bdb.NewInsert().Model(&batch).Exec(ctx)
		dbtest.Must(b, err)
	}
	// Fresh statistics, as a live database would have them.
	_, err = bdb.ExecContext(ctx, "ANALYZE")
	dbtest.Must(b, err)
	b.Logf("seeded %d tickets in %s", n, time.Since(start).Round(time.Millisecond))
	return queues, agents[0].ID
}
