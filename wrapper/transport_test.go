package wrapper

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestChainOrder(t *testing.T) {
	c, err := New(WithoutEnvironment(), WithAPIKey(testKey), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := c.hc.Transport.(*retryTransport)
	if !ok {
		t.Fatalf("outermost layer is %T, want retry", c.hc.Transport)
	}
	lt, ok := rt.next.(*logTransport)
	if !ok {
		t.Fatalf("second layer is %T, want log", rt.next)
	}
	at, ok := lt.next.(*authTransport)
	if !ok {
		t.Fatalf("third layer is %T, want auth", lt.next)
	}
	nt, ok := at.next.(*netErrTransport)
	if !ok || nt.next != http.DefaultTransport {
		t.Fatalf("below auth is %T, want the network-error marker over the base", at.next)
	}
	c, _ = New(WithoutEnvironment())
	if _, ok := c.hc.Transport.(*retryTransport).next.(*authTransport); !ok {
		t.Error("log layer present without a logger")
	}
	if c.hc.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
		t.Error("redirects would be followed")
	}
}

func TestCloneWithBodyReplays(t *testing.T) {
	req, _ := http.NewRequest("POST", "http://x/", strings.NewReader("grant_type=client_credentials"))
	_, _ = io.ReadAll(req.Body) // first attempt consumed it
	again, ok := cloneWithBody(req)
	if !ok {
		t.Fatal("not replayable")
	}
	b, _ := io.ReadAll(again.Body)
	if string(b) != "grant_type=client_credentials" || again == req {
		t.Errorf("replayed body %q", b)
	}
	req.GetBody = nil
	if _, ok := cloneWithBody(req); ok {
		t.Error("body without GetBody reported replayable")
	}
}
