package discovery

import (
	"fmt"
	"net/http"
	"strings"
)

// Challenge is one challenge of a WWW-Authenticate header (RFC 9110
// section 11.6.1): a scheme followed by either a token68 or parameters.
type Challenge struct {
	// Scheme is the authentication scheme as sent, e.g. "Bearer".
	Scheme string
	// Token68 is the token68 form, when the challenge has one.
	Token68 string
	// Params maps lower-cased parameter names to their values, quoted
	// strings unescaped.
	Params map[string]string
}

// BearerChallenge is the Bearer challenge of a 401 or 403 answer: the RFC
// 6750 section 3 parameters and RFC 9728's resource_metadata.
type BearerChallenge struct {
	Realm            string // realm
	Error            string // error, such as "invalid_token" or "insufficient_scope"
	ErrorDescription string // error_description
	Scope            string // scope, space-separated (see Scopes)
	// ResourceMetadata is the URL of the protected resource's metadata
	// (RFC 9728 section 5.1).
	ResourceMetadata string
	// Params holds every parameter, lower-cased names.
	Params map[string]string
}

// Scopes returns the scope parameter split on spaces.
func (b *BearerChallenge) Scopes() []string { return strings.Fields(b.Scope) }

// ParseBearerChallenge returns the first Bearer challenge of the
// WWW-Authenticate header fields in h ([ErrNoBearerChallenge] if none).
func ParseBearerChallenge(h http.Header) (*BearerChallenge, error) {
	cs, err := ParseWWWAuthenticate(h.Values("WWW-Authenticate")...)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if strings.EqualFold(c.Scheme, "Bearer") {
			p := c.Params
			return &BearerChallenge{
				Realm: p["realm"], Error: p["error"], ErrorDescription: p["error_description"],
				Scope: p["scope"], ResourceMetadata: p["resource_metadata"], Params: p,
			}, nil
		}
	}
	return nil, ErrNoBearerChallenge
}

// ParseWWWAuthenticate parses WWW-Authenticate field values, each of which
// may hold several comma-separated challenges.
func ParseWWWAuthenticate(values ...string) ([]Challenge, error) {
	var out []Challenge
	for _, v := range values {
		cs, err := parseChallenges(v)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

type scanner struct {
	s string
	i int
}

func (p *scanner) eof() bool  { return p.i >= len(p.s) }
func (p *scanner) peek() byte { return p.s[p.i] }

func (p *scanner) skipWS() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.i++
	}
}

func (p *scanner) skipSeparators() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t' || p.peek() == ',') {
		p.i++
	}
}

func (p *scanner) token() string {
	start := p.i
	for !p.eof() && isTChar(p.peek()) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *scanner) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrMalformedChallenge, what, p.i)
}

func parseChallenges(s string) ([]Challenge, error) {
	p := &scanner{s: s}
	var out []Challenge
	for {
		p.skipSeparators()
		if p.eof() {
			return out, nil
		}
		name := p.token()
		if name == "" {
			return nil, p.fail("expected a scheme or a parameter")
		}
		afterName := p.i
		p.skipWS()
		if !p.eof() && p.peek() == '=' && len(out) > 0 && out[len(out)-1].Token68 == "" {
			if err := p.param(&out[len(out)-1], name); err != nil {
				return nil, err
			}
			continue
		}
		p.i = afterName
		c := Challenge{Scheme: name, Params: map[string]string{}}
		if !p.eof() && p.peek() == ' ' {
			c.Token68 = p.token68()
		}
		out = append(out, c)
	}
}

// param reads "= value" after a parameter name into c.
func (p *scanner) param(c *Challenge, name string) error {
	p.i++ // '='
	p.skipWS()
	var val string
	if !p.eof() && p.peek() == '"' {
		v, err := p.quoted()
		if err != nil {
			return err
		}
		val = v
	} else if val = p.token(); val == "" {
		return p.fail("expected a parameter value")
	}
	key := strings.ToLower(name)
	if _, dup := c.Params[key]; dup {
		return p.fail("repeated parameter " + key)
	}
	c.Params[key] = val
	p.skipWS()
	if !p.eof() && p.peek() != ',' {
		return p.fail("expected a comma")
	}
	return nil
}

// quoted reads a quoted-string, unescaping quoted-pairs.
func (p *scanner) quoted() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for !p.eof() {
		ch := p.peek()
		p.i++
		switch {
		case ch == '"':
			return b.String(), nil
		case ch == '\\':
			if p.eof() {
				return "", p.fail("unterminated escape")
			}
			b.WriteByte(p.peek())
			p.i++
		case ch < 0x20 && ch != '\t', ch == 0x7f:
			return "", p.fail("control character in quoted string")
		default:
			b.WriteByte(ch)
		}
	}
	return "", p.fail("unterminated quoted string")
}

// token68 reads a token68 after a scheme if one follows (and ends the
// challenge); otherwise it leaves the position unchanged.
func (p *scanner) token68() string {
	save := p.i
	p.skipWS()
	start := p.i
	for !p.eof() && isToken68Char(p.peek()) {
		p.i++
	}
	body := p.i
	for !p.eof() && p.peek() == '=' {
		p.i++
	}
	tok := p.s[start:p.i]
	p.skipWS()
	if body == start || (!p.eof() && p.peek() != ',') {
		p.i = save
		return ""
	}
	return tok
}

func isTChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken68Char(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
