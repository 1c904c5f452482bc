package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/guichet/guichet/core/web"
)

// config is everything GUICHET_* variables or flags can set.
type config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	BaseURL        string
	ThemeDir       string
	TrustedProxies string
	LogFormat      string
	SMTPURL        string
	MailFrom       string
	PluginDir      string
	// getenv reads variables that must not be flags (secrets show in ps).
	getenv func(string) string
}

// option describes one setting: its flag, variable, default and help.
type option struct {
	flag, env, def, help string
	dst                  *string
}

func (c *config) options() []option {
	return []option{
		{"addr", "GUICHET_ADDR", ":8080", "address to listen on", &c.Addr},
		{"data-dir", "GUICHET_DATA_DIR", "./data", "folder for the SQLite database and attachments", &c.DataDir},
		{"database-url", "GUICHET_DATABASE_URL", "", "postgres://… to use PostgreSQL; empty for SQLite in the data folder", &c.DatabaseURL},
		{"base-url", "GUICHET_BASE_URL", "", "public URL, such as https://help.example.com or https://example.com/support", &c.BaseURL},
		{"theme-dir", "GUICHET_THEME_DIR", "", "folder whose files override the default theme", &c.ThemeDir},
		{"trusted-proxies", "GUICHET_TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-* headers are believed", &c.TrustedProxies},
		{"log-format", "GUICHET_LOG_FORMAT", "text", "text or json", &c.LogFormat},
		{"smtp-url", "GUICHET_SMTP_URL", "", "smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; empty keeps mail in the dev mail sink", &c.SMTPURL},
		{"mail-from", "GUICHET_MAIL_FROM", "guichet@localhost", "sender address of outgoing mail when the brand has none", &c.MailFrom},
		{"plugin-dir", "GUICHET_PLUGIN_DIR", "", "folder of plugins, one <id>/ folder each; empty for <data-dir>/plugins", &c.PluginDir},
	}
}

// bind registers every option as a persistent flag whose default is the
// environment variable when set.
func (c *config) bind(cmd *cobra.Command, getenv func(string) string) {
	c.getenv = getenv
	for _, o := range c.options() {
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		cmd.PersistentFlags().StringVar(o.dst, o.flag, def, o.help+" ("+o.env+")")
	}
}

// basePath is the path part of the base URL without a trailing slash.
func (c *config) basePath() (string, error) {
	if c.BaseURL == "" {
		return "", nil
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("GUICHET_BASE_URL %q is not an http(s) URL such as https://help.example.com", c.BaseURL)
	}
	return strings.TrimSuffix(u.Path, "/"), nil
}

// publicURL is the base URL, or one built from the listen address.
func (c *config) publicURL() string {
	if c.BaseURL != "" {
		return strings.TrimSuffix(c.BaseURL, "/")
	}
	host := c.Addr
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	return "http://" + host
}

func (c *config) proxies() (web.TrustedProxies, error) {
	p, err := web.ParseTrustedProxies(c.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("GUICHET_TRUSTED_PROXIES: %w", err)
	}
	return p, nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if w == nil {
		w = os.Stderr
	}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
