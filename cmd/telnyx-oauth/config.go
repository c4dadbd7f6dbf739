package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// env is what one run of the command sees: its streams, its environment
// and the global flags. Tests build one with buffers and a map.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stderrTTY reports whether stderr is a terminal (progress lines).
	stderrTTY bool

	flags globalFlags
	// extra are more wrapper options (tests set a zero backoff).
	extra []wrapper.Option
}

// globalFlags are the persistent flags of the root command.
type globalFlags struct {
	baseURL, apiKey, clientID, clientSecret string
	timeout                                 time.Duration
	retries                                 int
	json, debug                             bool
}

func newEnv(stdout, stderr io.Writer) *env {
	return &env{
		stdin: os.Stdin, stdout: stdout, stderr: stderr,
		getenv:    os.Getenv,
		stderrTTY: isTerminal(stderr),
	}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (e *env) bindFlags(root *cobra.Command) {
	fl := root.PersistentFlags()
	fl.StringVar(&e.flags.baseURL, "base-url", "", "API host or /v2 base (env "+wrapper.EnvBaseURL+"; default "+wrapper.DefaultBaseURL+")")
	fl.StringVar(&e.flags.apiKey, "api-key", "", "admin API key (env "+wrapper.EnvAPIKey+"; prefer the variable)")
	fl.StringVar(&e.flags.clientID, "client-id", "", "OAuth client id (env "+wrapper.EnvClientID+")")
	fl.StringVar(&e.flags.clientSecret, "client-secret", "", "OAuth client secret (env "+wrapper.EnvClientSecret+"; prefer the variable)")
	fl.DurationVar(&e.flags.timeout, "timeout", 30*time.Second, "time limit for the whole command, retries included")
	fl.IntVar(&e.flags.retries, "max-retries", 2, "retries of a failed idempotent request (0..10)")
	fl.BoolVar(&e.flags.json, "json", false, "print JSON (one object per line for lists)")
	fl.BoolVar(&e.flags.debug, "debug", false, "log every HTTP attempt to stderr (secrets redacted)")
}

// setting is one configuration value and whether it came from a flag.
type setting struct {
	value    string
	fromFlag bool
}

func (e *env) setting(flag, variable string) setting {
	if flag != "" {
		return setting{flag, true}
	}
	return setting{strings.TrimSpace(e.getenv(variable)), false}
}

// credentials says which credential a command authenticates with.
type credentials int

const (
	credNone   credentials = iota // public endpoints
	credAdmin                     // bearer: API key, else client credentials
	credClient                    // client authentication: client id and secret
)

// client builds a wrapper client for a command. Configuration is resolved
// here (flag, else environment) and passed to the wrapper explicitly with
// the environment switched off, so that each command uses exactly the
// credential it needs: admin commands prefer an API key but let explicit
// client-credential flags beat an API key from the environment; token and
// introspection use the client credentials even when an API key is set.
func (e *env) client(cred credentials) (*wrapper.Client, error) {
	f := e.flags
	if f.timeout <= 0 {
		return nil, usageErrorf("--timeout must be positive, got %s", f.timeout)
	}
	if f.retries < 0 || f.retries > 10 {
		return nil, usageErrorf("--max-retries must be in 0..10, got %d", f.retries)
	}
	opts := []wrapper.Option{wrapper.WithoutEnvironment(), wrapper.WithMaxRetries(f.retries), wrapper.WithUserAgent("telnyx-oauth-cli")}
	if base := e.setting(f.baseURL, wrapper.EnvBaseURL); base.value != "" {
		opts = append(opts, wrapper.WithBaseURL(base.value))
	}
	if f.debug {
		h := slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
		opts = append(opts, wrapper.WithLogger(slog.New(h)))
	}
	key := e.setting(f.apiKey, wrapper.EnvAPIKey)
	id := e.setting(f.clientID, wrapper.EnvClientID)
	secret := e.setting(f.clientSecret, wrapper.EnvClientSecret)
	haveClient := id.value != "" && secret.value != ""
	switch cred {
	case credAdmin:
		switch {
		case key.fromFlag:
			opts = append(opts, wrapper.WithAPIKey(key.value))
		case haveClient && (id.fromFlag || secret.fromFlag):
			opts = append(opts, wrapper.WithClientCredentials(id.value, secret.value))
		case key.value != "":
			opts = append(opts, wrapper.WithAPIKey(key.value))
		case haveClient:
			opts = append(opts, wrapper.WithClientCredentials(id.value, secret.value))
		default:
			return nil, usageErrorf("no credentials: set %s (or --api-key), or %s and %s",
				wrapper.EnvAPIKey, wrapper.EnvClientID, wrapper.EnvClientSecret)
		}
	case credClient:
		if haveClient {
			opts = append(opts, wrapper.WithClientCredentials(id.value, secret.value))
		}
	}
	c, err := wrapper.New(append(opts, e.extra...)...)
	if err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// clientID is the configured client id (flag, else environment).
func (e *env) clientID() string {
	return e.setting(e.flags.clientID, wrapper.EnvClientID).value
}

// hasClientSecret reports whether a client secret is configured.
func (e *env) hasClientSecret() bool {
	return e.setting(e.flags.clientSecret, wrapper.EnvClientSecret).value != ""
}

// open builds the wrapper client for cred and the command's context,
// bounded by --timeout; the caller defers cancel.
func (e *env) open(cmd *cobra.Command, cred credentials) (*wrapper.Client, context.Context, context.CancelFunc, error) {
	c, err := e.client(cred)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := e.context(cmd)
	return c, ctx, cancel, nil
}

// context bounds a command by --timeout.
func (e *env) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), e.flags.timeout)
}

// secretArg returns v, or the first line of stdin when v is "-", so that a
// token need not appear in the shell history.
func (e *env) secretArg(name, v string) (string, error) {
	if v != "-" {
		if v == "" {
			return "", usageErrorf("%s is empty", name)
		}
		return v, nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read %s from stdin: %w", name, err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", usageErrorf("no %s on stdin", name)
	}
	return line, nil
}

// pageFlags are the paging flags of the list commands.
type pageFlags struct {
	page, size, limit int
	all               bool
}

func (f *pageFlags) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&f.page, "page", 0, "page number to list (first page of --all)")
	fl.IntVar(&f.size, "page-size", 0, "items per page, 1..100 (server default 20)")
	fl.BoolVar(&f.all, "all", false, "stream every page")
	fl.IntVar(&f.limit, "limit", 0, "with --all, stop after this many items")
}

func (f *pageFlags) check() error {
	switch {
	case f.page < 0:
		return usageErrorf("--page must be positive, got %d", f.page)
	case f.size < 0 || f.size > 100:
		return usageErrorf("--page-size must be in 1..100, got %d", f.size)
	case f.limit < 0:
		return usageErrorf("--limit must not be negative, got %d", f.limit)
	case f.limit > 0 && !f.all:
		return usageErrorf("--limit needs --all")
	}
	return nil
}

// flushEvery is the page size the table flushes on.
func (f *pageFlags) flushEvery() int {
	if f.size > 0 {
		return f.size
	}
	return 20
}

// uuidArg checks that an id argument is a UUID before anything is sent.
func uuidArg(what, s string) (string, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return "", usageErrorf("%s %q is not a UUID", what, s)
	}
	return u.String(), nil
}

// exactArgs wants one positional argument per name.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usageErrorf("missing argument %s", names[len(args)])
		case len(args) > len(names):
			return unexpectedArg(len(names))
		}
		return nil
	}
}

// noArgs refuses positional arguments.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unexpectedArg(0)
	}
	return nil
}

// unexpectedArg reports a surplus positional argument by position, never
// by value: a stray argument is often a token or secret typed in the
// wrong place, and the error goes to a terminal or a CI log.
func unexpectedArg(takes int) error {
	if takes == 0 {
		return usageErrorf("unexpected argument: this command takes none")
	}
	return usageErrorf("unexpected argument %d: this command takes %d", takes+1, takes)
}

// absoluteURIs checks the values of a URI flag before anything is sent.
func absoluteURIs(flag string, uris []string) error {
	for _, r := range uris {
		if u, err := url.Parse(r); err != nil || !u.IsAbs() {
			return usageErrorf("%s %q is not an absolute URI", flag, r)
		}
	}
	return nil
}

// idempotency is the per-call option for --idempotency-key, when given. With
// a key the wrapper may retry a create or a registration safely.
func idempotency(key string) []wrapper.CallOption {
	if key == "" {
		return nil
	}
	return []wrapper.CallOption{wrapper.WithIdempotencyKey(key)}
}
