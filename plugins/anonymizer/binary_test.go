package main

import (
	"context"
	"strings"
	"testing"

	"github.com/guichet/guichet/sdk/plugintest"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// TestBinaryEndToEnd builds the real plugin binary and drives it the way
// the host will: go-plugin, gRPC, AutoMTLS, checksum, HostAPI through the
// broker.
func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	c := plugintest.StartBinary(t, plugintest.Build(t, "."))
	ctx := context.Background()
	d, err := c.Lifecycle.Describe(ctx, &pluginv1.DescribeRequest{})
	if err != nil || d.GetId() != "anonymizer" || string(d.GetManifest()) != string(manifest) {
		t.Fatalf("Describe = %v, %v", d, err)
	}
	c.MustConfigure(t, map[string]string{"mode": "placeholder"})
	if lines := c.Host.Lines(); len(lines) == 0 || lines[0].Message != "anonymizer configured" {
		t.Fatalf("host log = %v, want the plugin's Configure line", lines)
	}
	a := c.Anonymizer(t)
	text := "Bonjour, appelez-moi au 06 12 34 56 78 ou écrivez à camille@exemple.fr. IBAN FR76 3000 6000 0112 3456 7890 189."
	out, err := a.Anonymize(ctx, &pluginv1.AnonymizeRequest{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"06 12 34 56 78", "camille@exemple.fr", "FR76"} {
		if strings.Contains(out.GetText(), s) {
			t.Errorf("%q left in %q", s, out.GetText())
		}
	}
	answer := strings.ReplaceAll(out.GetText(), "[PHONE_1]", "[ phone_1 ]")
	back, err := a.Restore(ctx, &pluginv1.RestoreRequest{Text: answer, Replacements: out.GetReplacements()})
	if err != nil || back.GetText() != text {
		t.Fatalf("Restore = %q, %v", back.GetText(), err)
	}
}
