// Command telnyx-oauth is the SDK's command-line tool: every operation of
// the Telnyx OAuth API, built on package wrapper, plus a local emulator.
// Each command group lives in its own file; see "telnyx-oauth help".
package main

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line with the process's stdin and environment
// and maps the outcome to an exit code (see errors.go).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return execute(ctx, newEnv(stdout, stderr), args)
}

// execute runs args against a fresh command tree bound to e.
func execute(ctx context.Context, e *env, args []string) int {
	root := newRootCommand(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	return report(e.stderr, cmd, err)
}

const rootLong = `telnyx-oauth drives the Telnyx OAuth API from a shell: OAuth clients,
grants, tokens, introspection, keys, dynamic registration, consent and the
discovery documents. It can also serve a local emulator of the API.

Configuration comes from flags or from the environment variables the Go SDK
reads; a flag beats its variable:

  --base-url       TELNYX_BASE_URL       API host (default https://api.telnyx.com)
  --api-key        TELNYX_API_KEY        admin credential (clients, grants, consent)
  --client-id      TELNYX_CLIENT_ID      OAuth client (token, introspect, authorize-url)
  --client-secret  TELNYX_CLIENT_SECRET  its secret (confidential clients)

Prefer the environment for secrets: a flag value is visible in the shell
history and in the process list. Commands that take a token accept "-" to
read it from stdin instead.

Output is an aligned table; --json prints one JSON object, or one object per
line for lists (JSON lines). Client secrets are only ever printed by the
call that creates them.

Exit codes:
  0  success
  1  other failure (e.g. the emulator cannot listen)
  2  usage error: unknown command or flag, missing argument or credentials,
     bad value
  3  API error: the server answered with an error (its OAuth code is printed)
  4  network error: connection refused, DNS, TLS, timeout`

func newRootCommand(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "telnyx-oauth",
		Short: "Command-line client for the Telnyx OAuth API",
		Long:  rootLong,
		Example: `  export TELNYX_API_KEY=KEY
  telnyx-oauth clients list --all
  telnyx-oauth clients create --name "Billing service" --scope admin
  TELNYX_CLIENT_ID=ID TELNYX_CLIENT_SECRET=SECRET telnyx-oauth token --json
  telnyx-oauth emulator --addr 127.0.0.1:8080 --api-key dev`,
		Args:          cobra.ArbitraryArgs,
		RunE:          groupRunE,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommand(newHelpCommand())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	e.bindFlags(root)

	// Every subcommand is registered here.
	root.AddCommand(
		newClientsCommand(e),
		newGrantsCommand(e),
		newTokenCommand(e),
		newIntrospectCommand(e),
		newJWKSCommand(e),
		newRegisterCommand(e),
		newConsentCommand(e),
		newApproveCommand(e),
		newAuthorizeURLCommand(e),
		newMetadataCommand(e),
		newEmulatorCommand(),
		newDemoCommand(),
	)
	return root
}

// groupRunE runs a command that only groups subcommands: with no argument
// it prints the help, with one it reports an unknown command.
func groupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := "unknown command " + quote(args[0]) + " for " + quote(cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + quote(s[0]) + "?"
	}
	return usageErrorf("%s", msg)
}

// newHelpCommand replaces cobra's help command, which prints "Unknown help
// topic" and exits 0 for a command that does not exist: here that is a
// usage error like any other unknown command.
func newHelpCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "help [command]",
		Short:   "Help about any command",
		Example: "  telnyx-oauth help clients list",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return usageErrorf("unknown help topic %s", quote(strings.Join(args, " ")))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}
