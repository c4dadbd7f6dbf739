package wrapper

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestColdStartMakesOneTokenRequest(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	var tokenCalls atomic.Int64
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		<-release // hold the fetch until every goroutine is waiting
		writeJSON(w, 200, tokenJSON("tok-shared", 3600))
	})
	var seen sync.Map
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("Authorization"), true)
		writeJSON(w, 200, map[string]any{"data": clientJSON(clientUUID, "x")})
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret))

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	var started sync.WaitGroup
	started.Add(n)
	for range n {
		wg.Go(func() {
			started.Done()
			_, err := c.Clients.Get(context.Background(), clientUUID)
			errs <- err
		})
	}
	started.Wait()
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := tokenCalls.Load(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	if got := f.count("GET /v2/oauth_clients/{id}"); got != n {
		t.Errorf("API calls = %d, want %d", got, n)
	}
	if _, ok := seen.Load("Bearer tok-shared"); !ok {
		t.Error("token not used as bearer")
	}
}

func TestUnauthorizedRefreshesOnceAndRetries(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(3600)
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			gatewayErr(w, 401, "10009", "Authentication failed")
			return
		}
		writeJSON(w, 200, map[string]any{"data": clientJSON(clientUUID, "x")})
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret))
	if _, err := c.Clients.Get(context.Background(), clientUUID); err != nil {
		t.Fatal(err)
	}
	if got := f.count("POST /v2/oauth/token"); got != 2 {
		t.Errorf("token requests = %d, want 2", got)
	}
	if got := f.count("GET /v2/oauth_clients/{id}"); got != 2 {
		t.Errorf("API calls = %d, want 2", got)
	}
}

func TestUnauthorizedTwiceGivesUp(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(3600)
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		gatewayErr(w, 401, "10009", "Authentication failed")
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret))
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v", err)
	}
	if got := f.count("GET /v2/oauth_clients/{id}"); got != 2 {
		t.Errorf("API calls = %d, want 2 (one retry after refresh)", got)
	}
}

func TestRefreshAheadOfExpiry(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(60)
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithClock(clock), WithRefreshLeeway(10*time.Second))
	ts := c.TokenSource()
	get := func() string {
		tok, err := ts.Token()
		if err != nil {
			t.Fatal(err)
		}
		return tok.AccessToken
	}
	if got := get(); got != "tok-1" {
		t.Fatalf("first token %q", got)
	}
	advance(45 * time.Second) // 15s left > leeway
	if got := get(); got != "tok-1" {
		t.Errorf("refreshed too early: %q", got)
	}
	advance(6 * time.Second) // 9s left < leeway
	if got := get(); got != "tok-2" {
		t.Errorf("not refreshed ahead of expiry: %q", got)
	}
}

func TestWaiterCancelDoesNotCancelSharedFetch(t *testing.T) {
	f := newFake(t)
	release := make(chan struct{})
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		<-release
		writeJSON(w, 200, tokenJSON("tok-late", 3600))
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := c.tokens.token(ctx); done <- err }()
	for f.count("POST /v2/oauth/token") == 0 {
		time.Sleep(time.Millisecond) // wait for the fetch to reach the server
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("waiter got %v, want context.Canceled", err)
	}
	close(release)
	tok, err := c.tokens.token(context.Background())
	if err != nil || tok.AccessToken != "tok-late" {
		t.Fatalf("shared fetch: %v %v", tok, err)
	}
	if got := f.count("POST /v2/oauth/token"); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
}

type memStore struct {
	mu    sync.Mutex
	tok   *oauth2.Token
	saves int
}

func (s *memStore) Load(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, nil
}

func (s *memStore) Save(_ context.Context, t *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok, s.saves = t, s.saves+1
	return nil
}

func TestTokenStoreLoadAndSave(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(3600)
	st := &memStore{}
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithTokenStore(st))
	tok, err := c.TokenSource().Token()
	if err != nil || tok.AccessToken != "tok-1" || st.saves != 1 {
		t.Fatalf("got %v %v saves=%d", tok, err, st.saves)
	}
	// A second client with the same store starts from the stored token.
	c2 := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithTokenStore(st))
	tok, err = c2.TokenSource().Token()
	if err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("got %v %v", tok, err)
	}
	if got := f.count("POST /v2/oauth/token"); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
}

func TestClientAuthInBody(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); ok {
			t.Error("Basic auth sent with AuthStyleInBody")
		}
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		if r.PostFormValue("client_id") != testID || r.PostFormValue("client_secret") != testSecret || r.PostFormValue("grant_type") != "client_credentials" || r.PostFormValue("scope") != "admin" {
			t.Errorf("form %v", r.PostForm)
		}
		writeJSON(w, 200, tokenJSON("tok-body", 3600))
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithAuthStyle(AuthStyleInBody), WithScope("admin"))
	tok, err := c.TokenSource().Token()
	if err != nil || tok.AccessToken != "tok-body" {
		t.Fatalf("got %v %v", tok, err)
	}
}

func TestForeignTokenSource(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_grants/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer from-x-oauth2" {
			t.Errorf("Authorization %q", r.Header.Get("Authorization"))
		}
		writeJSON(w, 200, map[string]any{"data": grantJSON(grantUUID)})
	})
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "from-x-oauth2"})
	c := newTestClient(t, f, WithTokenSource(ts))
	if _, err := c.Grants.Get(context.Background(), grantUUID); err != nil {
		t.Fatal(err)
	}
	if c.TokenSource() != ts {
		t.Error("TokenSource does not return the configured source")
	}
}

func TestTokenFailureNotMultipliedByRetries(t *testing.T) {
	f := newFake(t)
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		gatewayErr(w, 503, "x", "down")
	})
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		t.Error("API called without a token")
	})
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret))
	_, err := c.Clients.Get(context.Background(), clientUUID)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("got %v", err)
	}
	if want := "wrapper: GetOAuthClient: get access token: ExchangeOAuthToken: 503 Service Unavailable: x down (details here)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if got := f.count("POST /v2/oauth/token"); got != 3 {
		t.Errorf("token requests = %d, want 3 (the fetch's own retries only)", got)
	}
}

func TestBasicAuthEscapesCredentials(t *testing.T) {
	const id, secret = "id:with colon", "p@ss word+&="
	f := newFake(t)
	f.handle("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		gu, _ := url.QueryUnescape(u)
		gp, _ := url.QueryUnescape(p)
		if !ok || gu != id || gp != secret {
			oauthErr(w, 401, "invalid_client", "bad")
			return
		}
		writeJSON(w, 200, tokenJSON("escaped-ok", 3600))
	})
	c := newTestClient(t, f, WithClientCredentials(id, secret))
	tok, err := c.TokenSource().Token()
	if err != nil || tok.AccessToken != "escaped-ok" {
		t.Fatalf("%v %v", tok, err)
	}
}

type failingStore struct{ memStore }

func (s *failingStore) Save(context.Context, *oauth2.Token) error {
	return errors.New("disk full")
}

func TestTokenStoreSaveFailureIsLoggedNotFatal(t *testing.T) {
	f := newFake(t)
	f.tokenEndpoint(3600)
	logs, logger := newCapture()
	c := newTestClient(t, f, WithClientCredentials(testID, testSecret), WithTokenStore(&failingStore{}), WithLogger(logger))
	tok, err := c.TokenSource().Token()
	if err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("a failing store must not lose the token: got %v, %v", tok, err)
	}
	text := logs.String()
	if !strings.Contains(text, "token store save failed") || !strings.Contains(text, "disk full") {
		t.Fatalf("store failure not logged: %s", text)
	}
	if strings.Contains(text, "tok-1") {
		t.Fatalf("log line carries the token: %s", text)
	}
}
