package contract_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/contract"
	"github.com/telnyxoauth/telnyx-oauth-go/spec"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// hostile starts a plain httptest server (not contract-checked: it is
// meant to break the contract) and a wrapper with validation on.
func hostile(t *testing.T, h http.HandlerFunc) (*wrapper.Client, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	check, err := contract.WrapperOption()
	if err != nil {
		t.Fatal(err)
	}
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(srv.URL), wrapper.WithAPIKey("KEY_test_secret"),
		wrapper.WithBackoff(func(int) time.Duration { return 0 }), check)
	if err != nil {
		t.Fatal(err)
	}
	return c, &hits
}

func TestWrapperOptionRefusesResponseOutsideContract(t *testing.T) {
	c, hits := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, strings.Replace(grantJSON, `"scopes":["admin"]`, `"scopes":"admin"`, 1))
	})
	_, err := c.Grants.Get(context.Background(), "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b")
	var ce *spec.Error
	if !errors.As(err, &ce) || !errors.Is(err, spec.ErrContract) {
		t.Fatalf("err = %v, want a *spec.Error through the wrapper", err)
	}
	if ce.Operation != "GetOAuthGrant" || ce.Path != "/data/scopes" {
		t.Errorf("operation %q path %q, want GetOAuthGrant /data/scopes", ce.Operation, ce.Path)
	}
	if !strings.Contains(err.Error(), "GetOAuthGrant") || !strings.Contains(err.Error(), "/data/scopes") {
		t.Errorf("message %q does not name the operation and path", err)
	}
	// A GET is normally retried on failure; a contract violation is not.
	if hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1 (no retry of a violation)", hits.Load())
	}
}

func TestWrapperOptionRefusesHTMLFromAProxy(t *testing.T) {
	c, hits := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><body>Bad gateway</body></html>")
	})
	_, err := c.Clients.List(context.Background(), wrapper.ListClientsParams{PageSize: 2})
	var ce *spec.Error
	if !errors.As(err, &ce) || ce.Operation != "ListOAuthClients" {
		t.Fatalf("err = %v, want a contract error for ListOAuthClients", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", hits.Load())
	}
}

func TestWrapperOptionValidatesWithCredentialsSet(t *testing.T) {
	// The token endpoint's contract requires client authentication; the
	// wrapper's auth layer runs before the check, so a conforming exchange
	// passes and the server sees the credentials.
	c, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer KEY_test_secret" {
			t.Errorf("Authorization %q not set below the check", r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, grantJSON)
	})
	if _, err := c.Grants.Get(context.Background(), "7d1e5b3a-2c4f-4e6a-8b9d-0a1f2e3d4c5b"); err != nil {
		t.Fatalf("conforming exchange refused: %v", err)
	}
}

func TestWrapperOptionRejectsBadTransportOption(t *testing.T) {
	if _, err := contract.WrapperOption(contract.WithMaxBody(0)); err == nil {
		t.Error("WithMaxBody(0) accepted")
	}
}

// TestWrapperStaysFreeOfKinOpenAPI keeps kin-openapi (and this package)
// out of what users of api/ and wrapper/ compile.
func TestWrapperStaysFreeOfKinOpenAPI(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	const mod = "github.com/telnyxoauth/telnyx-oauth-go/"
	out, err := exec.Command(goTool, "list", "-deps", mod+"wrapper", mod+"api").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "golang.org/x/oauth2") {
		t.Fatalf("go list output lacks the wrapper's dependencies:\n%s", out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "kin-openapi") || pkg == mod+"spec" || pkg == mod+"contract" {
			t.Errorf("wrapper or api depends on %s", pkg)
		}
	}
}
