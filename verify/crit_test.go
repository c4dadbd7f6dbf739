package verify

import (
	"context"
	"encoding/json"
	"errors"
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

// TestJSONSerializationRefused checks that a JWS in the JSON serialization
// (RFC 7515 section 7.2), validly signed by a published key and with one or
// two signatures, is refused: access tokens are compact JWTs only.
func TestJSONSerializationRefused(t *testing.T) {
	clk := newClock()
	srv := newJWKSServer(t, jwk{kid: "k1", alg: "RS256", use: "sig", key: rsaKey(t, 0)})
	v := newTestVerifier(t, srv, clk)
	payload, _ := json.Marshal(claimsAt(clk.Now()))
	one, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: rsaKey(t, 0)}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	two, err := jose.NewMultiSigner([]jose.SigningKey{
		{Algorithm: jose.RS256, Key: rsaKey(t, 0)}, {Algorithm: jose.RS256, Key: rsaKey(t, 1)},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]jose.Signer{"one signature": one, "two signatures": two} {
		obj, err := s.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := v.Verify(context.Background(), obj.FullSerialize()); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: JSON serialization gave %+v, %v; want ErrMalformed", name, c, err)
		}
	}
}
