package main

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk/plugintest"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// TestBinaryEndToEnd builds the real plugin binary and looks a customer up
// in a fake Dolibarr through it, as the host will.
func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	erp := newFakeDolibarr(t)
	c := plugintest.StartBinary(t, plugintest.Build(t, "."))
	ctx := context.Background()
	c.MustConfigure(t, erp.settings())
	h, err := c.Lifecycle.CheckHealth(ctx, &pluginv1.CheckHealthRequest{})
	if err != nil || h.GetStatus() != pluginv1.CheckHealthResponse_STATUS_OK {
		t.Fatalf("health = %v, %v", h, err)
	}
	dir := c.CustomerDirectory(t)
	r, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "marie.leroy@client-exemple.fr"})
	if err != nil || r.GetOrganization().GetName() != "Imprimerie Leroy & Fils" || len(r.GetProducts()) != 2 {
		t.Fatalf("LookupCustomer = %v, %v", r, err)
	}
	if _, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "nobody@client-exemple.fr"}); status.Code(err) != codes.NotFound {
		t.Fatalf("unknown = %v, want NOT_FOUND", err)
	}
}
