// Package web holds what every HTTP surface shares: the one table from error
// kinds to status codes, JSON error bodies, strict JSON decoding, request ids,
// security headers with CSP nonces, CSRF protection, client IPs and template
// rendering. Domain packages never import it; it imports no domain package.
package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// statusOf is the only place error kinds become HTTP status codes.
var statusOf = map[errs.Kind]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Forbidden:    http.StatusForbidden,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.TooLarge:     http.StatusRequestEntityTooLarge,
	errs.RateLimited:  http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Internal:     http.StatusInternalServerError,
}

// Classify turns any error into a kinded one: database outages become
// Unavailable, oversized bodies TooLarge, and anything unknown Internal with
// a message that reveals nothing.
func Classify(err error, unavailable func(error) bool) *errs.Error {
	if e := errs.As(err); e != nil {
		return e
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.E(errs.TooLarge, "request body larger than %d bytes", tooBig.Limit)
	}
	if unavailable != nil && unavailable(err) {
		return errs.Wrap(errs.Unavailable, err, "the service is briefly unavailable; please retry")
	}
	return errs.Wrap(errs.Internal, err, "internal error")
}

// Status returns the HTTP status for a kinded error.
func Status(e *errs.Error) int {
	if s, ok := statusOf[e.Kind]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes one error for API clients.
type ErrorDetail struct {
	Kind      errs.Kind         `json:"kind"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// Errors maps errors to responses and logs the ones worth a look.
type Errors struct {
	Log         *slog.Logger
	Unavailable func(error) bool
}

// JSON writes err as an API error body and aborts the request.
func (h *Errors) JSON(c *gin.Context, err error) {
	e := h.classify(c, err)
	c.AbortWithStatusJSON(Status(e), ErrorBody{Error: ErrorDetail{Kind: e.Kind, Message: e.Message, Fields: e.Fields, RequestID: RequestID(c)}})
}

func (h *Errors) classify(c *gin.Context, err error) *errs.Error {
	e := Classify(err, h.Unavailable)
	if e.Kind == errs.Internal || e.Kind == errs.Unavailable {
		h.Log.Error("request failed", "request_id", RequestID(c), "method", c.Request.Method,
			"route", c.FullPath(), "kind", e.Kind, "err", err)
	}
	return e
}

// Kinded returns the kinded form of err after logging it when it is the
// server's fault; HTML surfaces use it to pick an error page.
func (h *Errors) Kinded(c *gin.Context, err error) *errs.Error { return h.classify(c, err) }
