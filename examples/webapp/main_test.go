package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// browser follows redirects and keeps cookies, but stops at the
// emulator's consent page, where a person would press Allow.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/oauth/consent-page" {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// fixture is the app, served on a loopback port, against a test emulator.
type fixture struct {
	ts     *emulator.TestServer
	admin  *wrapper.Client
	appURL string
	app    *webApp
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ts := emulator.NewTestServer(t)
	admin, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithAPIKey(ts.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	appURL := "http://" + srv.Listener.Addr().String()
	cl, err := admin.Clients.Create(context.Background(), wrapper.CreateClientRequest{
		Name: "test-webapp", ClientType: wrapper.ClientConfidential,
		AllowedGrantTypes: []wrapper.GrantType{wrapper.GrantAuthorizationCode, wrapper.GrantRefreshToken},
		AllowedScopes:     []string{"admin"}, RedirectUris: &[]string{appURL + "/callback"},
	})
	if err != nil {
		t.Fatal(err)
	}
	api, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(ts.URL), wrapper.WithClientCredentials(cl.ClientID, *cl.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	app := newWebApp(api, cl.ClientID, appURL+"/callback")
	srv.Config.Handler = app.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &fixture{ts: ts, admin: admin, appURL: appURL, app: app}
}

// startSignIn follows /login to the consent page and returns the consent
// token.
func (f *fixture) startSignIn(t *testing.T, b *http.Client) string {
	t.Helper()
	resp, err := b.Get(f.appURL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Request.URL.String(), f.ts.URL+"/v2/oauth/authorize?") {
		t.Fatalf("stopped at %s %s, want the authorize endpoint's redirect", resp.Status, resp.Request.URL)
	}
	if q := resp.Request.URL.Query(); q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" {
		t.Fatalf("authorize request lacks PKCE or state: %v", q)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("consent_token") == "" {
		t.Fatalf("no consent token in %q (%v)", resp.Header.Get("Location"), err)
	}
	return loc.Query().Get("consent_token")
}

func get(t *testing.T, b *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestSignIn(t *testing.T) {
	f := newFixture(t)
	b := browser(t)
	if _, body := get(t, b, f.appURL+"/"); !strings.Contains(body, "not signed in") {
		t.Fatalf("home before sign-in: %s", body)
	}
	ct := f.startSignIn(t, b)
	back, err := f.admin.OAuth.ApproveConsent(context.Background(), ct) // the user presses Allow
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(back, f.appURL+"/callback?") {
		t.Fatalf("consent sends the browser to %s, want the app's callback", back)
	}
	status, body := get(t, b, back)
	if status != http.StatusOK || !strings.Contains(body, "Signed in as ") || !strings.Contains(body, `scope "admin"`) {
		t.Fatalf("after callback: %d %s", status, body)
	}
	grants, err := wrapper.Collect(f.admin.Grants.All(context.Background(), wrapper.ListGrantsParams{}))
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants after sign-in: %d, %v; want 1", len(grants), err)
	}
	// Replaying the callback is refused: the sign-in it belonged to is over.
	if status, _ := get(t, b, back); status == http.StatusOK {
		t.Error("a replayed callback signed in again")
	}
}

func TestLoginCookie(t *testing.T) {
	f := newFixture(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(f.appURL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var state *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == stateCookie {
			state = c
		}
	}
	if state == nil || !state.HttpOnly || state.SameSite != http.SameSiteLaxMode {
		t.Fatalf("state cookie %+v, want HttpOnly and SameSite=Lax", state)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != state.Value {
		t.Error("the cookie does not carry the state sent to the authorization server")
	}
}

func TestCallbackRefusesForeignState(t *testing.T) {
	f := newFixture(t)
	b := browser(t)
	ct := f.startSignIn(t, b)
	back, err := f.admin.OAuth.ApproveConsent(context.Background(), ct)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("state", "attacker-state")
	u.RawQuery = q.Encode()
	status, body := get(t, b, u.String())
	if status != http.StatusBadRequest || strings.Contains(body, "Signed in") {
		t.Fatalf("foreign state: %d %s, want 400", status, body)
	}
	if _, body := get(t, browser(t), back); strings.Contains(body, "Signed in") {
		t.Fatal("a browser without the state cookie signed in")
	}
}

func TestDeniedConsent(t *testing.T) {
	f := newFixture(t)
	b := browser(t)
	back, err := f.admin.OAuth.DenyConsent(context.Background(), f.startSignIn(t, b))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := get(t, b, back); status != http.StatusForbidden || !strings.Contains(body, "declined") {
		t.Fatalf("after deny: %d %s, want 403", status, body)
	}
}

// TestServeWithoutEnvironment runs the program as "go run" would, with its
// own emulator, and signs in through the emulator's consent page.
func TestServeWithoutEnvironment(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, pw, "127.0.0.1:0", "", func(string) string { return "" })
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	var appURL string
	for appURL == "" {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("serve printed no URL: %v", err)
		}
		if rest, ok := strings.CutPrefix(line, "open "); ok {
			appURL = strings.TrimSuffix(strings.Fields(rest)[0], "/")
		}
	}
	go io.Copy(io.Discard, out)

	b := browser(t)
	b.CheckRedirect = nil // follow all the way to the consent page
	resp, err := b.Get(appURL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/oauth/consent-page" || !strings.Contains(string(page), "example-webapp") {
		t.Fatalf("login led to %s: %s", resp.Request.URL, page)
	}
	// Press Allow.
	form := url.Values{"consent_token": {resp.Request.URL.Query().Get("consent_token")}, "allowed": {"true"}}
	resp, err = b.PostForm(resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/oauth/consent-page", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Signed in as ") {
		t.Fatalf("after Allow: %s %s", resp.Status, body)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("serve: %v", err)
	}
}
