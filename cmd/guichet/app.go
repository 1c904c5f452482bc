package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/server"
)

// openApp opens and migrates the database and builds the application.
func openApp(ctx context.Context, cfg *config, log *slog.Logger) (*server.App, error) {
	basePath, err := cfg.basePath()
	if err != nil {
		return nil, err
	}
	proxies, err := cfg.proxies()
	if err != nil {
		return nil, err
	}
	bdb, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx, bdb)
	if err == nil && len(applied) > 0 {
		log.Info("migrations applied", "versions", applied, "database", db.DialectName(bdb))
	}
	var (
		a   *server.App
		key []byte
	)
	if err == nil {
		key, err = pluginhost.LoadSecretKey(cfg.getenv("GUICHET_SECRET_KEY"), cfg.DataDir)
	}
	if err == nil {
		a, err = server.Build(bdb, server.Options{DataDir: cfg.DataDir, BaseURL: cfg.BaseURL, BasePath: basePath,
			Proxies: proxies, ThemeDir: cfg.ThemeDir, Version: version, Log: log,
			PublicURL: cfg.publicURL(), SMTPURL: cfg.SMTPURL, MailFrom: cfg.MailFrom, PluginDir: cfg.PluginDir, SecretKey: key})
	}
	if err != nil {
		bdb.Close()
		return nil, err
	}
	return a, nil
}

// withApp runs fn on the opened application of a one-shot command and
// closes the database afterwards.
func withApp(ctx context.Context, cfg *config, stderr io.Writer, fn func(*server.App) error) error {
	a, err := openApp(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer a.DB.Close()
	return fn(a)
}
