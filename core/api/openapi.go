package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// OpenAPIDocument is the OpenAPI 3 description of /api/v1, written by hand
// and kept in step with the router by TestOpenAPIMatchesRouter.
//
//go:embed openapi.json
var OpenAPIDocument []byte

// OpenAPI serves the document.
func (a *API) OpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", OpenAPIDocument)
}
