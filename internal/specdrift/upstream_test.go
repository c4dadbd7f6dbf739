package specdrift

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var upstreamFiles = []string{
	"telnyx-spec3-2026-07-16.yml",       // the whole published document
	"telnyx-oauth-slice-2026-07-16.yml", // its OAuth part
}

// repoRoot walks up from the package directory to the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package")
		}
		dir = parent
	}
}

// upstreamFile finds a stored Telnyx document in a shared/upstream directory
// next to the repository root (or above it), or skips the test.
func upstreamFile(t testing.TB, name string) string {
	t.Helper()
	for dir := repoRoot(t); ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "upstream", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			t.Skipf("upstream document %s not found in a shared/upstream directory above the repository", name)
		}
	}
}

var (
	upstreamMu   sync.Mutex
	upstreamDocs = map[string]*openapi3.T{}
)

// loadUpstream loads a stored Telnyx document once per test binary: the
// whole one takes a while under the race detector. Treat it as read-only.
func loadUpstream(t *testing.T, name string) *openapi3.T {
	t.Helper()
	path := upstreamFile(t, name)
	upstreamMu.Lock()
	defer upstreamMu.Unlock()
	if doc, ok := upstreamDocs[path]; ok {
		return doc
	}
	doc, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	upstreamDocs[path] = doc
	return doc
}

func TestOpenAPIMatchesUpstreamExceptListedDeviations(t *testing.T) {
	root := repoRoot(t)
	ours, err := LoadFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := LoadDeviations(filepath.Join(root, "spec", "deviations.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range upstreamFiles {
		t.Run(name, func(t *testing.T) {
			report := devs.Classify(Compare(ours, loadUpstream(t, name)))
			for _, d := range report.Unlisted {
				t.Errorf("unlisted difference: %s", d)
			}
			for _, dev := range report.Stale {
				t.Errorf("deviation no longer occurs: %s", dev.Key())
			}
			// The one deliberate deviation must be found: the checker is live.
			want := "ExchangeOAuthToken: security oauthClientAuth: scheme oauth2 -> http basic"
			found := false
			for _, l := range report.Listed {
				found = found || l.Difference.String() == want
			}
			if !found {
				t.Errorf("listed differences lack %q", want)
			}
		})
	}
}

// TestChangedFieldTypeFails changes TokenResponse.expires_in to a string in a
// copy of openapi.yaml and expects the command to fail, naming the operation
// and the field.
func TestChangedFieldTypeFails(t *testing.T) {
	root := repoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const before = "        expires_in:\n          type: integer\n"
	if strings.Count(string(src), before) != 1 {
		t.Fatalf("openapi.yaml: expected one TokenResponse.expires_in declared as %q", before)
	}
	changed := strings.Replace(string(src), before, "        expires_in:\n          type: string\n", 1)
	ours := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(ours, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	const line = "ExchangeOAuthToken: response 200 application/json: /expires_in: type integer -> string"

	// The command end to end, on the OAuth slice.
	var stdout, stderr bytes.Buffer
	code := Run([]string{
		"-upstream", upstreamFile(t, upstreamFiles[1]),
		"-ours", ours,
		"-deviations", filepath.Join(root, "spec", "deviations.yaml"),
	}, &stdout, &stderr)
	if code != ExitDrift {
		t.Fatalf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitDrift, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), "UNLISTED: "+line+"\n") {
		t.Errorf("stdout lacks the unlisted line %q:\n%s", line, &stdout)
	}
	if n := strings.Count(stdout.String(), "UNLISTED:"); n != 1 {
		t.Errorf("%d unlisted lines, want 1:\n%s", n, &stdout)
	}

	// The same difference against both documents.
	changedDoc, err := LoadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	devs, err := LoadDeviations(filepath.Join(root, "spec", "deviations.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range upstreamFiles {
		report := devs.Classify(Compare(changedDoc, loadUpstream(t, name)))
		if got := lines(report.Unlisted); len(got) != 1 || got[0] != line {
			t.Errorf("%s: unlisted = %q, want [%q]", name, got, line)
		}
	}
}

func BenchmarkLoadWholeUpstream(b *testing.B) {
	path := upstreamFile(b, upstreamFiles[0])
	for b.Loop() {
		if _, err := LoadFile(path); err != nil {
			b.Fatal(err)
		}
	}
}
