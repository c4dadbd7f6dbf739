package wrapper

import (
	"fmt"
	"log/slog"
)

// Format implements [fmt.Formatter] so that printing a Client with any verb
// (%v, %+v, %#v, %s, %d, ...) shows where it points and how it
// authenticates, never the API key or client secret held in its
// configuration.
func (c Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "wrapper.Client{base: %s, auth: %s}", c.apiBase, c.authKind())
}

// LogValue implements [slog.LogValuer] without credentials.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base", c.apiBase), slog.String("auth", c.authKind()))
}

// authKind names the credentials a client uses.
func (c *Client) authKind() string {
	switch {
	case c.cfg.apiKey != nil:
		return "api key"
	case c.cfg.clientID != nil:
		return "client credentials " + *c.cfg.clientID
	case c.cfg.tokenSource != nil:
		return "token source"
	}
	return "none"
}

// Format implements [fmt.Formatter] so that printing a session with any verb
// shows its client, redirect URI, state and challenge but never the PKCE
// verifier, which together with a code redeems the authorization.
func (a AuthCodeSession) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "wrapper.AuthCodeSession{client_id: %s, redirect_uri: %s, state: %s, challenge: %s, verifier: %s}",
		a.cfg.ClientID, a.cfg.RedirectURI, a.State, a.Challenge, redacted)
}

// LogValue implements [slog.LogValuer] without the PKCE verifier.
func (a *AuthCodeSession) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", a.cfg.ClientID), slog.String("redirect_uri", a.cfg.RedirectURI),
		slog.String("state", a.State), slog.String("challenge", a.Challenge))
}
