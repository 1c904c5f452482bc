package main

import (
	"testing"

	"github.com/guichet/guichet/sdk"
	"github.com/guichet/guichet/sdk/plugintest"
)

func TestAnonymizerConformance(t *testing.T) {
	plugintest.AnonymizerConformance(t, sdk.Plugin{Manifest: manifest, Impl: newAnonymizer()}, map[string]string{})
}
