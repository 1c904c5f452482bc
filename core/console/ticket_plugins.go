package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/sdk"
)

// ticketPlugins is what the ticket view shows of the plugins: the ERP part
// of the customer panel and the AI preview link, each only when an enabled
// plugin serves it. Deciding costs no plugin call, so the view never waits.
type ticketPlugins struct {
	ERP     bool
	ERPPath string
	AI      bool
	AIPath  string
	JS      string // loads the ERP panel after the page
}

func (c *Console) ticketPlugins(g *gin.Context, t *ticket.Summary) ticketPlugins {
	p := ticketPlugins{ERPPath: c.root + "/tickets/" + t.Number + "/customer-data", AIPath: c.root + "/tickets/" + t.Number + "/ai-preview"}
	p.ERP = c.Directory != nil && c.Directory.Provides(sdk.CapCustomerDirectory)
	p.AI = c.AI != nil && c.AI.Provides(sdk.CapAnonymizer)
	if p.ERP {
		p.JS, _ = c.Assets.URL("erppanel.js")
	}
	return p
}
