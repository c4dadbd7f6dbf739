package verify

import (
	"context"
	"encoding/json"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// TestUnknownCriticalHeaderRefused checks RFC 7515 section 4.1.11: a token
// whose "crit" names an extension the verifier does not understand must be
// refused even though its signature is valid.
func TestUnknownCriticalHeaderRefused(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", alg: "RS256", use: "sig", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1").
		WithHeader("crit", []string{"x-must-understand"}).WithHeader("x-must-understand", true)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: rsaKey(t, 0)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claimsAt(clk.Now()))
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := v.Verify(context.Background(), tok); err == nil {
		t.Fatalf("token with unknown crit accepted: %+v", c)
	} else if _, isToken := describe(err); !isToken {
		t.Errorf("refusal %v is not a token error (would be a 503, not a 401)", err)
	}
}
