// Package api is the REST edge at /api/v1: JSON in and out, API keys in the
// Authorization header, the error body of core/web, and an OpenAPI 3
// document that a test keeps in step with the router. Handlers parse, call a
// domain service and answer; they never touch bun.
package api

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

// API holds what the handlers call.
type API struct {
	Tickets   *ticket.Service
	Queues    *queue.Service
	Customers *customer.Service
	Keys      *apikey.Service
	Settings  *settings.Service
	Files     *attachment.Store
	Errors    *web.Errors
	Log       *slog.Logger
}

const keyAPIKey = "guichet.api_key"

// Authenticate requires a valid key in "Authorization: Bearer <key>". Keys
// in query strings or cookies are not accepted.
func (a *API) Authenticate(c *gin.Context) {
	secret, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="guichet"`)
		a.Errors.JSON(c, errs.E(errs.Unauthorized, "send your API key as Authorization: Bearer <key>"))
		return
	}
	k, err := a.Keys.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="guichet", error="invalid_token"`)
		a.Errors.JSON(c, err)
		return
	}
	c.Set(keyAPIKey, k)
	c.Next()
}

// Need requires the authenticated key to carry scope.
func (a *API) Need(scope apikey.Scope) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !key(c).Allows(scope) {
			a.Errors.JSON(c, errs.E(errs.Forbidden, "this API key lacks the %s scope", scope))
			return
		}
		c.Next()
	}
}

func key(c *gin.Context) *apikey.Key { return c.MustGet(keyAPIKey).(*apikey.Key) }

// actor is the audit identity of the request's key.
func actor(c *gin.Context) audit.Actor { return audit.Actor{Type: audit.ByAPIKey, ID: key(c).ID} }

// scope is what API keys see: every queue. Keys are created by admins.
func scope() ticket.Scope { return ticket.AllQueues() }

// NotFound answers unknown API paths with the API's error body.
func (a *API) NotFound(c *gin.Context) {
	a.Errors.JSON(c, errs.E(errs.NotFound, "no such endpoint: %s %s", c.Request.Method, c.Request.URL.Path))
}

// MethodNotAllowed answers known paths used with the wrong method.
func (a *API) MethodNotAllowed(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, web.ErrorBody{Error: web.ErrorDetail{
		Kind: errs.Invalid, Message: "method not allowed", RequestID: web.RequestID(c)}})
}
