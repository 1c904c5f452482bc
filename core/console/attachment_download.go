package console

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
)

// AttachmentDownload serves a file of a ticket the agent may read. Only
// sniffed raster images are shown inline (for the conversation's
// thumbnails); everything else is a download, and nothing runs in our origin
// thanks to the sandboxing CSP.
func (c *Console) AttachmentDownload(g *gin.Context) {
	att, err := c.Tickets.Attachment(g.Request.Context(), me(g).Scope, g.Param("number"), g.Param("id"))
	if err != nil {
		c.fail(g, err)
		return
	}
	f, err := c.Files.Open(att.SHA256)
	if err != nil {
		c.fail(g, err)
		return
	}
	defer f.Close()
	disposition := "attachment"
	if g.Query("inline") == "1" && attachment.SafeInline(att.ContentType) {
		disposition = "inline"
	}
	h := g.Writer.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": att.Filename}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(g.Writer, g.Request, "", att.CreatedAt, f)
}
