// Command anonymizer is Guichet's first-party anonymizer plugin: it replaces
// personal data with numbered placeholders before text leaves for an
// external AI, and restores them in the text that comes back.
//
// It owns the recognizers (each validated by a checksum, a registry or a
// parser, not a pattern alone) and the placeholder table format. It imports
// only sdk/ and libraries, never core/.
package main

import (
	_ "embed"

	"github.com/guichet/guichet/sdk"
)

//go:embed plugin.yaml
var manifest []byte

func main() {
	sdk.Serve(sdk.Plugin{Manifest: manifest, Impl: newAnonymizer()})
}
