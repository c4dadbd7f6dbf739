package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/spec/spectest"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// TestListNeverPrintsSecrets points "clients list" at a server that puts a
// client_secret in listed clients (the contract allows it): neither the
// table nor --json, one page or --all, prints it.
func TestListNeverPrintsSecrets(t *testing.T) {
	const secret = "sk_live_do_not_print_me"
	srv := spectest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[{"record_type":"oauth_client","client_id":"0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a",` +
			`"name":"svc","org_id":"o","user_id":"u","client_type":"confidential","require_pkce":false,` +
			`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","client_secret":"` + secret + `"}],` +
			`"meta":{"page_number":1,"page_size":20,"total_pages":1,"total_results":1}}`))
	}))
	h := &harness{t: t, vars: map[string]string{wrapper.EnvBaseURL: srv.URL, wrapper.EnvAPIKey: "key"}}
	for _, args := range [][]string{
		{"clients", "list"}, {"clients", "list", "--json"}, {"clients", "list", "--all"}, {"clients", "list", "--all", "--json"},
	} {
		r := h.exec("", args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "0f8e9c52") {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v printed the secret:\n%s", args, r.stdout)
		}
	}
}

// TestHelpTopics checks that "help" knows every command and that an
// unknown topic is a usage error, not a success.
func TestHelpTopics(t *testing.T) {
	h := &harness{t: t, vars: map[string]string{}}
	for _, args := range [][]string{{"help"}, {"help", "clients"}, {"help", "clients", "list"}} {
		if r := h.exec("", args...); r.code != exitOK || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"help", "nope"}, {"help", "clients", "nope"}} {
		r := h.exec("", args...)
		if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "unknown help topic") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
