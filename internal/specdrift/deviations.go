package specdrift

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Deviation is a deliberate difference from upstream: a line that Compare
// may print, matched exactly (Match) or by a glob (Pattern, where * matches
// any run of characters and ? one character), and why it is deliberate.
type Deviation struct {
	Match   string `yaml:"match,omitempty"`
	Pattern string `yaml:"pattern,omitempty"`
	Reason  string `yaml:"reason"`

	re *regexp.Regexp
}

// Key is the deviation's match or pattern, as written in the file.
func (d *Deviation) Key() string {
	if d.Pattern != "" {
		return d.Pattern
	}
	return d.Match
}

// Matches reports whether the deviation covers the difference.
func (d *Deviation) Matches(diff Difference) bool {
	line := diff.String()
	if d.re != nil {
		return d.re.MatchString(line)
	}
	return d.Match == line
}

// Deviations is the list kept in spec/deviations.yaml.
type Deviations []*Deviation

type deviationsFile struct {
	Deviations Deviations `yaml:"deviations"`
}

// LoadDeviations reads a deviations file. A missing file is an error: the
// check must not pass by accident because the list was not found.
func LoadDeviations(path string) (Deviations, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("specdrift: %w", err)
	}
	devs, err := ParseDeviations(data)
	if err != nil {
		return nil, fmt.Errorf("specdrift: %s: %w", path, err)
	}
	return devs, nil
}

// ParseDeviations parses the YAML form:
//
//	deviations:
//	  - match: "ExchangeOAuthToken: security oauthClientAuth: scheme oauth2 -> http basic"
//	    reason: why this difference is deliberate
//	  - pattern: "*: security oauthClientAuth: scheme oauth2 -> http basic"
//	    reason: ...
//
// Every entry needs exactly one of match and pattern, and a reason.
func ParseDeviations(data []byte) (Deviations, error) {
	var f deviationsFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse deviations: %w", err)
	}
	for i, d := range f.Deviations {
		if d == nil {
			return nil, fmt.Errorf("deviation %d: empty entry", i+1)
		}
		if (d.Match == "") == (d.Pattern == "") {
			return nil, fmt.Errorf("deviation %d: give exactly one of match and pattern", i+1)
		}
		if strings.TrimSpace(d.Reason) == "" {
			return nil, fmt.Errorf("deviation %d (%s): reason is missing", i+1, d.Key())
		}
		if d.Pattern != "" {
			d.re = globRegexp(d.Pattern)
		}
	}
	return f.Deviations, nil
}

func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// Listed pairs a difference with the deviation that covers it.
type Listed struct {
	Difference Difference
	Deviation  *Deviation
}

// Report splits the differences into those the deviations cover and those
// they do not, and lists the deviations that cover nothing any more.
type Report struct {
	Listed   []Listed
	Unlisted []Difference
	Stale    Deviations
}

// Classify sorts diffs against the deviations; the first deviation that
// matches a difference covers it.
func (devs Deviations) Classify(diffs []Difference) Report {
	var r Report
	used := map[*Deviation]bool{}
	for _, d := range diffs {
		var hit *Deviation
		for _, dev := range devs {
			if dev.Matches(d) {
				hit = dev
				break
			}
		}
		if hit == nil {
			r.Unlisted = append(r.Unlisted, d)
			continue
		}
		used[hit] = true
		r.Listed = append(r.Listed, Listed{Difference: d, Deviation: hit})
	}
	for _, dev := range devs {
		if !used[dev] {
			r.Stale = append(r.Stale, dev)
		}
	}
	return r
}
