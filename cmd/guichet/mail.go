package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/guichet/guichet/core/server"
)

func mailListCommand(cfg *config, stdout, stderr io.Writer) *cobra.Command {
	var limit int
	var to string
	var full bool
	cmd := &cobra.Command{
		Use:   "list [--to ADDRESS] [--limit N] [--full]",
		Short: "Print the newest messages of the dev mail sink",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withApp(ctx, cfg, stderr, func(a *server.App) error {
				msgs, err := a.MailSink.List(ctx, strings.ToLower(strings.TrimSpace(to)), limit)
				if err != nil {
					return err
				}
				if len(msgs) == 0 {
					fmt.Fprintln(stdout, "no message in the mail sink")
				}
				for _, m := range msgs {
					fmt.Fprintf(stdout, "#%d  %s  %s  %s\n", m.ID, m.CreatedAt.Local().Format("2006-01-02 15:04:05"), m.To, m.Subject)
					if full {
						fmt.Fprintf(stdout, "\n%s\n", m.Text)
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "how many messages, newest first")
	cmd.Flags().StringVar(&to, "to", "", "only messages to this address")
	cmd.Flags().BoolVar(&full, "full", false, "print each message's text too")
	return cmd
}
