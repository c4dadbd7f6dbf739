package verify

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestVerifyValidToken(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", alg: "RS256", use: "sig", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	tok := sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(clk.Now()))

	c, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Subject != "user-1" || c.ClientID != "client-1" || c.JWTID != "jti-1" || c.Issuer != testIssuer {
		t.Errorf("claims = %+v", c)
	}
	if got := c.Scopes(); len(got) != 2 || got[0] != "admin" || got[1] != "calls:read" {
		t.Errorf("Scopes() = %q", got)
	}
	if !c.HasScope("calls:read") || c.HasScope("calls") || c.HasScope("") {
		t.Error("HasScope answers wrong")
	}
	if err := c.RequireScopes("admin", "calls:read"); err != nil {
		t.Errorf("RequireScopes: %v", err)
	}
	if err := c.RequireScopes("admin", "calls:write"); !errors.Is(err, ErrInsufficientScope) {
		t.Errorf("RequireScopes(missing) = %v, want ErrInsufficientScope", err)
	}
	if !c.HasAudience(testAudience) || len(c.Audience) != 1 {
		t.Errorf("Audience = %q", c.Audience)
	}
	if !c.Expiry.Equal(clk.Now().Add(time.Hour)) || !c.IssuedAt.Equal(clk.Now()) || !c.NotBefore.Equal(clk.Now()) {
		t.Errorf("times = %v %v %v", c.Expiry, c.IssuedAt, c.NotBefore)
	}
	if c.Raw["client_id"] != "client-1" || c.Introspected {
		t.Errorf("Raw = %v, Introspected = %v", c.Raw, c.Introspected)
	}
}

func TestVerifyAudienceArrayAndLeeway(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk, WithLeeway(30*time.Second))
	strict := newTestVerifier(t, srv, clk, WithLeeway(0))

	cl := claimsAt(clk.Now())
	cl["aud"] = []string{"https://other.example", testAudience}
	cl["exp"] = clk.Now().Add(-10 * time.Second).Unix()
	tok := sign(t, rsaKey(t, 0), jose.RS256, "k1", cl)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Errorf("within leeway: %v", err)
	}
	if _, err := strict.Verify(context.Background(), tok); !errors.Is(err, ErrExpired) {
		t.Errorf("without leeway: err = %v, want ErrExpired", err)
	}
}

func TestVerifyRefusals(t *testing.T) {
	clk := newClock()
	now := clk.Now()
	srv := newJWKSServer(t,
		jwk{kid: "k1", alg: "RS256", use: "sig", key: rsaKey(t, 0)},
		jwk{kid: "enc", use: "enc", key: rsaKey(t, 1)},
		jwk{kid: "ps", alg: "PS256", key: rsaKey(t, 2)},
	)
	v := newTestVerifier(t, srv, clk)
	good := sign(t, rsaKey(t, 0), jose.RS256, "k1", claimsAt(now))
	parts := strings.Split(good, ".")

	with := func(k string, val any) map[string]any {
		c := claimsAt(now)
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey(t, 0).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"tampered payload", parts[0] + "." + b64(with("scope", "admin superuser")) + "." + parts[2], ErrBadSignature},
		{"signed by another key", sign(t, rsaKey(t, 1), jose.RS256, "k1", claimsAt(now)), ErrBadSignature},
		{"alg none", b64(map[string]string{"alg": "none", "kid": "k1"}) + "." + parts[1] + ".", ErrDisallowedAlgorithm},
		{"HS256 with public key PEM", sign(t, pubPEM, jose.HS256, "k1", claimsAt(now)), ErrDisallowedAlgorithm},
		{"HS256 with public key DER", sign(t, pubDER, jose.HS256, "k1", claimsAt(now)), ErrDisallowedAlgorithm},
		{"RS384 not allowed", sign(t, rsaKey(t, 0), jose.RS384, "k1", claimsAt(now)), ErrDisallowedAlgorithm},
		{"expired", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("exp", now.Add(-time.Hour).Unix())), ErrExpired},
		{"not yet valid", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("nbf", now.Add(time.Hour).Unix())), ErrNotYetValid},
		{"issued in the future", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("iat", now.Add(time.Hour).Unix())), ErrNotYetValid},
		{"wrong issuer", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("iss", "http://evil.example")), ErrWrongIssuer},
		{"wrong audience", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("aud", "http://other.example")), ErrWrongAudience},
		{"no audience", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("aud", nil)), ErrWrongAudience},
		{"no exp", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("exp", nil)), ErrMalformed},
		{"exp not a number", sign(t, rsaKey(t, 0), jose.RS256, "k1", with("exp", "tomorrow")), ErrMalformed},
		{"unknown kid", sign(t, rsaKey(t, 0), jose.RS256, "nope", claimsAt(now)), ErrUnknownKey},
		{"key for encryption", sign(t, rsaKey(t, 1), jose.RS256, "enc", claimsAt(now)), ErrUnknownKey},
		{"key for another alg", sign(t, rsaKey(t, 2), jose.RS256, "ps", claimsAt(now)), ErrUnknownKey},
		{"garbage", "not.a.jwt", ErrMalformed},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"bad signature encoding", parts[0] + "." + parts[1] + ".!!!", ErrMalformed},
		{"empty", "", ErrMalformed},
	}
	all := []error{ErrMalformed, ErrDisallowedAlgorithm, ErrUnknownKey, ErrBadSignature, ErrExpired,
		ErrNotYetValid, ErrWrongIssuer, ErrWrongAudience, ErrInactive}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			if c != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, %v; want %v", c, err, tt.want)
			}
			for _, other := range all {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("error %v also matches %v", err, other)
				}
			}
			if len(tt.token) > 8 && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error holds the token: %v", err)
			}
			for _, p := range strings.Split(tt.token, ".") {
				if len(p) > 20 && strings.Contains(err.Error(), p) {
					t.Errorf("error holds part of the token: %v", err)
				}
			}
		})
	}
}

func TestVerifyTokenWithoutKID(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "a", key: rsaKey(t, 1)}, jwk{kid: "b", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	if _, err := v.Verify(context.Background(), sign(t, rsaKey(t, 0), jose.RS256, "", claimsAt(clk.Now()))); err != nil {
		t.Errorf("kid-less token signed by a published key: %v", err)
	}
	_, err := v.Verify(context.Background(), sign(t, rsaKey(t, 2), jose.RS256, "", claimsAt(clk.Now())))
	if !errors.Is(err, ErrBadSignature) {
		t.Errorf("kid-less token signed by an unpublished key: %v, want ErrBadSignature", err)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	ks, err := NewStaticKeySet([]byte(`{"keys":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	base := []Option{WithIssuer(testIssuer), WithAudience(testAudience), WithKeySet(ks)}
	tests := []struct {
		name string
		opts []Option
	}{
		{"HS256 allowed", append(base, WithAlgorithms("RS256", "HS256"))},
		{"HS512 allowed", append(base, WithAlgorithms("HS512"))},
		{"none allowed", append(base, WithAlgorithms("none"))},
		{"empty algorithms", append(base, WithAlgorithms())},
		{"no issuer", []Option{WithAudience(testAudience), WithKeySet(ks)}},
		{"no audience", []Option{WithIssuer(testIssuer), WithKeySet(ks)}},
		{"no key source", []Option{WithIssuer(testIssuer), WithAudience(testAudience)}},
		{"relative JWKS URL", append(base[:2:2], WithJWKSURL("/oauth/jwks"))},
		{"two key sources", append(base, WithJWKSURL("https://as.example/jwks"))},
		{"key set options with a key set", append(base, WithRefetchInterval(time.Second))},
		{"negative leeway", append(base, WithLeeway(-time.Second))},
		{"min TTL above max", append(base[:2:2], WithJWKSURL("https://as.example/jwks"), WithCacheTTL(time.Hour, time.Hour, time.Minute))},
		{"nil introspector", append(base, WithIntrospection(nil, IntrospectOpaque))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v, err := New(tt.opts...); err == nil {
				t.Errorf("New = %v, want an error", v)
			}
		})
	}
	if _, err := New(append(base, WithAlgorithms("RS256", "ES256", "EdDSA"))...); err != nil {
		t.Errorf("asymmetric algorithms refused: %v", err)
	}
}
