package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/web"
)

// maxFormBody caps console requests without files.
const maxFormBody = 1 << 20

// Middleware is what every console route runs first: security headers (a
// nonce CSP, frame-ancestors 'none': the console is never framed), a cap on
// the request body, and CSRF protection on every form.
func (c *Console) Middleware() []gin.HandlerFunc {
	csrf := web.CSRF{Cookies: c.Cookies, Origin: web.OwnOrigin(c.BaseURL, c.Proxies)}
	return []gin.HandlerFunc{web.SecurityHeaders(web.Headers{Proxies: c.Proxies}), c.limitBody, csrf.Middleware()}
}

// limitBody caps the body before anything (the CSRF check included) reads
// it: a multipart form may carry up to maxFiles files of the helpdesk's size
// limit; anything else 1 MB.
func (c *Console) limitBody(g *gin.Context) {
	if g.Request.Method == http.MethodGet || g.Request.Method == http.MethodHead {
		g.Next()
		return
	}
	limit := int64(maxFormBody)
	if strings.HasPrefix(g.ContentType(), "multipart/") {
		if h, err := c.Settings.Helpdesk(g.Request.Context()); err == nil {
			limit += h.MaxAttachmentBytes() * maxFiles
		}
	}
	g.Request.Body = http.MaxBytesReader(g.Writer, g.Request.Body, limit)
	g.Next()
}
