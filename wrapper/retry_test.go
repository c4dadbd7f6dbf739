package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// retryCall is one operation in the retry matrix.
type retryCall struct {
	name    string
	pattern string
	do      func(c *Client) error
	replay  bool // may be replayed after reaching the server
}

func retryCalls() []retryCall {
	ctx := context.Background()
	create := CreateClientRequest{Name: "n", ClientType: ClientConfidential, AllowedGrantTypes: []GrantType{GrantClientCredentials}, AllowedScopes: []string{"admin"}}
	code, verifier := "the-code", "v"
	return []retryCall{
		{"get client", "GET /v2/oauth_clients/{id}", func(c *Client) error { _, err := c.Clients.Get(ctx, clientUUID); return err }, true},
		{"update client", "PUT /v2/oauth_clients/{id}", func(c *Client) error {
			n := "x"
			_, err := c.Clients.Update(ctx, clientUUID, UpdateClientRequest{Name: &n})
			return err
		}, true},
		{"delete client", "DELETE /v2/oauth_clients/{id}", func(c *Client) error { return c.Clients.Delete(ctx, clientUUID) }, true},
		{"list grants", "GET /v2/oauth_grants", func(c *Client) error { _, err := c.Grants.List(ctx, ListGrantsParams{}); return err }, true},
		{"revoke grant", "DELETE /v2/oauth_grants/{id}", func(c *Client) error { _, err := c.Grants.Revoke(ctx, grantUUID); return err }, true},
		{"introspect", "POST /v2/oauth/introspect", func(c *Client) error { _, err := c.OAuth.Introspect(ctx, "tkn"); return err }, true},
		{"client credentials", "POST /v2/oauth/token", func(c *Client) error {
			_, err := c.OAuth.Token(ctx, TokenRequest{GrantType: GrantClientCredentials})
			return err
		}, true},
		{"create client", "POST /v2/oauth_clients", func(c *Client) error { _, err := c.Clients.Create(ctx, create); return err }, false},
		{"create client with idempotency key", "POST /v2/oauth_clients", func(c *Client) error {
			_, err := c.Clients.Create(ctx, create, WithIdempotencyKey("k-1"))
			return err
		}, true},
		{"register", "POST /v2/oauth/register", func(c *Client) error { _, err := c.OAuth.Register(ctx, RegistrationRequest{}); return err }, false},
		{"approve consent", "POST /v2/oauth/grants", func(c *Client) error { _, err := c.OAuth.ApproveConsent(ctx, "ct"); return err }, false},
		{"code exchange", "POST /v2/oauth/token", func(c *Client) error {
			_, err := c.OAuth.Token(ctx, TokenRequest{GrantType: GrantAuthorizationCode, Code: &code, CodeVerifier: &verifier})
			return err
		}, false},
		{"code exchange with idempotency key", "POST /v2/oauth/token", func(c *Client) error {
			_, err := c.OAuth.Token(ctx, TokenRequest{GrantType: GrantAuthorizationCode, Code: &code}, WithIdempotencyKey("k"))
			return err
		}, false},
		{"refresh", "POST /v2/oauth/token", func(c *Client) error {
			_, err := c.OAuth.Refresh(ctx, "", "rt")
			return err
		}, false},
	}
}

func TestRetryMatrix(t *testing.T) {
	statuses := []struct {
		status    int
		retryable bool
	}{{408, true}, {409, true}, {429, true}, {500, true}, {502, true}, {503, true}, {400, false}, {403, false}, {404, false}}
	for _, rc := range retryCalls() {
		for _, st := range statuses {
			t.Run(fmt.Sprintf("%s/%d", rc.name, st.status), func(t *testing.T) {
				f := newFake(t)
				f.handle(rc.pattern, func(w http.ResponseWriter, r *http.Request) {
					f.fail(w, r, st.status)
				})
				creds := WithAPIKey(testKey)
				if strings.HasPrefix(rc.pattern, "POST /v2/oauth/t") || strings.HasPrefix(rc.pattern, "POST /v2/oauth/i") {
					creds = WithClientCredentials(testID, testSecret)
				}
				c := newTestClient(t, f, creds)
				err := rc.do(c)
				var ae *APIError
				if !errors.As(err, &ae) || ae.StatusCode != st.status {
					t.Fatalf("got %v, want APIError %d", err, st.status)
				}
				want := 1
				if st.retryable && rc.replay {
					want = 3
				}
				if got := f.count(rc.pattern); got != want {
					t.Errorf("server saw %d requests, want %d", got, want)
				}
			})
		}
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{"milliseconds win", map[string]string{"Retry-After": "3", "Retry-After-Ms": "1500"}, 1500 * time.Millisecond},
		{"capped", map[string]string{"Retry-After": "3600"}, 30 * time.Second},
		{"absent uses backoff", nil, 7 * time.Millisecond},
		// Huge values must saturate, not overflow into a short wait.
		{"huge seconds capped", map[string]string{"Retry-After": "18446744074"}, 30 * time.Second},
		{"huge milliseconds capped", map[string]string{"Retry-After-Ms": "1e300"}, 30 * time.Second},
		{"infinite milliseconds capped", map[string]string{"Retry-After-Ms": "+Inf"}, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
				if f.count("GET /v2/oauth_clients/{id}") == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					gatewayErr(w, 429, "10011", "Too many requests")
					return
				}
				writeJSON(w, 200, map[string]any{"data": clientJSON(clientUUID, "x")})
			})
			c := newTestClient(t, f, WithAPIKey(testKey), WithBackoff(func(int) time.Duration { return 7 * time.Millisecond }))
			var slept []time.Duration
			c.hc.Transport.(*retryTransport).sleep = func(_ context.Context, d time.Duration) error {
				slept = append(slept, d)
				return nil
			}
			if _, err := c.Clients.Get(context.Background(), clientUUID); err != nil {
				t.Fatal(err)
			}
			if len(slept) != 1 || slept[0] != tt.want {
				t.Errorf("slept %v, want [%v]", slept, tt.want)
			}
		})
	}
}

func TestCancelDuringBackoffReturns(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.handle("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		gatewayErr(w, 503, "x", "unavailable")
	})
	c := newTestClient(t, f, WithAPIKey(testKey), WithMaxRetryWait(time.Hour))
	// Cancel once the client has decided to wait, then wait for real: the
	// hour-long sleep must end at once. (Cancelling from the handler raced
	// with the client's retry decision, which may then return the 503.)
	rt := c.hc.Transport.(*retryTransport)
	var slept time.Duration
	rt.sleep = func(ctx context.Context, d time.Duration) error {
		slept = d
		cancel()
		return sleepCtx(ctx, d)
	}
	_, err := c.Clients.Get(ctx, clientUUID)
	if slept != time.Hour {
		t.Errorf("backoff %v, want the Retry-After of 1h", slept)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if got := f.count("GET /v2/oauth_clients/{id}"); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestConnectionErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		post bool
		want int64
	}{
		{"dial error, GET", &net.OpError{Op: "dial", Err: errors.New("refused")}, false, 3},
		{"dial error, POST never sent", &net.OpError{Op: "dial", Err: errors.New("refused")}, true, 3},
		{"read error, GET", &net.OpError{Op: "read", Err: errors.New("reset")}, false, 3},
		{"read error, POST may have arrived", &net.OpError{Op: "read", Err: errors.New("reset")}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			base := roundTripFunc(func(*http.Request) (*http.Response, error) { n.Add(1); return nil, tt.err })
			c, err := New(WithoutEnvironment(), WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: base}), WithBackoff(zeroBackoff))
			if err != nil {
				t.Fatal(err)
			}
			if tt.post {
				_, err = c.Clients.Create(context.Background(), CreateClientRequest{Name: "n", ClientType: ClientPublic, AllowedGrantTypes: []GrantType{GrantAuthorizationCode}, AllowedScopes: []string{}})
			} else {
				_, err = c.Clients.Get(context.Background(), clientUUID)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v does not wrap the cause", err)
			}
			if n.Load() != tt.want {
				t.Errorf("attempts = %d, want %d", n.Load(), tt.want)
			}
		})
	}
}

func TestDefaultBackoffBounds(t *testing.T) {
	for attempt := 1; attempt <= 8; attempt++ {
		d := DefaultBackoff(attempt)
		hi := 500 * time.Millisecond << min(attempt-1, 4)
		if d < hi/2 || d > hi {
			t.Errorf("attempt %d: %v outside [%v, %v]", attempt, d, hi/2, hi)
		}
	}
}
