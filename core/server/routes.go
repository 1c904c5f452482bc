package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/apikey"
)

// routes lists every route of every surface. Each line shows who may call
// it: public, a signed-in customer, a signed ticket link, an API key with
// the scope named, or a console agent or admin. Every portal and console
// POST is CSRF-checked (token + Origin).
func (s *Server) routes(r *gin.Engine, root *gin.RouterGroup) {
	a, p := s.api, s.portal

	root.GET("/healthz", s.healthz)             // public
	root.GET("/readyz", s.readyz)               // public
	root.GET("/metrics", s.metrics.handler())   // public (bind to a private network or filter at the proxy)
	root.GET("/assets/*file", s.assets.Handler) // public, content-hashed

	v1 := root.Group("/api/v1")
	v1.GET("/openapi.json", a.OpenAPI) // public
	k := v1.Group("", a.Authenticate)
	k.POST("/tickets", a.Need(apikey.TicketsWrite), a.TicketCreate)
	k.GET("/tickets", a.Need(apikey.TicketsRead), a.TicketList)
	k.GET("/tickets/:number", a.Need(apikey.TicketsRead), a.TicketGet)
	k.PATCH("/tickets/:number", a.Need(apikey.TicketsWrite), a.TicketUpdate)
	k.POST("/tickets/:number/articles", a.Need(apikey.TicketsWrite), a.ArticleCreate)
	k.POST("/tickets/:number/articles/:article/attachments", a.Need(apikey.TicketsWrite), a.AttachmentUpload)
	k.GET("/tickets/:number/attachments/:id", a.Need(apikey.TicketsRead), a.AttachmentDownload)
	k.GET("/queues", a.Need(apikey.QueuesRead), a.QueueList)
	k.POST("/queues", a.Need(apikey.QueuesWrite), a.QueueCreate)
	k.GET("/customers/:email", a.Need(apikey.CustomersRead), a.CustomerGet)

	pg := root.Group("", p.Middleware()...)
	me := p.SignedIn()
	pg.GET("/", p.Home)                                        // public: sign-in, or my tickets when signed in
	pg.GET("/brand/logo", p.BrandLogo)                         // public: the brand's logo image
	pg.GET("/brand.css", p.BrandCSS)                           // public: the brand's colours, the same for everyone
	pg.GET("/signin", p.SignInShow)                            // public
	pg.POST("/signin", p.SignInRequest)                        // public; sends limited per address and IP
	pg.GET("/signin/code", p.CodeShow)                         // public, with the sign-in flow cookie
	pg.POST("/signin/code", p.CodeVerify)                      // public, with the flow cookie; tries counted
	pg.POST("/signout", me, p.SignOut)                         // customer
	pg.POST("/signout/everywhere", me, p.SignOutEverywhere)    // customer
	pg.GET("/tickets", me, p.TicketList)                       // customer: own tickets
	pg.GET("/tickets/new", me, p.TicketNew)                    // customer
	pg.POST("/tickets", me, p.TicketCreate)                    // customer
	pg.GET("/tickets/:number", me, p.TicketShow)               // customer: own ticket, else 404
	pg.POST("/tickets/:number/reply", me, p.TicketReply)       // customer: own ticket, else 404
	pg.POST("/tickets/:number/close", me, p.TicketClose)       // customer: own ticket, else 404
	pg.POST("/tickets/:number/reopen", me, p.TicketReopen)     // customer: own ticket, within the reopen window
	pg.GET("/tickets/:number/files/:id", me, p.AttachmentShow) // customer: own ticket's public files
	pg.GET("/t/:number/:token", p.LinkShow)                    // signed link (read-only), rate limited per IP
	pg.POST("/t/:number/:token/close", p.LinkClose)            // signed link
	pg.POST("/t/:number/:token/reopen", p.LinkReopen)          // signed link, within the reopen window
	pg.POST("/t/:number/:token/signin", p.LinkSignIn)          // signed link: mails a code to the ticket's address
	pg.GET("/t/:number/:token/files/:id", p.LinkFile)          // signed link: the ticket's public files

	// Agent console. "public": anyone; "agent": a live agent session (its
	// queue scope limits every ticket it touches); "admin": an admin's session.
	// Every line runs the console middleware: nonce CSP, frame-ancestors
	// 'none', body cap, CSRF on every form.
	cn := s.console
	cs := root.Group("/console", cn.Middleware()...)
	cs.GET("/setup/:token", cn.SetupShow)    // public, one-time setup token
	cs.POST("/setup/:token", cn.SetupCreate) // public, one-time setup token
	cs.GET("/signin", cn.SigninShow)         // public
	cs.POST("/signin", cn.SigninCreate)      // public, rate limited per address and IP
	ag := cs.Group("", cn.Authenticate)
	ag.POST("/signout", cn.SignoutCreate)                             // agent
	ag.GET("", cn.TicketList)                                         // agent, scoped
	ag.GET("/live", cn.LiveShow)                                      // agent, scoped
	ag.GET("/tickets/:number", cn.TicketShow)                         // agent, scoped read
	ag.POST("/tickets/:number", cn.TicketUpdate)                      // agent, scoped write
	ag.POST("/tickets/:number/articles", cn.ArticleCreate)            // agent, scoped write
	ag.POST("/tickets/:number/lock", cn.TicketLock)                   // agent, scoped write
	ag.POST("/tickets/:number/unlock", cn.TicketUnlock)               // agent, scoped write
	ag.POST("/tickets/:number/takeover", cn.TicketTakeOver)           // agent, scoped write
	ag.GET("/tickets/:number/attachments/:id", cn.AttachmentDownload) // agent, scoped read
	ag.GET("/tickets/:number/customer-data", cn.CustomerDataShow)     // agent, scoped read; ERP data from a plugin
	ag.GET("/tickets/:number/ai-preview", cn.AIPreviewShow)           // agent, scoped read; fails closed
	ag.GET("/me", cn.MeShow)                                          // agent, self
	ag.POST("/me", cn.MeUpdate)                                       // agent, self
	ag.POST("/me/password", cn.PasswordUpdate)                        // agent, self
	ad := ag.Group("", cn.RequireAdmin)
	ad.GET("/agents", cn.AgentList)                               // admin
	ad.POST("/agents", cn.AgentCreate)                            // admin
	ad.GET("/agents/:id", cn.AgentEdit)                           // admin
	ad.POST("/agents/:id", cn.AgentUpdate)                        // admin
	ad.POST("/agents/:id/disable", cn.AgentDisable)               // admin
	ad.POST("/agents/:id/queues", cn.AgentQueues)                 // admin
	ad.GET("/queues", cn.QueueList)                               // admin
	ad.POST("/queues", cn.QueueCreate)                            // admin
	ad.GET("/queues/:id", cn.QueueEdit)                           // admin
	ad.POST("/queues/:id", cn.QueueUpdate)                        // admin
	ad.GET("/settings", cn.SettingsShow)                          // admin
	ad.POST("/settings", cn.SettingsUpdate)                       // admin
	ad.GET("/settings/brand", cn.BrandShow)                       // admin
	ad.POST("/settings/brand", cn.BrandUpdate)                    // admin
	ad.GET("/settings/apikeys", cn.APIKeyList)                    // admin
	ad.POST("/settings/apikeys", cn.APIKeyCreate)                 // admin
	ad.POST("/settings/apikeys/:id/revoke", cn.APIKeyRevoke)      // admin
	ad.GET("/settings/mail", cn.MailList)                         // admin: dev mail sink
	ad.GET("/settings/mail/:id", cn.MailShow)                     // admin
	ad.GET("/settings/mail/:id/html", cn.MailHTML)                // admin; sandboxed frame with its own CSP
	ad.GET("/plugins", cn.PluginList)                             // admin
	ad.GET("/plugins/:id", cn.PluginShow)                         // admin
	ad.POST("/plugins/:id/enable", cn.PluginEnable)               // admin
	ad.POST("/plugins/:id/disable", cn.PluginDisable)             // admin
	ad.POST("/plugins/:id/settings", cn.PluginSettingsUpdate)     // admin; secrets write-only
	ad.POST("/plugins/:id/settings/test", cn.PluginSettingsCheck) // admin; saves nothing

	apiPrefix := strings.TrimSuffix(s.cfg.BasePath, "/") + "/api/"
	apiNotFound := func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, apiPrefix) {
			a.NotFound(c)
			c.Abort()
		}
	}
	// Outside the API, unknown URLs get the portal's localized 404 page.
	r.NoRoute(append([]gin.HandlerFunc{apiNotFound}, append(p.Middleware(), p.NotFound)...)...)
	r.NoMethod(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, apiPrefix) {
			a.MethodNotAllowed(c)
			return
		}
		c.String(http.StatusMethodNotAllowed, "405 method not allowed")
	})
}
