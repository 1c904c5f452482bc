package console

import (
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

// filters are the ticket list's query parameters as the agent sent them.
// Unknown values are refused by the ticket service's validation, never
// passed through to SQL.
type filters struct {
	Q, State, Queue, Owner, Type, Priority, Sort, Cursor string
}

func parseFilters(g *gin.Context) filters {
	return filters{Q: g.Query("q"), State: g.Query("state"), Queue: g.Query("queue"), Owner: g.Query("owner"),
		Type: g.Query("type"), Priority: g.Query("priority"), Sort: g.Query("sort"), Cursor: g.Query("cursor")}
}

// query turns the filters into a ListQuery for agent me ("mine" is me,
// "none" unassigned).
func (f filters) query(me int64) (ticket.ListQuery, error) {
	q := ticket.ListQuery{Text: f.Q, Type: ticket.Type(f.Type), Sort: f.Sort, Cursor: f.Cursor}
	bad := map[string]string{}
	if f.State != "" {
		q.States = []ticket.State{ticket.State(f.State)}
	}
	num := func(name, v string, dst *int64) {
		if v == "" {
			return
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			bad[name] = "must be a number"
		}
		*dst = n
	}
	num("queue", f.Queue, &q.QueueID)
	var prio int64
	num("priority", f.Priority, &prio)
	q.Priority = int(prio)
	switch f.Owner {
	case "":
	case "mine":
		q.OwnerID = me
	case "none":
		q.Unassigned = true
	default:
		num("owner", f.Owner, &q.OwnerID)
	}
	if len(bad) > 0 {
		return q, errs.Fields("invalid filter", bad)
	}
	return q, nil
}

// values encodes the filters (without the cursor) as a query string.
func (f filters) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "state": f.State, "queue": f.Queue, "owner": f.Owner,
		"type": f.Type, "priority": f.Priority, "sort": f.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Values is values for templates (the search form's hidden fields).
func (f filters) Values() url.Values { return f.values() }

// with returns the filters' URL with one parameter set, or removed when it
// already has that value (so a facet link toggles).
func (f filters) with(root, key, value string) string {
	v := f.values()
	if v.Get(key) == value {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	if len(v) == 0 {
		return root
	}
	return root + "?" + v.Encode()
}

// active lists the applied filter values by key, for marking facets.
func (f filters) active() map[string]string {
	out := map[string]string{}
	for k, s := range f.values() {
		out[k] = s[0]
	}
	return out
}
