package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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

// TestGoldenJSONOutputsAreJSONLines reads every golden transcript and
// checks that each successful --json command printed JSON lines: every
// non-empty stdout line one valid JSON value.
func TestGoldenJSONOutputsAreJSONLines(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	checked := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(raw), "$ telnyx-oauth ")[1:] {
			cmdLine, rest, _ := strings.Cut(block, "\n")
			if !slices.Contains(strings.Fields(cmdLine), "--json") || !strings.Contains(rest, "[exit 0]") {
				continue
			}
			stdout, _, _ := strings.Cut(rest, "[stderr]\n")
			stdout, _, _ = strings.Cut(stdout, "[exit ")
			for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
				if !json.Valid([]byte(line)) {
					t.Errorf("%s: %q printed a line that is not JSON: %q", file, cmdLine, line)
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("only %d --json commands in the golden files", checked)
	}
}
