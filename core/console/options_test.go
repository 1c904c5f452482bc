package console_test

import (
	"github.com/guichet/guichet/core/server"
	"github.com/guichet/guichet/core/web"
)

// trustLoopback makes the test client a trusted proxy, so it can say the
// request came over HTTPS.
func trustLoopback(o *server.Options) {
	p, _ := web.ParseTrustedProxies("127.0.0.1,::1")
	o.Proxies = p
}
