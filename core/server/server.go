// Package server builds Guichet's whole http.Handler: middleware, every
// surface's routes (listed in routes.go), health, readiness and metrics. It
// wires edges to the services it is handed and owns no business rule.
package server

import (
	"context"
	"log/slog"
	"net/http"
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
	"github.com/guichet/guichet/core/console"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/jobs"
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
}

// App is the assembled application: services, job runner and handler.
// cmd/guichet serves it; tests drive the same thing.
type App struct {
	Options
	DB        *bun.DB
	Settings  *settings.Service
	Queues    *queue.Service
	Customers *customer.Service
	Agents    *agent.Service
	Keys      *apikey.Service
	Tickets   *ticket.Service
	Files     *attachment.Store
	Jobs      *jobs.Runner
	Handler   http.Handler
}

// Server holds what the routes need.
type Server struct {
	cfg     Options
	api     *api.API
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
	for _, kind := range []string{ticket.EventTicketCreated, ticket.EventTicketUpdated, ticket.EventArticleCreated} {
		a.Jobs.Fanout(kind) // subscribers (mail, webhooks, plugins) are added as they land
	}
	theme := web.Overlay(themes.Default(), opt.ThemeDir)
	assets, err := web.NewAssets(theme, opt.BasePath+"/assets")
	if err != nil {
		return nil, err
	}
	errh := &web.Errors{Log: opt.Log, Unavailable: db.IsUnavailable}
	s := &Server{cfg: opt, assets: assets, db: bdb, log: opt.Log, metrics: newMetrics(bdb),
		api: &api.API{Tickets: a.Tickets, Queues: a.Queues, Customers: a.Customers, Keys: a.Keys,
			Settings: a.Settings, Files: a.Files, Errors: errh, Log: opt.Log}}
	s.console, err = console.New(console.Deps{Agents: a.Agents, Tickets: a.Tickets, Queues: a.Queues,
		Customers: a.Customers, Keys: a.Keys, Settings: a.Settings, Files: a.Files, Limiter: ratelimit.New(bdb),
		Assets: assets, Errors: errh, Cookies: web.Cookies{Proxies: opt.Proxies}, Theme: theme,
		BasePath: opt.BasePath, BaseURL: opt.BaseURL, Proxies: opt.Proxies, Log: opt.Log})
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
