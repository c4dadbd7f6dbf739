package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startEmulator runs "telnyx-oauth emulator" in-process on a free loopback
// port and returns its base URL and the rest of its stdout.
func startEmulator(t *testing.T, args ...string) (string, *bufio.Reader, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"emulator", "--addr", "127.0.0.1:0"}, args...), pw, stderr)
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	line, err := out.ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no base URL printed: %v; stderr %s", err, stderr)
	}
	stop := func() int {
		cancel()
		go io.Copy(io.Discard, pr)
		return <-code
	}
	t.Cleanup(func() { cancel() })
	return strings.TrimSpace(line), out, stderr, stop
}

func post(t *testing.T, u string, body io.Reader, ctype string, auth func(*http.Request)) map[string]any {
	t.Helper()
	req, err := http.NewRequest("POST", u, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	auth(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %v", u, res.StatusCode, out)
	}
	return out
}

func TestEmulatorCommandServesClientCredentials(t *testing.T) {
	base, _, stderr, stop := startEmulator(t, "--api-key", "k")
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base URL line = %q", base)
	}
	created := post(t, base+"/v2/oauth_clients", strings.NewReader(`{"name":"cli","client_type":"confidential","allowed_scopes":["admin"],"allowed_grant_types":["client_credentials"]}`),
		"application/json", func(r *http.Request) { r.Header.Set("Authorization", "Bearer k") })
	data := created["data"].(map[string]any)
	id, secret := data["client_id"].(string), data["client_secret"].(string)
	basic := func(r *http.Request) { r.SetBasicAuth(id, secret) }
	tok := post(t, base+"/v2/oauth/token", strings.NewReader("grant_type=client_credentials"), "application/x-www-form-urlencoded", basic)
	access := tok["access_token"].(string)
	in := post(t, base+"/v2/oauth/introspect", strings.NewReader(url.Values{"token": {access}}.Encode()), "application/x-www-form-urlencoded", basic)
	if in["active"] != true {
		t.Fatalf("introspection = %v", in)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d; stderr %s", code, stderr)
	}
	logs := stderr.String()
	if !strings.Contains(logs, "path=/v2/oauth/token") || !strings.Contains(logs, "status=200") {
		t.Errorf("requests not logged:\n%s", logs)
	}
	for _, secretText := range []string{secret, access, "Bearer k", "Basic "} {
		if strings.Contains(logs, secretText) {
			t.Errorf("log holds a secret (%.12s...)", secretText)
		}
	}
}

func TestEmulatorCommandGeneratesKey(t *testing.T) {
	base, out, _, stop := startEmulator(t)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	key, ok := strings.CutPrefix(strings.TrimSpace(line), "API key: ")
	if !ok || key == "" {
		t.Fatalf("key line = %q", line)
	}
	req, _ := http.NewRequest("GET", base+"/v2/oauth_clients", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("generated key refused: %d", res.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d", code)
	}
}

func TestEmulatorCommandUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"emulator", "--bogus"},
		{"emulator", "--fault", "status=404"},
		{"emulator", "--fault", "nonsense"},
		{"emulator", "--access-token-ttl", "1ms"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"emulator", "--addr", "256.0.0.1:1"}, &out, &errb); code != exitError {
		t.Errorf("bad address: exit %d", code)
	}
}

func TestParseFault(t *testing.T) {
	f, err := parseFault("path=/v2/oauth/token,status=429,retry-after=2s,latency=10ms,count=3,fraction=0.5")
	if err != nil {
		t.Fatal(err)
	}
	if f.PathPrefix != "/v2/oauth/token" || f.Status != 429 || f.RetryAfter.Seconds() != 2 || f.Latency.Milliseconds() != 10 || f.Count != 3 || f.Fraction != 0.5 {
		t.Fatalf("fault = %+v", f)
	}
}
