package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signingKey is one RS256 key. A retired key no longer signs but stays
// published until every token it signed has expired.
type signingKey struct {
	kid     string
	priv    *rsa.PrivateKey
	signer  jose.Signer
	retired time.Time // zero while current
}

// keyring holds the current signing key and the retired ones still needed
// to verify live tokens.
type keyring struct {
	mu   sync.RWMutex
	keys []*signingKey // last is current
}

func newSigningKey(now time.Time) (*signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("emulator: generate signing key: %w", err)
	}
	kid := fmt.Sprintf("emu-%s-%s", now.UTC().Format("20060102T150405"), randomToken("", 6))
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig"}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return nil, fmt.Errorf("emulator: signer: %w", err)
	}
	return &signingKey{kid: kid, priv: priv, signer: signer}, nil
}

func (k *keyring) rotate(now time.Time) error {
	key, err := newSigningKey(now)
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if n := len(k.keys); n > 0 {
		k.keys[n-1].retired = now
	}
	k.keys = append(k.keys, key)
	return nil
}

// prune drops retired keys whose tokens have all expired by now.
func (k *keyring) prune(now time.Time, maxTTL time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	kept := k.keys[:0]
	for i, key := range k.keys {
		if i == len(k.keys)-1 || now.Before(key.retired.Add(maxTTL)) {
			kept = append(kept, key)
		}
	}
	k.keys = kept
}

func (k *keyring) current() *signingKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keys[len(k.keys)-1]
}

func (k *keyring) byID(kid string) *signingKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, key := range k.keys {
		if key.kid == kid {
			return key
		}
	}
	return nil
}

// public returns the JWK set of every published key.
func (k *keyring) public() []jose.JSONWebKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]jose.JSONWebKey, 0, len(k.keys))
	for _, key := range k.keys {
		out = append(out, jose.JSONWebKey{Key: &key.priv.PublicKey, KeyID: key.kid, Algorithm: string(jose.RS256), Use: "sig"})
	}
	return out
}

// accessClaims are the claims of an emulator access token.
type accessClaims struct {
	jwt.Claims
	Scope    string `json:"scope,omitempty"`
	ClientID string `json:"client_id"`
}

func (k *keyring) sign(c accessClaims) (string, error) {
	return jwt.Signed(k.current().signer).Claims(c).Serialize()
}

var errBadToken = errors.New("emulator: token is not a valid emulator JWT")

// verify checks the signature of a compact JWT against the published keys
// and returns its claims. Expiry is the caller's business.
func (k *keyring) verify(token string) (*accessClaims, error) {
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(parsed.Headers) != 1 {
		return nil, errBadToken
	}
	key := k.byID(parsed.Headers[0].KeyID)
	if key == nil {
		return nil, errBadToken
	}
	var c accessClaims
	if err := parsed.Claims(&key.priv.PublicKey, &c); err != nil {
		return nil, errBadToken
	}
	return &c, nil
}
