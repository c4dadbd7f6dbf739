package agent_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/telnyxoauth/telnyx-oauth-go/agent"
	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

// A confidential agent registers itself and gets tokens with the
// client_credentials grant, starting from the resource's URL alone.
func ExampleConnect() {
	e, _ := emulator.New()
	srv := httptest.NewServer(e)
	defer srv.Close()
	_ = e.SetBaseURL(srv.URL)

	conn, err := agent.Connect(context.Background(), srv.URL,
		agent.WithConfidential(), agent.WithClientName("nightly report"), agent.WithScope("admin"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issuer is the resource:", conn.Server.Issuer == srv.URL)
	fmt.Println("registered:", conn.Registered, "public:", conn.Registration.Public())
	tok, err := conn.TokenSource.Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("token:", tok.Type(), tok.Extra("scope"))
	// Output:
	// issuer is the resource: true
	// registered: true public: false
	// token: Bearer admin
}

// A public agent (the default) gets a ready authorization-code session
// with PKCE S256; the user is sent to its AuthorizeURL.
func ExampleConnect_public() {
	e, _ := emulator.New()
	srv := httptest.NewServer(e)
	defer srv.Close()
	_ = e.SetBaseURL(srv.URL)

	conn, err := agent.Connect(context.Background(), srv.URL,
		agent.WithRedirectURI("http://127.0.0.1:8765/callback"), agent.WithScope("admin"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Next: redirect the user to conn.Session.AuthorizeURL(), and on the
	// way back call conn.Session.Callback(query) and
	// conn.Session.Exchange(ctx, code).
	fmt.Println("auth method:", conn.Registration.AuthMethod)
	fmt.Println("PKCE verifier length:", len(conn.Session.Verifier))
	// Output:
	// auth method: none
	// PKCE verifier length: 43
}
