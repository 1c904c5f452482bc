package console_test

import (
	"log/slog"
	"os"
	"github.com/guichet/guichet/core/server"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
)

func TestSmoke(t *testing.T) {
	h := servertest.New(t, "sqlite", func(o *server.Options) { o.Log = slog.New(slog.NewTextHandler(os.Stderr, nil)) })
	w := newWorld(t, h)
	signIn(t, h, "admin@example.com")
	for _, p := range []string{"/console", "/console/tickets/" + w.ta.Number, "/console/me", "/console/agents", "/console/agents/2", "/console/queues", "/console/queues/1", "/console/settings", "/console/settings/brand", "/console/settings/apikeys"} {
		r := h.Do(servertest.Request{Path: p})
		if r.Status != 200 {
			t.Errorf("%s: %d %s", p, r.Status, r.Body)
		}
	}
}
