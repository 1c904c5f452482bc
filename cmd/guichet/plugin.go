package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/server"
)

// pluginCommand is `guichet plugin list|enable|disable`. It changes the
// database only; a running server applies the change within its poll
// interval (a few seconds).
func pluginCommand(cfg *config, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "plugin", Short: "List, enable and disable plugins"}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the plugins of the plugin folder with their state",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return withApp(c.Context(), cfg, stderr, func(a *server.App) error { return pluginList(c.Context(), a, stdout) })
		},
	}, pluginToggle(cfg, stdout, stderr, true), pluginToggle(cfg, stdout, stderr, false))
	return cmd
}

func pluginToggle(cfg *config, stdout, stderr io.Writer, enable bool) *cobra.Command {
	use, short := "disable <id>", "Stop a plugin and keep it stopped"
	if enable {
		use, short = "enable <id>", "Trust the plugin's current binary (its SHA-256 is recorded), grant its permissions, lift a quarantine"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return withApp(c.Context(), cfg, stderr, func(a *server.App) error {
				by := audit.System
				if enable {
					if err := a.Plugins.Enable(c.Context(), by, args[0]); err != nil {
						return err
					}
					fmt.Fprintf(stdout, "plugin %s enabled\n", args[0])
					return nil
				}
				if err := a.Plugins.Disable(c.Context(), by, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "plugin %s disabled\n", args[0])
				return nil
			})
		},
	}
}

func pluginList(ctx context.Context, a *server.App, stdout io.Writer) error {
	list, err := a.Plugins.List(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no plugins in the plugin folder")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tVERSION\tENABLED\tSTATE\tCAPABILITIES\tREASON")
	for _, p := range list {
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\t%s\n", p.ID, dash(p.Version), p.Enabled, p.State,
			dash(strings.Join(p.Capabilities, ",")), p.Reason)
	}
	return w.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
