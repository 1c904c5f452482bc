package ticket

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

// applyScope restricts q (on alias t) to what scope may read.
func applyScope(q *bun.SelectQuery, s Scope) *bun.SelectQuery {
	switch {
	case s.all:
		return q
	case s.customerID != 0:
		return q.Where("t.customer_id = ?", s.customerID)
	case len(s.read) == 0:
		return q.Where("1 = 0")
	}
	return q.Where("t.queue_id IN (?)", bun.List(s.read))
}

func insertTicket(ctx context.Context, idb bun.IDB, t *Ticket) error {
	if _, err := idb.NewInsert().Model(t).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("ticket: insert: %w", err)
	}
	return nil
}

func saveTicket(ctx context.Context, idb bun.IDB, t *Ticket) error {
	_, err := idb.NewUpdate().Model(t).Column("queue_id", "owner_id", "priority", "type", "state", "updated_at",
		"first_response_at", "resolved_at", "closed_at", "locked_by", "locked_at", "link_version").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("ticket: save: %w", err)
	}
	return nil
}

func insertArticle(ctx context.Context, idb bun.IDB, a *Article, blobs []attachment.Blob) error {
	if _, err := idb.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("ticket: insert article: %w", err)
	}
	var err error
	a.Attachments, err = attachment.Attach(ctx, idb, a.TicketID, a.ID, blobs)
	return err
}

func getScoped(ctx context.Context, idb bun.IDB, scope Scope, number string) (*Ticket, error) {
	number = NormalizeNumber(number)
	if number == "" {
		return nil, errNotFound
	}
	t := new(Ticket)
	err := applyScope(idb.NewSelect().Model(t).Where("t.number = ?", number), scope).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: get: %w", err)
	}
	return t, nil
}

// getForUpdate reads a ticket inside a transaction, locking its row on
// PostgreSQL so concurrent changes apply one after the other (SQLite's single
// writer already serialises them).
func getForUpdate(ctx context.Context, tx bun.Tx, scope Scope, number string) (*Ticket, error) {
	number = NormalizeNumber(number)
	if number == "" {
		return nil, errNotFound
	}
	t := new(Ticket)
	q := applyScope(tx.NewSelect().Model(t).Where("t.number = ?", number), scope)
	if db.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: get: %w", err)
	}
	return t, nil
}

func articles(ctx context.Context, idb bun.IDB, ticketID int64, withInternal bool) ([]Article, error) {
	out := []Article{}
	q := idb.NewSelect().Model(&out).ColumnExpr("a.*").
		ColumnExpr("COALESCE(ag.name, c.name, '') AS author_name").
		Join("LEFT JOIN agents AS ag ON ag.id = a.author_agent_id").
		Join("LEFT JOIN customers AS c ON c.id = a.author_customer_id").
		Where("a.ticket_id = ?", ticketID).Order("a.id")
	if !withInternal {
		q = q.Where("a.kind = ?", Public)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("ticket: articles: %w", err)
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	att, err := attachment.ForArticles(ctx, idb, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Attachments = att[out[i].ID]
		if out[i].Attachments == nil {
			out[i].Attachments = []attachment.Attachment{}
		}
	}
	return out, nil
}

func articleKind(ctx context.Context, idb bun.IDB, articleID int64) (ArticleKind, error) {
	var k ArticleKind
	err := idb.NewSelect().Table("articles").Column("kind").Where("id = ?", articleID).Scan(ctx, &k)
	return k, err
}

func checkOwner(ctx context.Context, idb bun.IDB, agentID, queueID int64) error {
	n, err := idb.NewSelect().Table("agents").Where("id = ?", agentID).Where("disabled_at IS NULL").
		Where("(role = 'admin' OR EXISTS (SELECT 1 FROM agent_queue_permissions p WHERE p.agent_id = agents.id AND p.queue_id = ? AND p.access = 'write'))", queueID).
		Count(ctx)
	if err != nil {
		return fmt.Errorf("ticket: check owner: %w", err)
	}
	if n == 0 {
		return errs.Fields("invalid owner", map[string]string{"owner": "no active agent with write access to this queue"})
	}
	return nil
}

func idempotentTicket(ctx context.Context, tx bun.Tx, scope, key, hash string) (*Ticket, error) {
	var row struct {
		RequestHash string `bun:"request_hash"`
		TicketID    int64  `bun:"ticket_id"`
	}
	err := tx.NewSelect().Table("idempotency_keys").Column("request_hash", "ticket_id").
		Where("scope = ?", scope).Where("key = ?", key).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: idempotency: %w", err)
	}
	if row.RequestHash != hash {
		return nil, errs.E(errs.Conflict, "this Idempotency-Key was already used for a different request")
	}
	t := new(Ticket)
	if err := tx.NewSelect().Model(t).Where("t.id = ?", row.TicketID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ticket: idempotency: %w", err)
	}
	return t, nil
}

func rememberIdempotency(ctx context.Context, tx bun.Tx, scope, key, hash string, ticketID int64, at time.Time) error {
	_, err := tx.NewRaw("INSERT INTO idempotency_keys (scope, key, request_hash, ticket_id, created_at) VALUES (?, ?, ?, ?, ?)",
		scope, key, hash, ticketID, at).Exec(ctx)
	if err != nil {
		return fmt.Errorf("ticket: idempotency: %w", err)
	}
	return nil
}

// list runs a ListQuery and returns up to Limit+1 rows, the extra one telling
// whether another page follows.
func list(ctx context.Context, idb bun.IDB, scope Scope, lq ListQuery, field string, desc bool, after *cursor) ([]Summary, error) {
	out := []Summary{}
	q := applyScope(summaries(idb, &out), scope)
	q = applyFilters(q, lq, db.IsPostgres(idb))
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	col := bun.Ident("t." + field)
	if after != nil {
		v, err := cursorArg(field, after.Value)
		if err != nil {
			return nil, errs.Fields("invalid list query", map[string]string{"cursor": "invalid"})
		}
		q = q.Where("(?, t.id) "+cmp+" (?, ?)", col, v, after.ID)
	}
	q = q.OrderExpr("? "+dir+", t.id "+dir, col).Limit(int64(lq.Limit + 1))
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("ticket: list: %w", err)
	}
	return out, nil
}

// summaries selects tickets with the names lists show.
func summaries(idb bun.IDB, dst any) *bun.SelectQuery {
	return idb.NewSelect().Model(dst).ColumnExpr("t.*").
		ColumnExpr("c.email AS customer_email, c.name AS customer_name").
		ColumnExpr("o.name AS organization_name, qu.name AS queue_name, ag.name AS owner_name, lb.name AS locked_by_name").
		Join("JOIN customers AS c ON c.id = t.customer_id").
		Join("JOIN queues AS qu ON qu.id = t.queue_id").
		Join("LEFT JOIN organizations AS o ON o.id = t.organization_id").
		Join("LEFT JOIN agents AS ag ON ag.id = t.owner_id").
		Join("LEFT JOIN agents AS lb ON lb.id = t.locked_by")
}

func summaryByNumber(ctx context.Context, idb bun.IDB, scope Scope, number string) (*Summary, error) {
	number = NormalizeNumber(number)
	if number == "" {
		return nil, errNotFound
	}
	s := new(Summary)
	err := applyScope(summaries(idb, s), scope).Where("t.number = ?", number).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: get: %w", err)
	}
	return s, nil
}

func applyFilters(q *bun.SelectQuery, lq ListQuery, pg bool) *bun.SelectQuery {
	if len(lq.States) > 0 {
		q = q.Where("t.state IN (?)", bun.List(lq.States))
	}
	if lq.QueueID != 0 {
		q = q.Where("t.queue_id = ?", lq.QueueID)
	}
	if lq.CustomerID != 0 {
		q = q.Where("t.customer_id = ?", lq.CustomerID)
	}
	if lq.OwnerID != 0 {
		q = q.Where("t.owner_id = ?", lq.OwnerID)
	}
	if lq.Unassigned {
		q = q.Where("t.owner_id IS NULL")
	}
	if lq.Type != "" {
		q = q.Where("t.type = ?", lq.Type)
	}
	if lq.Priority != 0 {
		q = q.Where("t.priority = ?", lq.Priority)
	}
	if lq.Text != "" {
		like := "LIKE" // SQLite's LIKE ignores ASCII case already
		if pg {
			like = "ILIKE"
		}
		pattern := "%" + db.EscapeLike(lq.Text) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.WhereOr("t.subject "+like+" ? ESCAPE '\\'", pattern).WhereOr("c.email "+like+" ? ESCAPE '\\'", pattern)
			if n := NormalizeNumber(lq.Text); n != "" {
				q = q.WhereOr("t.number = ?", n)
			}
			return q
		})
	}
	return q
}

func cursorArg(field, v string) (any, error) {
	switch field {
	case "priority":
		return strconv.Atoi(v)
	case "number":
		return v, nil
	}
	return time.Parse(time.RFC3339Nano, v)
}

func articleOf(ctx context.Context, idb bun.IDB, ticketID, articleID int64) (*Article, error) {
	a := new(Article)
	err := idb.NewSelect().Model(a).Where("a.id = ?", articleID).Where("a.ticket_id = ?", ticketID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such message on this ticket")
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: article: %w", err)
	}
	return a, nil
}

// countBy groups the scoped, filtered tickets by one column (from a fixed
// list, never from input) and counts each group.
func countBy(ctx context.Context, idb bun.IDB, scope Scope, lq ListQuery, col string) ([]FacetCount, error) {
	out := []FacetCount{}
	q := idb.NewSelect().TableExpr("tickets AS t").
		ColumnExpr("COALESCE(CAST(? AS TEXT), '') AS k", bun.Ident("t."+col)).ColumnExpr("COUNT(*) AS n")
	if lq.Text != "" {
		q = q.Join("JOIN customers AS c ON c.id = t.customer_id")
	}
	q = applyFilters(applyScope(q, scope), lq, db.IsPostgres(idb))
	if err := q.GroupExpr("?", bun.Ident("t."+col)).OrderExpr("n DESC, k").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("ticket: count by %s: %w", col, err)
	}
	return out, nil
}

// countAll groups the scoped, filtered tickets by every facet column at
// once (a few thousand groups at most) and adds them up per facet, in the
// order state, queue, owner, type, priority.
func countAll(ctx context.Context, idb bun.IDB, scope Scope, lq ListQuery) ([5][]FacetCount, error) {
	var rows []struct {
		State    string `bun:"state"`
		Queue    string `bun:"queue_id"`
		Owner    string `bun:"owner_id"`
		Type     string `bun:"type"`
		Priority string `bun:"priority"`
		N        int    `bun:"n"`
	}
	q := idb.NewSelect().TableExpr("tickets AS t").ColumnExpr("t.state, CAST(t.queue_id AS TEXT) AS queue_id").
		ColumnExpr("COALESCE(CAST(t.owner_id AS TEXT), '') AS owner_id, t.type, CAST(t.priority AS TEXT) AS priority, COUNT(*) AS n")
	if lq.Text != "" {
		q = q.Join("JOIN customers AS c ON c.id = t.customer_id")
	}
	q = applyFilters(applyScope(q, scope), lq, db.IsPostgres(idb))
	var out [5][]FacetCount
	if err := q.GroupExpr("t.state, t.queue_id, t.owner_id, t.type, t.priority").Scan(ctx, &rows); err != nil {
		return out, fmt.Errorf("ticket: facet counts: %w", err)
	}
	var sums [5]map[string]int
	for i := range sums {
		sums[i] = map[string]int{}
	}
	for _, r := range rows {
		for i, v := range [5]string{r.State, r.Queue, r.Owner, r.Type, r.Priority} {
			sums[i][v] += r.N
		}
	}
	for i, m := range sums {
		out[i] = []FacetCount{}
		for v, n := range m {
			out[i] = append(out[i], FacetCount{Value: v, Count: n})
		}
		slices.SortFunc(out[i], func(a, b FacetCount) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Value, b.Value)) })
	}
	return out, nil
}

func fingerprint(ctx context.Context, idb bun.IDB, scope Scope) (int, string, error) {
	var row struct {
		N    int    `bun:"n"`
		Last string `bun:"last"`
	}
	q := applyScope(idb.NewSelect().TableExpr("tickets AS t").
		ColumnExpr("COUNT(*) AS n, COALESCE(CAST(MAX(t.updated_at) AS TEXT), '') AS last"), scope)
	if err := q.Scan(ctx, &row); err != nil {
		return 0, "", fmt.Errorf("ticket: fingerprint: %w", err)
	}
	return row.N, row.Last, nil
}

func holderName(ctx context.Context, idb bun.IDB, agentID int64) string {
	var name string
	if err := idb.NewSelect().Table("agents").Column("name").Where("id = ?", agentID).Scan(ctx, &name); err != nil {
		return "another agent"
	}
	return name
}
