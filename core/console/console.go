// Package console is the agent edge at /console: first-run setup, sign-in
// and agent sessions, the ticket list with facets, the ticket view (replies,
// notes, changes, locking), queues and permissions, and the admin settings
// pages. Handlers are one file per page or action (noun_verb.go): they parse
// the request, call a domain service and render a typed view or redirect.
//
// Every ticket query an agent triggers goes through the one scope built in
// scope.go. The console never loads an admin's custom CSS or scripts: its
// pages use only console.css and console.js from the theme.
//
// It must not import bun or any database package: it calls domain services.
package console

import (
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

// Deps is what the console needs; cmd/guichet builds it through core/server.
type Deps struct {
	Agents    *agent.Service
	Tickets   *ticket.Service
	Queues    *queue.Service
	Customers *customer.Service
	Keys      *apikey.Service
	Settings  *settings.Service
	Brands    *brand.Service
	Files     *attachment.Store
	Limiter   *ratelimit.Limiter
	Assets    *web.Assets
	Errors    *web.Errors
	Cookies   web.Cookies
	Theme     fs.FS
	// BasePath is the prefix Guichet is served under ("" or "/support").
	BasePath string
	// BaseURL is the public URL ("" when unknown), for the Origin check.
	BaseURL string
	Proxies web.TrustedProxies
	Log     *slog.Logger
	// Plugins, Directory and AI are the plugin host (nil: the plugin pages
	// and panels are left out).
	Plugins   PluginAdmin
	Directory CustomerDirectory
	AI        Anonymizer
	// Mail is the dev mail sink; SMTPConfigured says mail really leaves, so
	// the sink viewer explains why it is empty.
	Mail           MailBox
	SMTPConfigured bool
	// PluginDir is the plugin folder, named on the empty plugins page.
	PluginDir string
}

// Console serves the agent pages.
type Console struct {
	Deps
	pages *web.Renderer
	i18n  *i18n.Bundle
	root  string // BasePath + "/console"
}

// New parses the console templates and loads the messages.
func New(d Deps) (*Console, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	pages, err := web.NewRenderer(d.Theme, funcs, "console")
	if err != nil {
		return nil, err
	}
	return &Console{Deps: d, pages: pages, i18n: bundle, root: strings.TrimSuffix(d.BasePath, "/") + "/console"}, nil
}

var funcs = template.FuncMap{
	"deref": func(t *time.Time) time.Time { return *t },
	// dict passes several values to a partial: {{template "ago" (dict "T" .At "L" $.L "Now" $.Now)}}.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// Root is the console's URL path, for the route table.
func (c *Console) Root() string { return c.root }
