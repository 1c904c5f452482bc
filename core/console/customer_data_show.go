package console

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

type customerDataView struct {
	Page
	T        *ticket.Summary
	Org      *pluginv1.Organization
	Contacts []*pluginv1.Contact
	Products []productView
	// Fetched is when the ERP gave the data; Stale means it could not be
	// asked again, so this is the cached copy.
	Fetched time.Time
	Stale   bool
	// None: no plugin serves customer data; NotFound: the ERP does not know
	// the customer; Unavailable: the ERP is down and nothing is cached.
	None, NotFound, Unavailable bool
}

type productView struct {
	Label, Reference, Serial string
	WarrantyEnds             string // "" when unknown
	UnderWarranty            bool
}

// CustomerDataShow is the ERP part of the ticket's customer panel (agents,
// scoped read). The ticket view fetches it after rendering (?part=1 gives
// the panel alone) so a slow ERP never delays the page; without JavaScript
// the panel's link opens it as a page.
func (c *Console) CustomerDataShow(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	t, err := c.Tickets.Summary(ctx, v.Scope, g.Param("number"))
	if err != nil {
		c.fail(g, err)
		return
	}
	view := customerDataView{Page: c.page(g, t.Number+" · "+t.Subject, "tickets"), T: t}
	if err := view.load(ctx, c.Directory, t.CustomerEmail); err != nil {
		c.fail(g, err)
		return
	}
	page := "customer_data"
	if g.Query("part") == "1" {
		page = "customer_data_part"
	}
	c.render(g, http.StatusOK, page, &view)
}

// load asks the directory; the outcomes the panel explains are not errors.
func (view *customerDataView) load(ctx context.Context, dir CustomerDirectory, email string) error {
	if dir == nil || !dir.Provides(sdk.CapCustomerDirectory) {
		view.None = true
		return nil
	}
	info, err := dir.LookupCustomer(ctx, email)
	switch {
	case errors.Is(err, pluginhost.ErrNoProvider):
		view.None = true
	case errs.Is(err, errs.NotFound):
		view.NotFound = true
	case errs.Is(err, errs.Unavailable):
		view.Unavailable = true
	case err != nil:
		return err
	default:
		view.fill(info)
	}
	return nil
}

func (view *customerDataView) fill(info *pluginhost.CustomerInfo) {
	d := info.Data
	view.Org, view.Contacts, view.Fetched, view.Stale = d.GetOrganization(), d.GetContacts(), info.FetchedAt, info.Stale
	for _, p := range d.GetProducts() {
		pv := productView{Label: p.GetLabel(), Reference: p.GetReference(), Serial: p.GetSerialNumber()}
		if p.GetWarrantyEndsAt() != nil {
			end := p.GetWarrantyEndsAt().AsTime()
			pv.WarrantyEnds, pv.UnderWarranty = end.Format("2006-01-02"), end.After(view.Now)
		}
		view.Products = append(view.Products, pv)
	}
}
