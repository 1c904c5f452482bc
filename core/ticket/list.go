package ticket

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/core/errs"
)

// ListQuery filters, sorts and pages a ticket list. Zero fields do not filter.
type ListQuery struct {
	States     []State
	QueueID    int64
	CustomerID int64
	OwnerID    int64
	Unassigned bool
	Type       Type
	Priority   int
	// Text matches a ticket number exactly, or a subject or customer email
	// containing it.
	Text string
	// Sort is one of SortFields, with a leading '-' for descending order;
	// "" means "-updated_at".
	Sort   string
	Limit  int
	Cursor string
}

// SortFields lists the columns lists may be sorted by.
var SortFields = []string{"updated_at", "created_at", "priority", "number"}

// Page is one page of a list; NextCursor is "" on the last page.
type Page struct {
	Items      []Summary `json:"items"`
	NextCursor string    `json:"next_cursor"`
}

// Limits on page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// cursor is the keyset position after the last row of a page.
type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    int64  `json:"i"`
}

func (q *ListQuery) normalize() (field string, desc bool, after *cursor, err error) {
	f := map[string]string{}
	if q.Sort == "" {
		q.Sort = "-updated_at"
	}
	field, desc = strings.TrimPrefix(q.Sort, "-"), strings.HasPrefix(q.Sort, "-")
	if !slices.Contains(SortFields, field) {
		f["sort"] = "must be one of " + strings.Join(SortFields, ", ") + ", with - for descending order"
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		f["limit"] = "must be between 1 and 200"
	}
	for _, s := range q.States {
		if !slices.Contains(States, s) {
			f["state"] = "unknown state " + string(s)
		}
	}
	if q.Type != "" && !slices.Contains(Types, q.Type) {
		f["type"] = "unknown type"
	}
	if len(q.Text) > 200 {
		f["q"] = "at most 200 characters"
	}
	if q.Cursor != "" {
		after = decodeCursor(q.Cursor)
		if after == nil || after.Sort != q.Sort {
			f["cursor"] = "invalid or from another sort order"
		}
	}
	if len(f) > 0 {
		return "", false, nil, errs.Fields("invalid list query", f)
	}
	return field, desc, after, nil
}

func decodeCursor(s string) *cursor {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	var c cursor
	if json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
		return nil
	}
	return &c
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// cursorValue renders the sort column of t for a cursor.
func cursorValue(field string, t *Ticket) string {
	switch field {
	case "created_at":
		return t.CreatedAt.UTC().Format(time.RFC3339Nano)
	case "priority":
		return strconv.Itoa(t.Priority)
	case "number":
		return t.Number
	}
	return t.UpdatedAt.UTC().Format(time.RFC3339Nano)
}

// List returns one page of the tickets scope may read, in a stable order.
func (s *Service) List(ctx context.Context, scope Scope, q ListQuery) (*Page, error) {
	field, desc, after, err := q.normalize()
	if err != nil {
		return nil, err
	}
	items, err := list(ctx, s.db, scope, q, field, desc, after)
	if err != nil {
		return nil, err
	}
	page := &Page{Items: items}
	if len(items) > q.Limit {
		page.Items = items[:q.Limit]
		last := &page.Items[q.Limit-1].Ticket
		page.NextCursor = encodeCursor(cursor{Sort: q.Sort, Value: cursorValue(field, last), ID: last.ID})
	}
	return page, nil
}
