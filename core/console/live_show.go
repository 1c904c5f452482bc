package console

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/gin-gonic/gin"
)

// LiveShow answers console.js's polling: an ETag summarising the tickets the
// agent may read (or one ticket with ?t=), and 304 while nothing changed, so
// an idle console costs one tiny request every few seconds.
func (c *Console) LiveShow(g *gin.Context) {
	fp, err := c.Tickets.Fingerprint(g.Request.Context(), me(g).Scope, g.Query("t"))
	if err != nil {
		c.fail(g, err)
		return
	}
	// Hashed so the tag reveals nothing about ids or counts.
	sum := sha256.Sum256([]byte(fp))
	version := hex.EncodeToString(sum[:10])
	etag := `"` + version + `"`
	g.Header("Cache-Control", "no-cache")
	g.Header("ETag", etag)
	if g.GetHeader("If-None-Match") == etag {
		g.Status(http.StatusNotModified)
		return
	}
	g.JSON(http.StatusOK, gin.H{"version": version})
}
