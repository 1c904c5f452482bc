package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/server"
)

// drainTimeout bounds graceful shutdown: requests in flight get this long.
const drainTimeout = 25 * time.Second

func serveCommand(cfg *config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the web server (portal, console, REST API) and background jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), cfg, stdout, stderr)
		},
	}
}

func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	log := cfg.logger(stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if err := announce(ctx, a, cfg, ln, stdout); err != nil {
		ln.Close()
		return err
	}
	return runUntilDone(ctx, a, ln, log)
}

// announce prints where Guichet listens and, while no agent exists, a
// one-time setup URL for the first admin.
func announce(ctx context.Context, a *server.App, cfg *config, ln net.Listener, stdout io.Writer) error {
	fmt.Fprintf(stdout, "Guichet %s listening on %s (database: %s)\n", version, ln.Addr(), db.DialectName(a.DB))
	token, err := a.Agents.IssueSetupToken(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintf(stdout, "\nNo agent yet. Create the first admin within 24 hours at:\n\n    %s/console/setup/%s\n\n", cfg.publicURL(), token)
	}
	return nil
}

// runUntilDone serves until ctx ends, then stops taking requests, lets those
// in flight finish within drainTimeout, and stops the job runner after its
// current job.
func runUntilDone(ctx context.Context, a *server.App, ln net.Listener, log *slog.Logger) error {
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.Jobs.Run(jobCtx, 2*time.Second) }()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	// Plugins start in the background after the listener is serving: a slow
	// or broken plugin never delays the portal.
	a.Plugins.Start(jobCtx)
	defer a.Plugins.Stop()
	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
		log.Info("shutting down", "drain", drainTimeout)
		drainCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
		err = srv.Shutdown(drainCtx)
		cancel()
	}
	stopJobs()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err == nil {
		log.Info("stopped cleanly")
	}
	return err
}
