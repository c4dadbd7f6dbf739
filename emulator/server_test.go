package emulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
)

func TestStartServesOnLoopbackAndShutsDown(t *testing.T) {
	s, err := emulator.Start("", emulator.WithAPIKey("start-key"))
	if err != nil {
		t.Fatal(err)
	}
	if s.APIKey != "start-key" {
		t.Fatalf("APIKey = %q", s.APIKey)
	}
	resp, err := http.Get(s.URL + "/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	err = json.NewDecoder(resp.Body).Decode(&md)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if md.Issuer != s.URL || md.TokenEndpoint != s.URL+"/v2/oauth/token" {
		t.Fatalf("metadata points at %q / %q, want the listener %q", md.Issuer, md.TokenEndpoint, s.URL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(s.URL + "/v2/oauth/jwks"); err == nil {
		t.Fatal("server still answering after Shutdown")
	}
}

func TestStartRefusesBadAddress(t *testing.T) {
	if _, err := emulator.Start("256.0.0.1:bad"); err == nil {
		t.Fatal("Start accepted a bad address")
	}
}
