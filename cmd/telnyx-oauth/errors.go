package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// Exit codes, documented in the root command's help.
const (
	exitOK      = 0
	exitError   = 1 // anything not classified below
	exitUsage   = 2 // bad command line
	exitAPI     = 3 // the server answered with an error
	exitNetwork = 4 // no answer: connection, DNS, TLS, timeout
)

// usageError marks a bad command line (exit code 2).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// report prints err on one line of stderr and returns the exit code.
func report(stderr io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	switch code {
	case exitUsage:
		path := "telnyx-oauth"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(stderr, "telnyx-oauth: %s (see '%s --help')\n", oneLine(trimPrefix(err.Error())), path)
	case exitAPI:
		fmt.Fprintf(stderr, "telnyx-oauth: %s\n", describeAPIError(err))
	case exitNetwork:
		fmt.Fprintf(stderr, "telnyx-oauth: network error: %s\n", oneLine(trimPrefix(err.Error())))
	default:
		fmt.Fprintf(stderr, "telnyx-oauth: %s\n", oneLine(trimPrefix(err.Error())))
	}
	return code
}

// exitCode classifies err.
func exitCode(err error) int {
	var apiErr *wrapper.APIError
	switch {
	case errors.As(err, new(usageError)), errors.Is(err, wrapper.ErrNoCredentials):
		return exitUsage
	case errors.As(err, &apiErr):
		return exitAPI
	case isNetwork(err):
		return exitNetwork
	}
	return exitError
}

func isNetwork(err error) bool {
	if op := new(net.OpError); errors.As(err, &op) && op.Op == "listen" {
		return false // a local failure (the emulator's address), not a network one
	}
	var (
		netErr  net.Error
		tlsErr  *tls.CertificateVerificationError
		authErr x509.UnknownAuthorityError
		hostErr x509.HostnameError
		recErr  tls.RecordHeaderError
	)
	return errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &tlsErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) || errors.As(err, &recErr)
}

// describeAPIError renders the first *wrapper.APIError in err's chain as
// "CODE: description (HTTP 401, operation X, request id Y)". The OAuth
// error code comes first; a gateway error supplies code, title and detail.
func describeAPIError(err error) string {
	var e *wrapper.APIError
	errors.As(err, &e)
	code, desc := e.Code, e.Description
	if code == "" && len(e.Errors) > 0 {
		g := e.Errors[0]
		code, desc = g.Code, g.Title
		if g.Detail != "" {
			desc = strings.TrimSpace(desc + ": " + g.Detail)
		}
	}
	if code == "" {
		code = "http_" + strconv.Itoa(e.StatusCode)
	}
	var b strings.Builder
	b.WriteString(code)
	if desc != "" {
		b.WriteString(": " + desc)
	}
	fmt.Fprintf(&b, " (HTTP %d, %s", e.StatusCode, e.Operation)
	if e.RequestID != "" {
		b.WriteString(", request id " + e.RequestID)
	}
	b.WriteString(")")
	return oneLine(b.String())
}

// trimPrefix drops the wrapper's package prefixes, which mean nothing to a
// shell user.
func trimPrefix(s string) string { return strings.ReplaceAll(s, "wrapper: ", "") }

// oneLine folds a message onto a single line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func quote(s string) string { return strconv.Quote(s) }
