package api

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
)

// AttachmentDownload serves a file as a download; nothing is ever rendered
// inline from the API.
func (a *API) AttachmentDownload(c *gin.Context) {
	att, err := a.Tickets.Attachment(c.Request.Context(), scope(), c.Param("number"), c.Param("id"))
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	f, err := a.Files.Open(att.SHA256)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(c.Writer, c.Request, "", att.CreatedAt, f)
}
