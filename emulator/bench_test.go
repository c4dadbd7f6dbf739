package emulator_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// BenchmarkEmulator measures requests per second over real HTTP for a list
// call and a client-credentials token, with contract validation on and off.
// Run with e.g. -bench Emulator -benchtime=2000x.
func BenchmarkEmulator(b *testing.B) {
	for _, validate := range []bool{true, false} {
		name := "validation=on"
		if !validate {
			name = "validation=off"
		}
		ts := emulator.NewTestServer(b, emulator.WithValidation(validate))
		c := confidential(b, ts)
		for range 30 {
			confidential(b, ts)
		}
		list := func() (*http.Request, error) {
			req, err := http.NewRequest("GET", ts.URL+"/v2/oauth_clients?page%5Bsize%5D=20", nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+ts.APIKey)
			}
			return req, err
		}
		token := func() (*http.Request, error) {
			req, err := http.NewRequest("POST", ts.URL+"/v2/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(c.id, c.secret)
			}
			return req, err
		}
		b.Run("list/"+name, func(b *testing.B) { benchRequests(b, list) })
		b.Run("token/"+name, func(b *testing.B) { benchRequests(b, token) })
	}
}

func benchRequests(b *testing.B, build func() (*http.Request, error)) {
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		req, err := build()
		if err != nil {
			b.Fatal(err)
		}
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
