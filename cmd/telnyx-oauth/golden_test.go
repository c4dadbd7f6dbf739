package main

// Golden-file tests of the CLI's output. Each test runs commands in-process
// against emulator.NewTestServer (which checks every response against
// openapi.yaml) and compares a transcript of stdout, stderr and the exit
// code with testdata/NAME.golden. Run "go test ./cmd/telnyx-oauth -update"
// to rewrite the files after an intended change, and review the diff.
//
// Determinism: the emulator runs on a ManualClock standing at goldenTime,
// so timestamps are fixed. What stays random is normalised before
// comparing, in order of first appearance within a transcript (the same
// value always gets the same placeholder, so the files still show which
// id a later command refers to):
//   - the server URL becomes http://emulator;
//   - JWTs become <jwt-N>; client secrets, refresh tokens, consent tokens
//     and codes (sk_emu_, rt_, ct_, ac_) become <secret-N>, <refresh-N>,
//     <consent-N> and <code-N>;
//   - the random part of the emulator's key id becomes XXXXXXXX;
//   - other long random strings (PKCE verifier, state, challenge, RSA
//     modulus) become <random-N>;
//   - UUIDs become 00000000-0000-0000-0000-00000000000N, keeping their
//     length so that tables stay aligned.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telnyxoauth/telnyx-oauth-go/emulator"
	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var goldenTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// harness runs the CLI against one emulator and records a transcript.
type harness struct {
	t      *testing.T
	ts     *emulator.TestServer
	vars   map[string]string
	tty    bool
	script strings.Builder
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ts := emulator.NewTestServer(t, emulator.WithClock(emulator.NewManualClock(goldenTime)))
	return &harness{t: t, ts: ts, vars: map[string]string{
		wrapper.EnvBaseURL: ts.URL,
		wrapper.EnvAPIKey:  ts.APIKey,
	}}
}

// result is one run of the command.
type result struct {
	stdout, stderr string
	code           int
}

// exec runs args with stdin and returns the raw result, without recording it.
func (h *harness) exec(stdin string, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv:    func(k string) string { return h.vars[k] },
		stderrTTY: h.tty,
		extra:     []wrapper.Option{wrapper.WithBackoff(func(int) time.Duration { return 0 })},
	}
	code := execute(context.Background(), e, args)
	return result{out.String(), errb.String(), code}
}

// run executes args, records them in the transcript and returns the result.
func (h *harness) run(args ...string) result { return h.runIn("", args...) }

// runIn is run with stdin.
func (h *harness) runIn(stdin string, args ...string) result {
	h.t.Helper()
	r := h.exec(stdin, args...)
	shown := make([]string, len(args))
	for i, a := range args {
		shown[i] = a
		if a == "" || strings.ContainsAny(a, " '\"") {
			shown[i] = strconv.Quote(a)
		}
	}
	fmt.Fprintf(&h.script, "$ telnyx-oauth %s\n", strings.Join(shown, " "))
	if r.stdout != "" {
		h.script.WriteString(r.stdout)
	}
	if r.stderr != "" {
		fmt.Fprintf(&h.script, "[stderr]\n%s", r.stderr)
	}
	fmt.Fprintf(&h.script, "[exit %d]\n\n", r.code)
	return r
}

// ok is run that fails the test on a non-zero exit.
func (h *harness) ok(args ...string) result {
	h.t.Helper()
	r := h.run(args...)
	if r.code != exitOK {
		h.t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
	}
	return r
}

// check compares the normalised transcript with testdata/name.golden.
func (h *harness) check(name string) {
	h.t.Helper()
	got := normalise(h.script.String(), h.ts.URL)
	compareGolden(h.t, name, got)
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

var (
	jwtRE    = regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]+`)
	prefixRE = regexp.MustCompile(`\b(sk_emu_|rt_|ct_|ac_)[\w-]+`)
	kidRE    = regexp.MustCompile(`(emu-\d{8}T\d{6}-)[\w-]{8}`)
	randomRE = regexp.MustCompile(`[\w-]{32,}`)
	uuidRE   = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	mixedRE  = regexp.MustCompile(`[A-Z0-9]`)
)

var prefixNames = map[string]string{"sk_emu_": "secret", "rt_": "refresh", "ct_": "consent", "ac_": "code"}

// normalise replaces the random parts of an output; see the file comment.
func normalise(s, baseURL string) string {
	s = strings.ReplaceAll(s, baseURL, "http://emulator")
	seen := map[string]string{}
	count := map[string]int{}
	name := func(kind, v string, format func(int) string) string {
		if p, ok := seen[v]; ok {
			return p
		}
		count[kind]++
		seen[v] = format(count[kind])
		return seen[v]
	}
	tag := func(kind string) func(int) string {
		return func(n int) string { return fmt.Sprintf("<%s-%d>", kind, n) }
	}
	s = jwtRE.ReplaceAllStringFunc(s, func(v string) string { return name("jwt", v, tag("jwt")) })
	s = prefixRE.ReplaceAllStringFunc(s, func(v string) string {
		kind := prefixNames[prefixRE.FindStringSubmatch(v)[1]]
		return name(kind, v, tag(kind))
	})
	s = kidRE.ReplaceAllString(s, "${1}XXXXXXXX")
	s = randomRE.ReplaceAllStringFunc(s, func(v string) string {
		if uuidRE.MatchString(v) && len(v) == 36 || !mixedRE.MatchString(v) || strings.HasPrefix(v, "emu-") {
			return v
		}
		return name("random", v, tag("random"))
	})
	return uuidRE.ReplaceAllStringFunc(s, func(v string) string {
		return name("uuid", v, func(n int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012d", n) })
	})
}

// field reads a string member of a JSON object printed by the CLI.
func jsonField(t *testing.T, out, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	v, _ := m[key].(string)
	if v == "" {
		t.Fatalf("no %q in %s", key, out)
	}
	return v
}

// consentToken follows an authorization URL built by the CLI the way a
// browser would (the CLI itself only builds the URL) and returns the
// consent token of the emulator's consent page it redirects to.
func (h *harness) consentToken(authorizeURL string) string {
	h.t.Helper()
	c, err := wrapper.New(wrapper.WithoutEnvironment(), wrapper.WithBaseURL(h.ts.URL))
	if err != nil {
		h.t.Fatal(err)
	}
	au, err := url.Parse(authorizeURL)
	if err != nil {
		h.t.Fatal(err)
	}
	q := au.Query()
	p := wrapper.AuthorizeParams{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"),
		Scope: ptr(q.Get("scope")), State: ptr(q.Get("state")), CodeChallenge: ptr(q.Get("code_challenge")),
	}
	setString(&p.CodeChallengeMethod, q.Get("code_challenge_method"))
	loc, err := c.OAuth.Authorize(context.Background(), p)
	if err != nil {
		h.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		h.t.Fatal(err)
	}
	tok := u.Query().Get("consent_token")
	if tok == "" {
		h.t.Fatalf("no consent token in %s", loc)
	}
	return tok
}

func ptr[T any](v T) *T { return &v }
