package verify

import (
	"context"
	"crypto"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// BenchmarkVerify verifies one RS256 token with a warm key set, with this
// package and with go-oidc's verifier, on the same token.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	key := rsaKey(b, 0)
	tok := sign(b, key, jose.RS256, "k1", claimsAt(time.Now()))

	b.Run("verify/static", func(b *testing.B) {
		ks, err := NewStaticKeySet(jwksJSON(b, jwk{kid: "k1", alg: "RS256", use: "sig", key: key}))
		if err != nil {
			b.Fatal(err)
		}
		v, err := New(WithIssuer(testIssuer), WithAudience(testAudience), WithKeySet(ks))
		if err != nil {
			b.Fatal(err)
		}
		benchVerify(b, func() error { _, err := v.Verify(ctx, tok); return err })
	})
	b.Run("verify/remote-warm", func(b *testing.B) {
		srv := newJWKSServer(b, jwk{kid: "k1", alg: "RS256", use: "sig", key: key})
		v, err := New(WithIssuer(testIssuer), WithAudience(testAudience), WithJWKSURL(srv.jwksURL()),
			WithHTTPClient(srv.Client()))
		if err != nil {
			b.Fatal(err)
		}
		benchVerify(b, func() error { _, err := v.Verify(ctx, tok); return err })
	})
	b.Run("go-oidc/static", func(b *testing.B) {
		v := oidc.NewVerifier(testIssuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{&key.PublicKey}},
			&oidc.Config{ClientID: testAudience})
		benchVerify(b, func() error { _, err := v.Verify(ctx, tok); return err })
	})
	b.Run("go-oidc/remote-warm", func(b *testing.B) {
		srv := newJWKSServer(b, jwk{kid: "k1", alg: "RS256", use: "sig", key: key})
		ks := oidc.NewRemoteKeySet(oidc.ClientContext(ctx, srv.Client()), srv.jwksURL())
		v := oidc.NewVerifier(testIssuer, ks, &oidc.Config{ClientID: testAudience})
		benchVerify(b, func() error { _, err := v.Verify(ctx, tok); return err })
	})
}

func benchVerify(b *testing.B, f func() error) {
	b.Helper()
	if err := f(); err != nil { // warm up and check
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}
