// Command erplookup is Guichet's first-party customer-directory plugin: it
// reads, for a customer's email address, the organization, its contacts and
// the products under warranty from an ERP (Dolibarr's REST API, or any JSON
// API through a field mapping).
//
// It owns the ERP connectors. Every outbound request goes through
// sdk/netguard. It imports only sdk/ and libraries, never core/.
package main

import (
	_ "embed"

	"github.com/guichet/guichet/sdk"
)

//go:embed plugin.yaml
var manifest []byte

func main() {
	sdk.Serve(sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}})
}
