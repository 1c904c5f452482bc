package ticket_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/ticket"
)

// BenchmarkTickets measures the ticket service on each dialect with 1,000
// and 100,000 tickets already stored. Each result carries a ratio against a
// raw single-row INSERT or SELECT by primary key on the same database,
// measured in the same run, so figures compare across machines:
// "x_raw" = service time per operation / raw statement time.
func BenchmarkTickets(b *testing.B) {
	for _, d := range dbtest.Dialects(b) {
		for _, n := range []int{1_000, 100_000} {
			bdb := dbtest.Open(b, d)
			seed(b, bdb, n)
			s, _ := newService(bdb)
			rawInsert, rawSelect := rawBaselines(b, bdb)
			numbers := sampleNumbers(b, bdb)
			prefix := fmt.Sprintf("%s/%dk", d, n/1000)

			b.Run(prefix+"/create", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					in := ticket.OpenInput{Subject: "Bench", Body: "body", CustomerEmail: fmt.Sprintf("c%d@bench.test", i%500)}
					if _, _, err := s.Open(ctx, apiKey, in); err != nil {
						b.Fatal(err)
					}
				}
				report(b, rawInsert)
			})
			b.Run(prefix+"/get", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					t, err := s.Get(ctx, ticket.AllQueues(), numbers[i%len(numbers)])
					if err != nil {
						b.Fatal(err)
					}
					if _, err := s.Articles(ctx, ticket.AllQueues(), t); err != nil {
						b.Fatal(err)
					}
				}
				report(b, rawSelect)
			})
			lists := []struct {
				name string
				q    ticket.ListQuery
			}{
				{"list", ticket.ListQuery{}},
				{"list_open", ticket.ListQuery{States: []ticket.State{ticket.Open}}},
				{"list_page5", ticket.ListQuery{Sort: "created_at"}},
			}
			for _, l := range lists {
				b.Run(prefix+"/"+l.name, func(b *testing.B) {
					q := l.q
					if l.name == "list_page5" {
						q.Cursor = cursorAt(b, s, q, 4)
					}
					for i := 0; i < b.N; i++ {
						p, err := s.List(ctx, ticket.AllQueues(), q)
						if err != nil || len(p.Items) == 0 {
							b.Fatal(err, len(p.Items))
						}
					}
					report(b, rawSelect)
				})
			}
		}
	}
}

func report(b *testing.B, raw time.Duration) {
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(raw), "x_raw")
}

// cursorAt returns the cursor of page n+1 of q.
func cursorAt(b *testing.B, s *ticket.Service, q ticket.ListQuery, n int) string {
	for range n {
		p, err := s.List(ctx, ticket.AllQueues(), q)
		if err != nil {
			b.Fatal(err)
		}
		q.Cursor = p.NextCursor
	}
	return q.Cursor
}

// rawBaselines times a single-row INSERT and a SELECT by primary key on a
// scratch table of the same database.
func rawBaselines(b *testing.B, bdb *bun.DB) (insert, sel time.Duration) {
	b.Helper()
	if _, err := bdb.ExecContext(ctx, "CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	const k = 2000
	start := time.Now()
	for i := range k {
		if _, err := bdb.ExecContext(ctx, "INSERT INTO bench_raw (id, v) VALUES (?, ?)", i, "value"); err != nil {
			b.Fatal(err)
		}
	}
	insert = time.Since(start) / k
	start = time.Now()
	var v string
	for i := range k {
		if err := bdb.QueryRowContext(ctx, "SELECT v FROM bench_raw WHERE id = ?", i).Scan(&v); err != nil {
			b.Fatal(err)
		}
	}
	sel = time.Since(start) / k
	b.Logf("%s raw baselines: insert %v, select %v", bdb.Dialect().Name(), insert, sel)
	return insert, sel
}

func sampleNumbers(b *testing.B, bdb *bun.DB) []string {
	var out []string
	if err := bdb.NewRaw("SELECT number FROM tickets ORDER BY id DESC LIMIT 500").Scan(ctx, &out); err != nil {
		b.Fatal(err)
	}
	return out
}

// seed bulk-inserts n tickets (one article each) spread over 2,000
// customers, five states and five priorities, with distinct update times.
func seed(b *testing.B, bdb *bun.DB, n int) {
	b.Helper()
	start := time.Now()
	const batch = 500
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for c := 0; c < 2000; c += batch {
			var rows []string
			for i := c; i < c+batch; i++ {
				rows = append(rows, fmt.Sprintf("('seed%d@bench.test', 'Seed %d', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')", i, i))
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO customers (email, name, created_at, updated_at) VALUES "+strings.Join(rows, ",")); err != nil {
				return err
			}
		}
		secret := make([]byte, 32)
		rand.Read(secret)
		lit := literal(tx, secret)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for t := 0; t < n; t += batch {
			var tickets, arts []string
			for i := t; i < min(t+batch, n); i++ {
				at := base.Add(time.Duration(i) * time.Minute).Format("2006-01-02 15:04:05+00:00")
				tickets = append(tickets, fmt.Sprintf("('%s', 1, 1, 'Seeded ticket %d', 'incident', '%s', %d, 'api', %d, %s, '%s', '%s')",
					seedNumber(i), i, ticket.States[i%5], i%5+1, i%2000+1, lit, at, at))
				arts = append(arts, fmt.Sprintf("(%d, 'public', 'customer', 'api', '<p>Body %d</p>', 'Body %d', '%s')", i+1, i, i, at))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO tickets (number, brand_id, queue_id, subject, type, state, priority,
				channel, customer_id, link_secret, created_at, updated_at) VALUES `+strings.Join(tickets, ",")); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO articles (ticket_id, kind, author_type, channel, body_html, body_text,
				created_at) VALUES `+strings.Join(arts, ",")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bdb.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d tickets on %s in %v", n, bdb.Dialect().Name(), time.Since(start).Round(time.Millisecond))
}

// seedNumber gives distinct numbers outside the random ones' usual range
// (seeded numbers start with Z followed by a base-32 counter).
func seedNumber(i int) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	out := []byte("Z0000")
	for p := 4; p > 0; p-- {
		out[p] = alphabet[i%32]
		i /= 32
	}
	return string(out)
}

func literal(db bun.IDB, secret []byte) string {
	return string(db.Dialect().AppendBytes(nil, secret))
}
