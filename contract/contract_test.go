package contract_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/spec"
)

const grantJSON = `{"data":{"id":"7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b","record_type":"oauth_grant","client_id":"c","scopes":["admin"],"created_at":"2026-03-05T10:00:00Z"}}`

func newClient(t *testing.T, h http.HandlerFunc) (*http.Client, *atomic.Int32, string) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	tr, err := contract.NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: tr}, &hits, srv.URL + "/v2"
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-key")
	return c.Do(req)
}

func TestTransportPassesConformingExchange(t *testing.T) {
	c, _, base := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, grantJSON)
	})
	resp, err := get(t, c, base+"/oauth_grants/7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
	if err != nil {
		t.Fatalf("conforming exchange refused: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != grantJSON {
		t.Fatalf("body = %s, want it passed through unchanged", body)
	}
}

func TestTransportRefusesResponseOutsideContract(t *testing.T) {
	c, _, base := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, strings.Replace(grantJSON, `"scopes":["admin"]`, `"scopes":"admin"`, 1))
	})
	_, err := get(t, c, base+"/oauth_grants/7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
	var cerr *spec.Error
	if !errors.As(err, &cerr) || !errors.Is(err, spec.ErrContract) {
		t.Fatalf("err = %v, want *spec.Error", err)
	}
	if cerr.Operation != "GetOAuthGrant" || cerr.Path != "/data/scopes" {
		t.Fatalf("operation %q path %q, want GetOAuthGrant /data/scopes (%v)", cerr.Operation, cerr.Path, err)
	}
}

func TestTransportRefusesUndeclaredStatus(t *testing.T) {
	c, _, base := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	_, err := get(t, c, base+"/oauth_grants/7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
	if !errors.Is(err, spec.ErrContract) || !strings.Contains(err.Error(), "GetOAuthGrant response 202") {
		t.Fatalf("err = %v, want an undeclared-status contract error", err)
	}
}

func TestTransportNeverSendsRequestOutsideContract(t *testing.T) {
	c, hits, base := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("request outside the contract reached the server")
	})
	_, err := get(t, c, base+"/oauth_clients?page%5Bsize%5D=1000")
	if !errors.Is(err, spec.ErrContract) || !strings.Contains(err.Error(), "page[size]") {
		t.Fatalf("err = %v, want a contract error naming page[size]", err)
	}
	if _, err := get(t, c, base+"/oauth_grants/not-a-uuid"); !errors.Is(err, spec.ErrContract) {
		t.Fatalf("bad uuid: err = %v, want a contract error", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("server saw %d requests, want 0", hits.Load())
	}
}

func TestTransportErrorDoesNotQuoteSecrets(t *testing.T) {
	const secret = "sk_very_secret_value"
	c, _, base := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"`+secret+`","token_type":"bearer","expires_in":3600}`)
	})
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("id", "pw")
	_, err := c.Do(req)
	if !errors.Is(err, spec.ErrContract) {
		t.Fatalf("err = %v, want contract error for token_type", err)
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "/token_type") {
		t.Fatalf("error %q must name /token_type and not quote the token", err)
	}
}
