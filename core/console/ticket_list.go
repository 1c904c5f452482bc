package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
)

// homeStates are the groups of the home list: the work still to do. Resolved
// and closed tickets are one facet click away.
var homeStates = []ticket.State{ticket.New, ticket.Open, ticket.PendingCustomer}

// groupSize is how many tickets each state group shows on the home list.
const groupSize = 25

type listGroup struct {
	State ticket.State
	Count int
	Rows  []ticket.Summary
	More  string // link to the whole group, "" when it all fits
	Next  string // next page when the list is filtered to this state
}

type ticketListView struct {
	Page
	F       filters
	Groups  []listGroup
	Facets  []facetView
	Sorts   map[string]string // column → link that sorts by it
	SortBy  string
	Total   int
	Filters bool // some filter is applied
}

// TicketList is the console's home: the tickets the agent may read, grouped
// by state with counts, filtered by facets and search, in keyset pages.
func (c *Console) TicketList(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	f := parseFilters(g)
	q, err := f.query(v.Agent.ID)
	if err != nil {
		c.fail(g, err)
		return
	}
	facets, err := c.Tickets.Facets(ctx, v.Scope, q)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := ticketListView{Page: c.page(g, "", "tickets"), F: f, Filters: len(f.values()) > 0 && !(len(f.values()) == 1 && f.Sort != "")}
	view.Title, view.Live = view.L.T("console.list.title"), c.root+"/live"
	counts := map[string]int{}
	for _, fc := range facets.State {
		counts[fc.Value] = fc.Count
	}
	states := homeStates
	if len(q.States) == 1 {
		states = q.States
	}
	for _, st := range states {
		gq := q
		gq.States, gq.Limit = []ticket.State{st}, groupSize
		if len(q.States) == 1 {
			gq.Limit = ticket.DefaultLimit
		}
		page, err := c.Tickets.List(ctx, v.Scope, gq)
		if err != nil {
			c.fail(g, err)
			return
		}
		grp := listGroup{State: st, Count: counts[string(st)], Rows: page.Items}
		if page.NextCursor != "" && len(q.States) == 0 {
			grp.More = f.with(c.root, "state", string(st))
		} else if page.NextCursor != "" {
			grp.Next = f.with(c.root, "cursor", page.NextCursor)
		}
		view.Total += grp.Count
		view.Groups = append(view.Groups, grp)
	}
	if view.Facets, err = c.facetViews(g, f, facets); err != nil {
		c.fail(g, err)
		return
	}
	view.SortBy, view.Sorts = q.Sort, sortLinks(c.root, f)
	c.render(g, http.StatusOK, "ticket_list", &view)
}

// sortLinks gives each sortable column a link sorting by it, descending
// first, ascending when it is already sorted descending.
func sortLinks(root string, f filters) map[string]string {
	out := map[string]string{}
	cur := f.Sort
	if cur == "" {
		cur = "-updated_at"
	}
	for _, col := range ticket.SortFields {
		next := "-" + col
		if cur == next {
			next = col
		}
		g := f
		g.Cursor, g.Sort = "", ""
		out[col] = g.with(root, "sort", next)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
