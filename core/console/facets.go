package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
)

type facetItem struct {
	Label  string
	Count  int
	URL    string
	Active bool
}

type facetView struct {
	Key   string
	Title string
	Items []facetItem
}

// facetViews labels the counts of the ticket service for display: queue
// and agent names, translated states and types, "mine" and "unassigned".
func (c *Console) facetViews(g *gin.Context, f filters, fc *ticket.Facets) ([]facetView, error) {
	ctx, v, l := g.Request.Context(), me(g), c.localizer(g)
	queues, err := c.Queues.List(ctx)
	if err != nil {
		return nil, err
	}
	agents, err := c.Agents.List(ctx)
	if err != nil {
		return nil, err
	}
	qname, aname := map[string]string{}, map[string]string{}
	for _, q := range queues {
		qname[itoa(q.ID)] = q.Name
	}
	for _, a := range agents {
		aname[itoa(a.ID)] = a.Name
	}
	active := f.active()
	make1 := func(key, title string, counts []ticket.FacetCount, label func(string) (string, string)) facetView {
		fv := facetView{Key: key, Title: title}
		for _, n := range counts {
			text, value := label(n.Value)
			fv.Items = append(fv.Items, facetItem{Label: text, Count: n.Count, URL: f.with(c.root, key, value), Active: active[key] == value})
		}
		return fv
	}
	mine := itoa(v.Agent.ID)
	// "Mine" and "unassigned" are always offered, even at zero: they are
	// where an agent's day starts.
	owners := fc.Owner
	for _, want := range []string{mine, ""} {
		found := false
		for _, o := range owners {
			found = found || o.Value == want
		}
		if !found {
			owners = append(owners, ticket.FacetCount{Value: want})
		}
	}
	return []facetView{
		make1("state", l.T("console.facet.state"), fc.State, func(s string) (string, string) { return l.T("console.state." + s), s }),
		make1("queue", l.T("console.facet.queue"), fc.Queue, func(s string) (string, string) { return qname[s], s }),
		make1("owner", l.T("console.facet.owner"), owners, func(s string) (string, string) {
			switch s {
			case "":
				return l.T("console.facet.unassigned"), "none"
			case mine:
				return l.T("console.facet.mine"), "mine"
			}
			return aname[s], s
		}),
		make1("type", l.T("console.facet.type"), fc.Type, func(s string) (string, string) { return l.T("common.type." + s), s }),
		make1("priority", l.T("console.facet.priority"), fc.Priority, func(s string) (string, string) { return l.T("console.priority." + s), s }),
	}, nil
}
