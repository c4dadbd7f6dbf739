// Package agent connects a program to an OAuth-protected Telnyx resource
// in one call: discovery, dynamic registration and a ready flow.
//
// # The chain
//
// [Connect] starts from a resource identifier, [ConnectFromChallenge] from a
// 401 answer whose WWW-Authenticate carries resource_metadata (RFC 9728
// section 5.1). Either one:
//
//  1. fetches the protected-resource metadata and checks that its resource
//     is the one asked for (RFC 9728);
//  2. picks an authorization server from its authorization_servers (the
//     first, or [WithAuthorizationServer]) and fetches its metadata,
//     checking the issuer (RFC 8414);
//  3. checks that the server supports PKCE S256 and the grant types needed,
//     and that its endpoints are where a [wrapper.Client] on the issuer
//     sends requests;
//  4. registers a client (RFC 7591, POST /v2/oauth/register) unless one is
//     given by [WithClientID] or found in a [RegistrationStore];
//  5. returns a [Connection] with an authorization-code session with PKCE
//     (Connection.Session) and, for a confidential client, a
//     client-credentials token source (Connection.TokenSource).
//
// A public client (the default) registers with token_endpoint_auth_method
// "none" and needs [WithRedirectURI]:
//
//	conn, err := agent.Connect(ctx, "https://api.telnyx.com",
//		agent.WithRedirectURI("http://127.0.0.1:8765/callback"),
//		agent.WithClientName("my agent"), agent.WithScope("admin"))
//	// send the user to conn.Session.AuthorizeURL(); on the redirect back:
//	code, err := conn.Session.Callback(r.URL.Query())
//	tok, err := conn.Session.Exchange(ctx, code)
//	c, err := conn.APIClient(oauth2.StaticTokenSource(tok)) // calls as the user
//
// [WithConfidential] registers with client_secret_basic and the
// client_credentials grant; Connection.TokenSource then yields tokens with
// no user involved. Persist the registration with [WithRegistrationStore]
// so that the agent registers once per authorization server; the secret is
// in [Registration].ClientSecret, which String and LogValue leave out.
//
// # Errors
//
// Every failure is typed for errors.Is: [ErrResourceMismatch],
// [ErrIssuerMismatch], [ErrNoAuthorizationServer], [ErrNoPKCE],
// [ErrNoRegistrationEndpoint], [ErrNotSupported], [ErrNoResourceMetadata]
// and [ErrRegistrationRefused]. A refused registration is a
// *[RegistrationError] (errors.As) carrying the RFC 7591 error code and the
// invalid fields, and unwrapping to the *[wrapper.APIError]. Discovery
// failures keep their *[discovery.StatusError] in the chain. Bad options
// fail before anything is sent. No error or log line holds a secret.
package agent
