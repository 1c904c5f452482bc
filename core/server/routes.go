package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/apikey"
)

// routes lists every route of every surface. Each line shows who may call
// it: public, or an API key with the scope named.
func (s *Server) routes(r *gin.Engine, root *gin.RouterGroup) {
	a := s.api

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

	apiPrefix := strings.TrimSuffix(s.cfg.BasePath, "/") + "/api/"
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, apiPrefix) {
			a.NotFound(c)
			return
		}
		c.String(http.StatusNotFound, "404 page not found")
	})
	r.NoMethod(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, apiPrefix) {
			a.MethodNotAllowed(c)
			return
		}
		c.String(http.StatusMethodNotAllowed, "405 method not allowed")
	})
}
