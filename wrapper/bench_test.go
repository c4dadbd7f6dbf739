package wrapper

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// benchServer is a plain loopback server (no contract validation, so each
// sub-benchmark pays the same server cost).
func benchServer(b *testing.B) *httptest.Server {
	body, _ := json.Marshal(map[string]any{"data": clientJSON(clientUUID, "bench")})
	tok, _ := json.Marshal(tokenJSON("bench-token", 3600))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/oauth_clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	mux.HandleFunc("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(tok)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkGetClient(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	transport := func() *http.Transport {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		return t
	}

	b.Run("wrapper", func(b *testing.B) {
		c, err := New(WithoutEnvironment(), WithBaseURL(srv.URL), WithAPIKey(testKey), WithHTTPClient(&http.Client{Transport: transport()}))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			cl, err := c.Clients.Get(ctx, clientUUID)
			if err != nil || cl.Name != "bench" {
				b.Fatal(cl, err)
			}
		}
	})

	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{Transport: transport()}
		url := srv.URL + "/v2/oauth_clients/" + clientUUID
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+testKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				Data api.OAuthClient `json:"data"`
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(resp.StatusCode, err)
			}
			if err := json.Unmarshal(data, &out); err != nil || out.Data.Name != "bench" {
				b.Fatal(err)
			}
		}
	})

	b.Run("api", func(b *testing.B) {
		bearer := func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+testKey)
			return nil
		}
		ac, err := api.NewClientWithResponses(srv.URL+"/v2", api.WithHTTPClient(&http.Client{Transport: transport()}), api.WithRequestEditorFn(bearer))
		if err != nil {
			b.Fatal(err)
		}
		id := uuid.MustParse(clientUUID)
		b.ReportAllocs()
		for b.Loop() {
			r, err := ac.GetOAuthClientWithResponse(ctx, id)
			if err != nil || r.JSON200 == nil || r.JSON200.Data.Name != "bench" {
				b.Fatal(r, err)
			}
		}
	})
}

func BenchmarkTokenConcurrent(b *testing.B) {
	srv := benchServer(b)
	c, err := New(WithoutEnvironment(), WithBaseURL(srv.URL), WithClientCredentials(testID, testSecret))
	if err != nil {
		b.Fatal(err)
	}
	ts := c.TokenSource()
	if _, err := ts.Token(); err != nil { // warm the cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tok, err := c.tokens.token(context.Background())
			if err != nil || tok.AccessToken != "bench-token" {
				panic(fmt.Sprint(tok, err))
			}
		}
	})
}
