package portal

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/ticket"
)

// AttachmentShow serves a file of the customer's ticket.
func (p *Portal) AttachmentShow(c *gin.Context) {
	p.serveFile(c, scope(c), c.Param("number"))
}

// serveFile re-checks the owning ticket on every access, shows only sniffed
// raster images inline, and sends everything else as a download under a
// sandboxing CSP.
func (p *Portal) serveFile(c *gin.Context, sc ticket.Scope, number string) {
	att, err := p.Tickets.Attachment(c.Request.Context(), sc, number, c.Param("id"))
	if err != nil {
		p.failErr(c, err)
		return
	}
	f, err := p.Files.Open(att.SHA256)
	if err != nil {
		p.failErr(c, err)
		return
	}
	defer f.Close()
	disposition := "attachment"
	if attachment.SafeInline(att.ContentType) {
		disposition = "inline"
	}
	h := c.Writer.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": att.Filename}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(c.Writer, c.Request, "", att.CreatedAt, f)
}
