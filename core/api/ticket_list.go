package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

// TicketList lists tickets, newest activity first unless sort says
// otherwise, one keyset page at a time.
func (a *API) TicketList(c *gin.Context) {
	q, err := a.listQuery(c)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	page, err := a.Tickets.List(c.Request.Context(), scope(), q)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

var listParams = map[string]bool{"state": true, "queue": true, "customer": true, "q": true, "limit": true,
	"cursor": true, "sort": true, "owner": true, "type": true, "priority": true}

func (a *API) listQuery(c *gin.Context) (ticket.ListQuery, error) {
	f := map[string]string{}
	for k := range c.Request.URL.Query() {
		if !listParams[k] {
			f[k] = "unknown parameter"
		}
	}
	q := ticket.ListQuery{Text: c.Query("q"), Sort: c.Query("sort"), Cursor: c.Query("cursor"), Type: ticket.Type(c.Query("type"))}
	for _, s := range strings.Split(c.Query("state"), ",") {
		if s != "" {
			q.States = append(q.States, ticket.State(s))
		}
	}
	atoi := func(name string, dst *int) {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				f[name] = "must be a number"
			}
			*dst = n
		}
	}
	atoi("limit", &q.Limit)
	atoi("priority", &q.Priority)
	ctx := c.Request.Context()
	if v := c.Query("queue"); v != "" {
		ref := queueRef{set: true, name: v}
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ref = queueRef{set: true, id: id}
		}
		id, err := a.resolveQueue(ctx, ref)
		if err != nil {
			return q, err
		}
		q.QueueID = id
	}
	if v := c.Query("customer"); v != "" {
		cu, err := a.Customers.ByEmail(ctx, v)
		if errs.Is(err, errs.NotFound) {
			q.CustomerID = -1 // nobody: an empty page, not an error
		} else if err != nil {
			return q, err
		} else {
			q.CustomerID = cu.ID
		}
	}
	switch v := c.Query("owner"); v {
	case "":
	case "none":
		q.Unassigned = true
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f["owner"] = "must be an agent id or none"
		}
		q.OwnerID = id
	}
	if len(f) > 0 {
		return q, errs.Fields("invalid list query", f)
	}
	return q, nil
}
