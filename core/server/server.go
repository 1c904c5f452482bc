// Package server builds Guichet's whole http.Handler: middleware, every
// surface's routes (listed in routes.go), health, readiness and metrics. It
// wires edges to the services it is handed and owns no business rule.
package server

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/api"
	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/console"
	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/mail"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/portal"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
	"github.com/guichet/guichet/themes"
)

// Options is what building the application needs besides the database.
type Options struct {
	DataDir string
	// BaseURL is the public URL ("" when unknown: links use the request's host).
	BaseURL string
	// BasePath is the path prefix Guichet is served under ("" or "/support").
	BasePath string
	Proxies  web.TrustedProxies
	ThemeDir string
	Version  string
	Log      *slog.Logger
	// PublicURL starts the links in mails (such as the signed ticket
	// links); it falls back to BaseURL, then to http://localhost:8080.
	PublicURL string
	// SMTPURL selects SMTP for outbound mail; "" keeps mail in the dev sink.
	SMTPURL string
	// MailFrom is the sender address when a brand has none.
	MailFrom string
	// PluginDir is the plugin folder ("" means <DataDir>/plugins).
	PluginDir string
	// SecretKey encrypts plugin secrets; nil reads or creates the key file
	// in DataDir (see pluginhost.LoadSecretKey).
	SecretKey []byte
	// PluginCacheTTL is how long ERP data is served from the cache without
	// asking the plugin (0: the host's default, 15 min).
	PluginCacheTTL time.Duration
}

// App is the assembled application: services, job runner and handler.
// cmd/guichet serves it; tests drive the same thing.
type App struct {
	Options
	DB        *bun.DB
	Settings  *settings.Service
	Brands    *brand.Service
	Queues    *queue.Service
	Customers *customer.Service
	Agents    *agent.Service
	Keys      *apikey.Service
	Tickets   *ticket.Service
	Files     *attachment.Store
	Jobs      *jobs.Runner
	Limits    *ratelimit.Limiter
	Auth      *custauth.Service
	Links     *ticket.Links
	// MailSink keeps mail when no SMTP server is configured (always built,
	// so `guichet mail list` and the console can read it).
	MailSink *mail.Sink
	I18n     *i18n.Bundle
	// Plugins is the plugin host; cmd/guichet starts it after the HTTP
	// server, in the background.
	Plugins *pluginhost.Host
	Handler http.Handler
}

// Server holds what the routes need.
type Server struct {
	cfg     Options
	api     *api.API
	portal  *portal.Portal
	console *console.Console
	assets  *web.Assets
	db      *bun.DB
	log     *slog.Logger
	metrics *metrics
}

// Build creates every service on an open, migrated database, registers the
// outbox handlers and builds the handler. It starts nothing.
func Build(bdb *bun.DB, opt Options) (*App, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	qs := queue.NewService(bdb)
	a := &App{Options: opt, DB: bdb, Settings: settings.NewService(bdb), Queues: qs,
		Customers: customer.NewService(bdb), Agents: agent.NewService(bdb), Keys: apikey.NewService(bdb),
		Tickets: ticket.NewService(bdb, qs), Files: attachment.NewStore(opt.DataDir), Jobs: jobs.NewRunner(bdb, opt.Log)}
	a.Brands = brand.NewService(a.Settings)
	a.Limits = ratelimit.New(bdb)
	a.Auth = custauth.NewService(bdb, a.Limits, a.Settings)
	a.Links = ticket.NewLinks(a.Tickets, a.Settings)
	a.MailSink = mail.NewSink(bdb, opt.Log)
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	a.I18n = bundle
	if err := registerMail(a, opt); err != nil {
		return nil, err
	}
	// Subscribers (mail now; webhooks and plugins later) each get their own job.
	a.Jobs.Fanout(ticket.EventTicketCreated, mail.JobTicketCreated)
	a.Jobs.Fanout(ticket.EventArticleCreated, mail.JobArticleCreated)
	a.Jobs.Fanout(ticket.EventTicketUpdated)
	plugins, err := newPluginHost(bdb, opt)
	if err != nil {
		return nil, err
	}
	a.Plugins = plugins
	theme := web.Overlay(themes.Default(), opt.ThemeDir)
	assets, err := web.NewAssets(theme, opt.BasePath+"/assets")
	if err != nil {
		return nil, err
	}
	renderer, err := web.NewRenderer(theme, template.FuncMap{"asset": assets.URL}, "portal")
	if err != nil {
		return nil, err
	}
	errh := &web.Errors{Log: opt.Log, Unavailable: db.IsUnavailable}
	s := &Server{cfg: opt, assets: assets, db: bdb, log: opt.Log, metrics: newMetrics(bdb),
		api: &api.API{Tickets: a.Tickets, Queues: a.Queues, Customers: a.Customers, Keys: a.Keys,
			Settings: a.Settings, Files: a.Files, Errors: errh, Log: opt.Log},
		portal: newPortal(a, opt, renderer, errh)}
	s.console, err = console.New(console.Deps{Agents: a.Agents, Tickets: a.Tickets, Queues: a.Queues,
		Customers: a.Customers, Keys: a.Keys, Settings: a.Settings, Brands: a.Brands, Files: a.Files, Limiter: a.Limits,
		Assets: assets, Errors: errh, Cookies: web.Cookies{Proxies: opt.Proxies}, Theme: theme,
		BasePath: opt.BasePath, BaseURL: opt.BaseURL, Proxies: opt.Proxies, Log: opt.Log,
		Plugins: a.Plugins, Directory: a.Plugins, AI: a.Plugins, Mail: a.MailSink, SMTPConfigured: opt.SMTPURL != "",
		PluginDir: pluginDir(opt)})
	if err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(opt.Proxies.Strings()); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.Use(web.RequestIDs(), s.recoverer(), s.metrics.middleware())
	s.routes(r, r.Group(opt.BasePath))
	a.Handler = r
	return a, nil
}

// registerMail picks SMTP or the dev sink and registers the mail jobs.
func registerMail(a *App, opt Options) error {
	var sender mail.Sender = a.MailSink
	if opt.SMTPURL != "" {
		smtp, err := mail.NewSMTP(opt.SMTPURL, nil)
		if err != nil {
			return err
		}
		sender = smtp
	}
	public := opt.PublicURL
	if public == "" {
		public = opt.BaseURL
	}
	if public == "" {
		public = "http://localhost:8080"
	}
	from := opt.MailFrom
	if from == "" {
		from = "guichet@localhost"
	}
	m := &mail.Mailer{DB: a.DB, Sender: sender, I18n: a.I18n, Tickets: a.Tickets, Links: a.Links, Customers: a.Customers,
		Settings: a.Settings, Unseal: a.Auth.Unseal, PublicURL: public, From: from}
	m.Register(a.Jobs)
	return nil
}

func newPortal(a *App, opt Options, r *web.Renderer, errh *web.Errors) *portal.Portal {
	cookies := web.Cookies{Proxies: opt.Proxies, Embedded: portal.Embedded}
	return &portal.Portal{Tickets: a.Tickets, Links: a.Links, Queues: a.Queues, Customers: a.Customers, Auth: a.Auth,
		Settings: a.Settings, Brands: a.Brands, Files: a.Files, Limits: a.Limits, Render: r, I18n: a.I18n, Errors: errh, Cookies: cookies,
		CSRF:     web.CSRF{Cookies: cookies, Origin: web.OwnOrigin(opt.BaseURL, opt.Proxies)},
		Headers:  web.Headers{FrameAncestors: portal.FrameAncestors, Proxies: opt.Proxies},
		BasePath: opt.BasePath, Log: opt.Log}
}

// pluginDir is the plugin folder: the option, else <DataDir>/plugins.
func pluginDir(opt Options) string {
	if opt.PluginDir != "" {
		return opt.PluginDir
	}
	return filepath.Join(opt.DataDir, "plugins")
}

func newPluginHost(bdb *bun.DB, opt Options) (*pluginhost.Host, error) {
	key := opt.SecretKey
	if key == nil {
		var err error
		if key, err = pluginhost.LoadSecretKey("", opt.DataDir); err != nil {
			return nil, err
		}
	}
	return pluginhost.New(bdb, pluginhost.Options{Dir: pluginDir(opt), CoreVersion: opt.Version, SecretKey: key, Log: opt.Log,
		CacheTTL: opt.PluginCacheTTL})
}

// The console reaches the plugin host through interfaces it declares.
var (
	_ console.PluginAdmin       = (*pluginhost.Host)(nil)
	_ console.CustomerDirectory = (*pluginhost.Host)(nil)
	_ console.Anonymizer        = (*pluginhost.Host)(nil)
	_ console.MailBox           = (*mail.Sink)(nil)
)

func (s *Server) recoverer() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, p any) {
		s.log.Error("panic", "request_id", web.RequestID(c), "route", c.FullPath(), "panic", p)
		c.AbortWithStatus(http.StatusInternalServerError)
	})
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.cfg.Version})
}

// readyz answers 503 while the database cannot be reached, so a load
// balancer stops sending traffic to this node until it can.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unreachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(bdb *bun.DB) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "guichet_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "guichet_http_request_duration_seconds", Help: "HTTP request duration by route.",
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "guichet_outbox_pending", Help: "Side effects waiting in the outbox.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := jobs.Pending(ctx, bdb, "")
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.reg.MustRegister(m.requests, m.duration, pending,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(bdb.DB, db.DialectName(bdb)))
	return m
}

func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

func (m *metrics) handler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
