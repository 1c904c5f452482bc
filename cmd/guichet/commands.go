package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/server"
)

func rootCommand(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	cfg := &config{}
	root := &cobra.Command{
		Use:           "guichet",
		Short:         "Guichet, a light helpdesk: customer portal, agent console, REST API and plugins",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	cfg.bind(root, getenv)
	agentCmd := &cobra.Command{Use: "agent", Short: "Manage agents"}
	agentCmd.AddCommand(agentAddCommand(cfg, stdin, stdout, stderr))
	apikeyCmd := &cobra.Command{Use: "apikey", Short: "Manage REST API keys"}
	apikeyCmd.AddCommand(apikeyAddCommand(cfg, stdout, stderr))
	mailCmd := &cobra.Command{Use: "mail", Short: "Read the dev mail sink (mail kept when no SMTP server is configured)"}
	mailCmd.AddCommand(mailListCommand(cfg, stdout, stderr))
	root.AddCommand(serveCommand(cfg, stdout, stderr), migrateCommand(cfg, stdout, stderr), agentCmd, apikeyCmd, mailCmd,
		pluginCommand(cfg, stdout, stderr), versionCommand(stdout))
	return root
}

func versionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { fmt.Fprintln(stdout, "guichet", version) },
	}
}

func migrateCommand(cfg *config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and exit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withApp(ctx, cfg, stderr, func(a *server.App) error {
				fmt.Fprintf(stdout, "database %s is up to date\n", db.DialectName(a.DB))
				return nil
			})
		},
	}
}

func agentAddCommand(cfg *config, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var email, name, role string
	cmd := &cobra.Command{
		Use:   "add --email E --name N --role admin|agent",
		Short: "Create an agent; the password is read from standard input, never from the command line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(stderr, "Password (at least 10 characters), then Enter:")
			password, err := readLine(stdin)
			if err != nil {
				return fmt.Errorf("read password from standard input: %w", err)
			}
			return withApp(cmd.Context(), cfg, stderr, func(a *server.App) error {
				ag, err := a.Agents.Create(cmd.Context(), agent.Input{Email: email, Name: name, Role: agent.Role(role), Password: password})
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(stdout, "agent %d created: %s <%s>, %s\n", ag.ID, ag.Name, ag.Email, ag.Role)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address (required)")
	cmd.Flags().StringVar(&name, "name", "", "display name (required)")
	cmd.Flags().StringVar(&role, "role", "agent", "admin or agent")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("name")
	return cmd
}

func apikeyAddCommand(cfg *config, stdout, stderr io.Writer) *cobra.Command {
	var name string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "add --name N [--scope S]…",
		Short: "Create a REST API key and print it once (only a hash is stored)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withApp(ctx, cfg, stderr, func(a *server.App) error {
				sc := make([]apikey.Scope, len(scopes))
				for i, s := range scopes {
					sc[i] = apikey.Scope(s)
				}
				k, secret, err := a.Keys.Create(ctx, name, sc)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(stderr, "API key %q created with scopes %v. It is shown only now; store it safely.\n", k.Name, k.Scopes)
				fmt.Fprintln(stdout, secret)
				return nil
			})
		},
	}
	all := make([]string, len(apikey.AllScopes))
	for i, s := range apikey.AllScopes {
		all[i] = string(s)
	}
	cmd.Flags().StringVar(&name, "name", "", "what the key is for (required)")
	cmd.Flags().StringArrayVar(&scopes, "scope", nil, "scope to grant, repeatable; all when omitted: "+strings.Join(all, ", "))
	cmd.MarkFlagRequired("name")
	return cmd
}

// readLine reads one line without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns a field error into a message a terminal user can act on.
func describe(err error) error {
	e := errs.As(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	var parts []string
	for f, msg := range e.Fields {
		parts = append(parts, "--"+strings.ReplaceAll(f, "_", "-")+": "+msg)
	}
	return fmt.Errorf("%s (%s)", e.Message, strings.Join(parts, "; "))
}
