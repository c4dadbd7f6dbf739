// Command telnyx-oauth is the SDK's command-line tool. Each command group
// lives in its own file; see "telnyx-oauth help".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and maps the outcome to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "telnyx-oauth:", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitError
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "telnyx-oauth",
		Short:         "Tools for the Telnyx OAuth API",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newEmulatorCommand())
	root.AddCommand(newDemoCommand())
	return root
}

// usageError marks a bad command line (exit code 2).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }
