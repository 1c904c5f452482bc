package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/customer"
)

type customerView struct {
	*customer.Customer
	Organization *customer.Organization `json:"organization,omitempty"`
}

// CustomerGet returns a customer by email address, with their organization.
func (a *API) CustomerGet(c *gin.Context) {
	ctx := c.Request.Context()
	cu, err := a.Customers.ByEmail(ctx, c.Param("email"))
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	v := customerView{Customer: cu}
	if cu.OrganizationID != 0 {
		if v.Organization, err = a.Customers.Organization(ctx, cu.OrganizationID); err != nil {
			a.Errors.JSON(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, v)
}
