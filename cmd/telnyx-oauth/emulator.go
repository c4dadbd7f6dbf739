package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

type emulatorFlags struct {
	addr       string
	apiKey     string
	accessTTL  time.Duration
	refreshTTL time.Duration
	codeTTL    time.Duration
	consentTTL time.Duration
	noValidate bool
	faults     []string
}

func newEmulatorCommand() *cobra.Command {
	var f emulatorFlags
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Serve an in-memory Telnyx OAuth API for local development and tests",
		Long: `Serve the Telnyx OAuth API from memory: the API at http://ADDR/v2 and the
discovery documents at http://ADDR/.well-known/... The first line printed is
the base URL; without --api-key a key is generated and printed next.

A --fault rule is comma-separated key=value pairs: path (prefix), status
(429 or 5xx), retry-after, latency, count, fraction. For example
  --fault path=/v2/oauth/token,status=429,retry-after=2s,count=3`,
		Example: `  telnyx-oauth emulator --addr 127.0.0.1:8080 --api-key dev
  TELNYX_BASE_URL=http://127.0.0.1:8080 TELNYX_API_KEY=dev telnyx-oauth clients list
  telnyx-oauth emulator --fault path=/v2/oauth/token,status=503,count=2`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEmulator(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	fl.StringVar(&f.apiKey, "api-key", "", "admin API key (generated and printed when empty)")
	fl.DurationVar(&f.accessTTL, "access-token-ttl", time.Hour, "access token lifetime")
	fl.DurationVar(&f.refreshTTL, "refresh-token-ttl", 30*24*time.Hour, "refresh token lifetime")
	fl.DurationVar(&f.codeTTL, "code-ttl", 5*time.Minute, "authorization code lifetime")
	fl.DurationVar(&f.consentTTL, "consent-ttl", 10*time.Minute, "consent token lifetime")
	fl.BoolVar(&f.noValidate, "no-validate", false, "skip contract validation of requests and responses")
	fl.StringArrayVar(&f.faults, "fault", nil, "fault rule (repeatable); see above")
	return cmd
}

func runEmulator(cmd *cobra.Command, f emulatorFlags) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	opts, err := f.options()
	if err != nil {
		return usageError{err}
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	srv, err := emulator.Start(f.addr, append(opts, emulator.WithLogger(logger))...)
	var netErr *net.OpError
	switch {
	case errors.As(err, &netErr):
		return err // cannot listen: not the command line's fault
	case err != nil:
		return usageError{err} // an option the emulator refused
	}
	fmt.Fprintln(cmd.OutOrStdout(), srv.URL)
	if f.apiKey == "" {
		fmt.Fprintln(cmd.OutOrStdout(), "API key:", srv.APIKey)
	}
	logger.Info("emulator serving", "api", srv.URL+"/v2")
	select {
	case <-srv.Done():
		return srv.Err()
	case <-ctx.Done():
	}
	logger.Info("emulator shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func (f emulatorFlags) options() ([]emulator.Option, error) {
	opts := []emulator.Option{
		emulator.WithAccessTokenTTL(f.accessTTL), emulator.WithRefreshTokenTTL(f.refreshTTL),
		emulator.WithCodeTTL(f.codeTTL), emulator.WithConsentTTL(f.consentTTL),
		emulator.WithValidation(!f.noValidate),
	}
	if f.apiKey != "" {
		opts = append(opts, emulator.WithAPIKey(f.apiKey))
	}
	for _, spec := range f.faults {
		fault, err := parseFault(spec)
		if err != nil {
			return nil, err
		}
		opts = append(opts, emulator.WithFault(fault))
	}
	return opts, nil
}

// parseFault reads "path=/v2/x,status=429,retry-after=2s,latency=50ms,count=3,fraction=0.5".
func parseFault(s string) (emulator.Fault, error) {
	var f emulator.Fault
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return f, fmt.Errorf("fault %q: %q is not key=value", s, part)
		}
		var err error
		switch k {
		case "path":
			f.PathPrefix = v
		case "status":
			f.Status, err = strconv.Atoi(v)
		case "retry-after":
			f.RetryAfter, err = time.ParseDuration(v)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "count":
			f.Count, err = strconv.Atoi(v)
		case "fraction":
			f.Fraction, err = strconv.ParseFloat(v, 64)
		default:
			return f, fmt.Errorf("fault %q: unknown key %q", s, k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: bad %s: %w", s, k, err)
		}
	}
	return f, nil
}
