package specdrift

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	ours := writeFile(t, dir, "ours.yaml", strings.Replace(oursBase, "expires_in: {type: integer", "expires_in: {type: string", 1))
	up := writeFile(t, dir, "up.yaml", upstreamBase)
	const line = "ExchangeOAuthToken: response 200 application/json: /expires_in: type integer -> string"
	listed := writeFile(t, dir, "listed.yaml", "deviations:\n  - match: \""+line+"\"\n    reason: a test\n")
	pattern := writeFile(t, dir, "pattern.yaml", "deviations:\n  - pattern: \"Exchange*: /expires_in: type *\"\n    reason: a test\n  - match: \"GetOAuthClient: gone\"\n    reason: stale\n")
	empty := writeFile(t, dir, "empty.yaml", "deviations: []\n")
	noReason := writeFile(t, dir, "noreason.yaml", "deviations:\n  - match: x\n")
	both := writeFile(t, dir, "both.yaml", "deviations:\n  - match: x\n    pattern: y\n    reason: r\n")
	unknown := writeFile(t, dir, "unknown.yaml", "deviations:\n  - line: x\n    reason: r\n")

	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring
		stderr     string // substring
		notInFirst string
	}{
		{"unlisted difference fails", []string{"-upstream", up, "-ours", ours, "-deviations", empty}, ExitDrift, "UNLISTED: " + line + "\n", "", ""},
		{"listed exactly passes", []string{"-upstream", up, "-ours", ours, "-deviations", listed}, ExitOK, "listed:   " + line + "\n", "", "UNLISTED"},
		{"listed by pattern passes, stale warned", []string{"-upstream", up, "-ours", ours, "-deviations", pattern}, ExitOK, "listed:   " + line, "warning: deviation no longer occurs: GetOAuthClient: gone", "UNLISTED"},
		{"no difference passes", []string{"-upstream", up, "-ours", up, "-deviations", empty}, ExitOK, "0 differences", "", "listed:"},
		{"missing -upstream", []string{"-ours", ours, "-deviations", empty}, ExitUsage, "", "usage:", ""},
		{"stray argument", []string{"-upstream", up, "-deviations", empty, "extra"}, ExitUsage, "", "usage:", ""},
		{"unreadable upstream", []string{"-upstream", filepath.Join(dir, "nope.yaml"), "-ours", ours, "-deviations", empty}, ExitUsage, "", "nope.yaml", ""},
		{"malformed upstream", []string{"-upstream", writeFile(t, dir, "bad.yaml", "openapi: [\n"), "-ours", ours, "-deviations", empty}, ExitUsage, "", "bad.yaml", ""},
		{"deviation without reason", []string{"-upstream", up, "-ours", ours, "-deviations", noReason}, ExitUsage, "", "reason is missing", ""},
		{"deviation with match and pattern", []string{"-upstream", up, "-ours", ours, "-deviations", both}, ExitUsage, "", "exactly one of match and pattern", ""},
		{"deviation with unknown field", []string{"-upstream", up, "-ours", ours, "-deviations", unknown}, ExitUsage, "", "line", ""},
		{"missing deviations file", []string{"-upstream", up, "-ours", ours, "-deviations", filepath.Join(dir, "none.yaml")}, ExitUsage, "", "none.yaml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, &stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, &stderr)
			}
			if tt.notInFirst != "" && strings.Contains(stdout.String(), tt.notInFirst) {
				t.Errorf("stdout has %q:\n%s", tt.notInFirst, &stdout)
			}
		})
	}
}

func TestDeviationPatterns(t *testing.T) {
	devs, err := ParseDeviations([]byte(`
deviations:
  - pattern: "*: security oauthClientAuth: scheme oauth2 -> http basic"
    reason: wire is Basic
  - pattern: "Get?: x"
    reason: one character
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		diff Difference
		want bool
	}{
		{Difference{Operation: "ExchangeOAuthToken", Where: "security oauthClientAuth", Change: "scheme oauth2 -> http basic"}, true},
		{Difference{Operation: "IntrospectOAuthToken", Where: "security oauthClientAuth", Change: "scheme oauth2 -> http basic"}, true},
		{Difference{Operation: "ExchangeOAuthToken", Where: "security oauthClientAuth", Change: "scheme oauth2 -> http bearer"}, false},
		{Difference{Operation: "GetA", Where: "x", Change: "y"}, false},
	}
	for _, tt := range tests {
		got := devs.Classify([]Difference{tt.diff})
		if (len(got.Listed) == 1) != tt.want {
			t.Errorf("%s: listed = %v, want %v", tt.diff, len(got.Listed) == 1, tt.want)
		}
	}
	// A "?" matches exactly one character, and the whole line must match.
	if !devs[1].re.MatchString("GetA: x") || devs[1].re.MatchString("GetAB: x") || devs[1].re.MatchString("GetA: xy") {
		t.Errorf("glob %q matched wrongly", devs[1].Pattern)
	}
}
