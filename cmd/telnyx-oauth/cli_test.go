package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

func TestGoldenClients(t *testing.T) {
	h := newHarness(t)
	created := h.ok("clients", "create", "--name", "Billing service", "--scope", "admin")
	if !strings.Contains(created.stdout, "sk_emu_") || !strings.Contains(created.stderr, "shown only this once") {
		t.Fatalf("create must show the secret once with a warning:\n%s%s", created.stdout, created.stderr)
	}
	web := h.ok("clients", "create", "--name", "Web app", "--type", "public",
		"--grant-type", "authorization_code,refresh_token", "--redirect-uri", "https://app.example.com/callback",
		"--require-pkce", "--json")
	webID := jsonField(t, web.stdout, "client_id")
	h.ok("clients", "create", "--name", "Reporting", "--idempotency-key", "golden-1")

	list := h.ok("clients", "list")
	if strings.Contains(list.stdout, "sk_emu_") {
		t.Fatal("list printed a secret")
	}
	h.ok("clients", "list", "--json")
	h.ok("clients", "list", "--page-size", "2")
	h.ok("clients", "list", "--page", "2", "--page-size", "2", "--json")
	h.ok("clients", "list", "--type", "public", "--name-contains", "Web")
	h.ok("clients", "get", webID)
	h.ok("clients", "get", webID, "--json")
	h.ok("clients", "update", webID, "--name", "Web app v2", "--scope", "admin", "--logo-uri", "https://app.example.com/logo.png")
	h.ok("clients", "update", webID, "--require-pkce=false", "--json")
	h.ok("clients", "delete", webID)
	h.ok("clients", "delete", jsonField(t, h.exec("", "clients", "list", "--name", "Reporting", "--json").stdout, "client_id"), "--json")
	h.run("clients", "get", webID)
	h.check("clients")
}

func TestGoldenClientsAll(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"alpha", "bravo", "charlie", "delta", "echo"} {
		if r := h.exec("", "clients", "create", "--name", name); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	h.ok("clients", "list", "--all", "--page-size", "2")
	h.ok("clients", "list", "--all", "--page-size", "2", "--json")
	h.ok("clients", "list", "--all", "--page-size", "2", "--limit", "3")
	h.check("clients_all")
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"a", "b", "c"} {
		h.exec("", "clients", "create", "--name", name)
	}
	plain := h.exec("", "clients", "list", "--all", "--page-size", "1")
	if plain.stderr != "" {
		t.Errorf("progress without a terminal: %q", plain.stderr)
	}
	h.tty = true
	tty := h.exec("", "clients", "list", "--all", "--page-size", "1")
	for _, want := range []string{"1 clients fetched", "2 clients fetched", "3 clients fetched"} {
		if !strings.Contains(tty.stderr, want) {
			t.Errorf("progress %q missing from %q", want, tty.stderr)
		}
	}
	if !strings.HasSuffix(tty.stderr, "\r\033[K") {
		t.Errorf("progress line not cleared at the end: %q", tty.stderr)
	}
	if tty.stdout != plain.stdout {
		t.Errorf("stdout depends on the terminal:\n%s\n%s", tty.stdout, plain.stdout)
	}
	h.tty = false
	if js := h.exec("", "clients", "list", "--all", "--page-size", "1", "--json"); strings.Count(js.stdout, "\n") != 3 {
		t.Errorf("want 3 JSON lines, got %q", js.stdout)
	}
}

// TestGoldenAuthorizationCode walks the authorization-code flow through
// the CLI: authorize-url, consent, approve, token exchange, refresh,
// grants list/get/revoke, and introspection before and after revocation.
func TestGoldenAuthorizationCode(t *testing.T) {
	h := newHarness(t)
	const redirect = "https://app.example.com/callback"
	svc := h.exec("", "clients", "create", "--name", "Resource server", "--json")
	web := h.ok("clients", "create", "--name", "Web app", "--type", "public",
		"--grant-type", "authorization_code,refresh_token", "--redirect-uri", redirect, "--json")
	webID := jsonField(t, web.stdout, "client_id")

	h.vars[wrapper.EnvClientID] = webID
	au := h.ok("authorize-url", "--redirect-uri", redirect, "--scope", "admin")
	if !strings.Contains(au.stdout, "code_challenge_method=S256") {
		t.Fatalf("no PKCE in %s", au.stdout)
	}
	session := h.ok("authorize-url", "--redirect-uri", redirect, "--scope", "admin", "--json")
	state, verifier := jsonField(t, session.stdout, "state"), jsonField(t, session.stdout, "code_verifier")
	if strings.Contains(au.stdout, jsonField(t, session.stdout, "state")) {
		t.Fatal("two calls made the same state")
	}

	// The browser step: following the URL leads to the consent page, whose
	// URL carries the consent token.
	ct := h.consentToken(jsonField(t, session.stdout, "url"))
	h.ok("consent", ct)
	h.runIn(ct+"\n", "consent", "-", "--json")
	approved := h.ok("approve", ct, "--json")
	code := jsonField(t, approved.stdout, "code")
	if got := jsonField(t, approved.stdout, "state"); got != state {
		t.Fatalf("approve returned state %q, want the session's", got)
	}

	h.run("token", "--grant-type", "authorization_code", "--code", code, "--redirect-uri", redirect) // no verifier: refused, and the code is spent
	ct = h.consentToken(jsonField(t, session.stdout, "url"))
	code = jsonField(t, h.exec("", "approve", ct, "--json").stdout, "code")
	tok := h.ok("token", "--grant-type", "authorization_code", "--code", code, "--redirect-uri", redirect, "--code-verifier", verifier, "--json")
	refresh := jsonField(t, tok.stdout, "refresh_token")
	refreshed := h.runIn(refresh+"\n", "token", "--grant-type", "refresh_token", "--refresh-token", "-")
	access2 := strings.Fields(strings.SplitN(refreshed.stdout, "\n", 2)[0])[1]

	grants := h.ok("grants", "list", "--json")
	// Each approval made a grant; the second one holds the tokens.
	lines := strings.Split(strings.TrimSpace(grants.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 grants, got %q", grants.stdout)
	}
	grantID := jsonField(t, lines[1], "id")
	h.ok("grants", "list")
	h.ok("grants", "get", grantID)
	h.ok("grants", "get", grantID, "--json")
	h.ok("grants", "revoke", jsonField(t, lines[0], "id")) // the first grant, whose code was spent

	// Introspection needs a confidential client.
	h.vars[wrapper.EnvClientID] = jsonField(t, svc.stdout, "client_id")
	h.vars[wrapper.EnvClientSecret] = jsonField(t, svc.stdout, "client_secret")
	if r := h.runIn(access2+"\n", "introspect", "-"); !strings.Contains(r.stdout, "true") {
		t.Fatalf("refreshed token inactive: %s", r.stdout)
	}
	h.ok("grants", "revoke", grantID, "--json")
	if r := h.runIn(access2+"\n", "introspect", "-", "--json"); r.stdout != `{"active":false}`+"\n" {
		t.Fatalf("token of a revoked grant: %s", r.stdout)
	}
	h.vars[wrapper.EnvClientID] = webID
	delete(h.vars, wrapper.EnvClientSecret)
	h.run("token", "--grant-type", "refresh_token", "--refresh-token", refresh) // rotated: invalid_grant
	h.check("authorization_code")

	// A denied consent redirects with access_denied.
	h.script.Reset()
	h.ok("approve", h.consentToken(jsonField(t, session.stdout, "url")), "--deny")
	h.check("approve_deny")
}

func TestGoldenClientCredentials(t *testing.T) {
	h := newHarness(t)
	svc := h.exec("", "clients", "create", "--name", "svc", "--json")
	delete(h.vars, wrapper.EnvAPIKey)
	h.vars[wrapper.EnvClientID] = jsonField(t, svc.stdout, "client_id")
	h.vars[wrapper.EnvClientSecret] = jsonField(t, svc.stdout, "client_secret")
	tok := h.ok("token")
	h.ok("token", "--scope", "admin", "--json")
	access := strings.Fields(strings.SplitN(tok.stdout, "\n", 2)[0])[1]
	h.ok("introspect", access)
	h.runIn(access, "introspect", "-", "--json")
	h.ok("introspect", "not-a-token")
	// Admin commands fall back to client credentials without an API key.
	h.ok("clients", "list")
	h.check("client_credentials")
}

func TestGoldenDiscovery(t *testing.T) {
	h := newHarness(t)
	delete(h.vars, wrapper.EnvAPIKey) // none of these need credentials
	h.ok("metadata")
	h.ok("metadata", "--json")
	h.ok("metadata", "authorization-server")
	h.ok("metadata", "protected-resource", "--json")
	h.ok("jwks")
	h.ok("jwks", "--json")
	h.check("discovery")
}

func TestGoldenRegister(t *testing.T) {
	h := newHarness(t)
	delete(h.vars, wrapper.EnvAPIKey)
	pub := h.ok("register", "--name", "Scheduling agent", "--auth-method", "none",
		"--grant-type", "authorization_code,refresh_token", "--redirect-uri", "https://agent.example.com/callback", "--scope", "admin")
	if strings.Contains(pub.stderr, "shown only") {
		t.Error("a public client has no secret to warn about")
	}
	conf := h.ok("register", "--name", "Batch job", "--grant-type", "client_credentials", "--json")
	if jsonField(t, conf.stdout, "client_secret") == "" || !strings.Contains(conf.stderr, "shown only this once") {
		t.Errorf("confidential registration: %s %s", conf.stdout, conf.stderr)
	}
	h.run("register", "--grant-type", "authorization_code") // no redirect URI: invalid_client_metadata
	h.check("register")
}

func TestGoldenUsageErrors(t *testing.T) {
	h := newHarness(t)
	cases := [][]string{
		{"clients", "list", "--bogus"},
		{"clientz"},
		{"clients", "lst"},
		{"clients", "get"},
		{"clients", "get", "a", "b"},
		{"clients", "get", "not-a-uuid"},
		{"clients", "list", "--page-size", "500"},
		{"clients", "list", "--page-size", "many"},
		{"clients", "list", "--limit", "3"},
		{"clients", "create"},
		{"clients", "create", "--name", "x", "--type", "secret"},
		{"clients", "create", "--name", "x", "--redirect-uri", "/callback"},
		{"clients", "update", "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"},
		{"grants", "revoke"},
		{"token", "--grant-type", "password"},
		{"token", "--grant-type", "authorization_code"},
		{"token", "--code", "x"},
		{"introspect"},
		{"introspect", "-"},
		{"metadata", "openid-configuration"},
		{"authorize-url", "--redirect-uri", "https://a.example/cb"},
		{"register", "--auth-method", "magic"},
		{"jwks", "--timeout", "0s"},
		{"jwks", "--base-url", "ftp://example.com"},
	}
	for _, args := range cases {
		r := h.run(args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
		if r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "--help") {
			t.Errorf("%v: want one line on stderr pointing at --help, got %q / %q", args, r.stdout, r.stderr)
		}
	}
	delete(h.vars, wrapper.EnvAPIKey)
	if r := h.run("grants", "list"); r.code != exitUsage {
		t.Errorf("no credentials: exit %d", r.code)
	}
	h.check("usage_errors")
}

func TestGoldenAPIAndNetworkErrors(t *testing.T) {
	h := newHarness(t)
	var outputs strings.Builder
	run := func(args ...string) {
		r := h.run(args...)
		outputs.WriteString(r.stdout + r.stderr)
	}
	run("clients", "get", "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a")
	run("grants", "revoke", "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
	run("consent", "ct_unknown")
	h.vars[wrapper.EnvAPIKey] = "wrong-key"
	run("clients", "list")
	h.vars[wrapper.EnvClientID] = "0f8e9c52-4a7b-4d8e-9a51-3c2d1e0f9b7a"
	h.vars[wrapper.EnvClientSecret] = "wrong-secret"
	run("token")
	run("--base-url", "http://127.0.0.1:1", "--max-retries", "0", "jwks")
	run("--base-url", "http://127.0.0.1:1", "--max-retries", "0", "clients", "list")
	got := h.script.String()
	for _, want := range []string{"[exit 3]", "[exit 4]", "not_found", "invalid_client"} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	for _, secret := range []string{"wrong-secret", "wrong-key", "ct_unknown"} {
		if strings.Contains(outputs.String(), secret) {
			t.Errorf("a secret reached the output: %s", secret)
		}
	}
	h.check("errors")
}

func TestGoldenHelp(t *testing.T) {
	h := newHarness(t)
	h.ok("--help")
	h.ok("clients")
	h.ok("token", "--help")
	h.check("help")
}

// TestEveryCommandHasHelpWithExample walks the command tree.
func TestEveryCommandHasHelpWithExample(t *testing.T) {
	var walk func(*cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		seen++
		if c.Name() != "help" && c.Example == "" {
			t.Errorf("%q has no example", c.CommandPath())
		}
		if c.Short == "" {
			t.Errorf("%q has no short description", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCommand(newEnv(nil, nil)))
	if seen < 18 {
		t.Errorf("only %d commands in the tree", seen)
	}
}

func TestSecretsFromEnvironmentNotFlags(t *testing.T) {
	// A flag beats its environment variable.
	h := newHarness(t)
	h.vars[wrapper.EnvAPIKey] = "wrong-key"
	if r := h.exec("", "--api-key", h.ts.APIKey, "clients", "list"); r.code != exitOK {
		t.Fatalf("flag did not beat env: %d %s", r.code, r.stderr)
	}
	h.vars[wrapper.EnvBaseURL] = "http://127.0.0.1:1"
	if r := h.exec("", "--base-url", h.ts.URL, "--api-key", h.ts.APIKey, "jwks"); r.code != exitOK {
		t.Fatalf("--base-url did not beat env: %d %s", r.code, r.stderr)
	}
}

func TestGoldenEmulator(t *testing.T) {
	var script strings.Builder
	base, _, _, stop := startEmulator(t, "--api-key", "dev")
	fmt.Fprintf(&script, "$ telnyx-oauth emulator --addr 127.0.0.1:0 --api-key dev\n%s\n", base)
	if code := stop(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	base2, out, _, stop2 := startEmulator(t)
	key, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&script, "$ telnyx-oauth emulator --addr 127.0.0.1:0\n%s\n%s", base2, key)
	if code := stop2(); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	got := normalise(normalise(script.String(), base), base2)
	compareGolden(t, "emulator", got)
}

func TestDebugLogsRedacted(t *testing.T) {
	h := newHarness(t)
	svc := h.exec("", "clients", "create", "--name", "svc", "--json")
	id, secret := jsonField(t, svc.stdout, "client_id"), jsonField(t, svc.stdout, "client_secret")
	h.vars[wrapper.EnvClientID], h.vars[wrapper.EnvClientSecret] = id, secret
	tok := h.exec("", "token", "--json")
	access := jsonField(t, tok.stdout, "access_token")
	r := h.exec(access, "--debug", "introspect", "-")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "level=DEBUG") || !strings.Contains(r.stderr, "path=/v2/oauth/introspect") {
		t.Errorf("no debug log of the attempt:\n%s", r.stderr)
	}
	for _, s := range []string{secret, access, h.ts.APIKey} {
		if strings.Contains(r.stderr, s) {
			t.Errorf("debug log holds a secret (%.10s…)", s)
		}
	}
	if plain := h.exec(access, "introspect", "-"); plain.stderr != "" {
		t.Errorf("logs without --debug: %s", plain.stderr)
	}
}

// TestTimeoutIsNetworkError points the CLI at a server that never answers;
// --timeout ends the command with exit code 4.
func TestTimeoutIsNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	h := newHarness(t)
	r := h.run("--base-url", srv.URL, "--timeout", "50ms", "jwks")
	if r.code != exitNetwork || !strings.Contains(r.stderr, "network error") || !strings.Contains(r.stderr, "deadline exceeded") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}
