package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"maps"
	"slices"
	"sync"
	"time"
)

// The store keeps all state in memory behind one lock. Secrets (client
// secrets, codes, refresh and consent tokens) are kept only as SHA-256
// digests; access tokens are JWTs and are tracked by their jti.

type clientRecord struct {
	id           string
	secretHash   [32]byte // zero for public clients
	name         string
	clientType   string // "public" | "confidential"
	scopes       []string
	grantTypes   []string
	redirectURIs []string
	requirePKCE  bool
	logoURI      *string
	tosURI       *string
	policyURI    *string
	created      time.Time
	updated      time.Time
}

func (c *clientRecord) allows(grantType string) bool { return slices.Contains(c.grantTypes, grantType) }

func (c *clientRecord) public() bool { return c.clientType == "public" }

type grantRecord struct {
	id       string
	clientID string
	userID   string
	scopes   []string
	created  time.Time
	lastUsed *time.Time
}

type consentRecord struct {
	clientID    string
	redirectURI string
	scopes      []string
	state       *string
	challenge   string
	method      string
	expires     time.Time
}

type codeRecord struct {
	clientID    string
	redirectURI string
	grantID     string
	userID      string
	scopes      []string
	challenge   string
	method      string
	expires     time.Time
	used        bool
}

type tokenRecord struct {
	clientID string
	grantID  string // "" for client_credentials
	expires  time.Time
}

type refreshRecord struct {
	clientID string
	grantID  string
	userID   string
	scopes   []string
	expires  time.Time
	used     bool // rotated: presenting it again revokes the grant
}

type store struct {
	mu       sync.Mutex
	clients  map[string]*clientRecord
	order    []string // client ids in creation order
	grants   map[string]*grantRecord
	gorder   []string
	consents map[[32]byte]*consentRecord
	codes    map[[32]byte]*codeRecord
	tokens   map[string]*tokenRecord // by jti
	refresh  map[[32]byte]*refreshRecord
	writes   int
}

func newStore() *store {
	return &store{
		clients:  map[string]*clientRecord{},
		grants:   map[string]*grantRecord{},
		consents: map[[32]byte]*consentRecord{},
		codes:    map[[32]byte]*codeRecord{},
		tokens:   map[string]*tokenRecord{},
		refresh:  map[[32]byte]*refreshRecord{},
	}
}

// pruneEvery is how many writes pass between sweeps of expired records.
const pruneEvery = 256

// wrote counts a write (lock held) and sweeps expired records every
// pruneEvery writes, keeping memory bounded under sustained load.
func (s *store) wrote(now time.Time) {
	s.writes++
	if s.writes%pruneEvery == 0 {
		s.prune(now)
	}
}

// prune removes expired consents, codes, tokens and refresh tokens (lock held).
func (s *store) prune(now time.Time) {
	expired := func(t time.Time) bool { return !now.Before(t) }
	maps.DeleteFunc(s.consents, func(_ [32]byte, v *consentRecord) bool { return expired(v.expires) })
	maps.DeleteFunc(s.codes, func(_ [32]byte, v *codeRecord) bool { return expired(v.expires) })
	maps.DeleteFunc(s.tokens, func(_ string, v *tokenRecord) bool { return expired(v.expires) })
	maps.DeleteFunc(s.refresh, func(_ [32]byte, v *refreshRecord) bool { return expired(v.expires) })
}

// revokeGrant removes a grant and everything issued under it (lock held).
func (s *store) revokeGrant(id string) {
	if _, ok := s.grants[id]; !ok {
		return
	}
	delete(s.grants, id)
	s.gorder = slices.DeleteFunc(s.gorder, func(g string) bool { return g == id })
	for k, v := range s.tokens {
		if v.grantID == id {
			delete(s.tokens, k)
		}
	}
	for k, v := range s.refresh {
		if v.grantID == id {
			delete(s.refresh, k)
		}
	}
}

// deleteClient removes a client with its grants and tokens (lock held).
func (s *store) deleteClient(id string) {
	delete(s.clients, id)
	s.order = slices.DeleteFunc(s.order, func(c string) bool { return c == id })
	for _, g := range slices.Clone(s.gorder) {
		if s.grants[g].clientID == id {
			s.revokeGrant(g)
		}
	}
	for k, v := range s.tokens {
		if v.clientID == id {
			delete(s.tokens, k)
		}
	}
	for k, v := range s.codes {
		if v.clientID == id {
			delete(s.codes, k)
		}
	}
	for k, v := range s.consents {
		if v.clientID == id {
			delete(s.consents, k)
		}
	}
}

func digest(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

func secretMatches(want [32]byte, got string) bool {
	d := digest(got)
	return subtle.ConstantTimeCompare(want[:], d[:]) == 1
}

// randomToken returns prefix followed by n random bytes, base64url-encoded.
func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
