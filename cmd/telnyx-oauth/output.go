package main

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/telnyxoauth/telnyx-oauth-go/wrapper"
)

// printer writes a command's result to stdout: an aligned table by
// default, JSON with --json.
type printer struct {
	w      io.Writer
	stderr io.Writer
	json   bool
	tty    bool // stderr is a terminal: show progress
}

func (e *env) printer() *printer {
	return &printer{w: e.stdout, stderr: e.stderr, json: e.flags.json, tty: e.stderrTTY}
}

// field is one row of a key/value table.
type field struct{ name, value string }

// object prints v as one JSON object, or fields as a two-column table.
// Fields with an empty value are left out of the table; a field named
// "# title" starts a section.
func (p *printer) object(v any, fields []field) error {
	if p.json {
		return p.encode(v)
	}
	tw := newTable(p.w)
	for i, f := range fields {
		if heading, ok := strings.CutPrefix(f.name, "# "); ok {
			if i > 0 {
				fmt.Fprintln(tw)
			}
			fmt.Fprintf(tw, "%s:\n", heading)
			continue
		}
		if f.value != "" {
			fmt.Fprintf(tw, "%s\t%s\n", f.name, f.value)
		}
	}
	return tw.Flush()
}

func (p *printer) encode(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// columns describes how a list prints as a table.
type columns[T any] struct {
	noun   string   // plural, for the progress line ("clients")
	header []string // column titles
	row    func(T) []string
}

// list prints the items of seq as they arrive: one JSON object per line,
// or table rows flushed every pageSize items so that a long --all listing
// streams page by page. With progress set and stderr a terminal, a
// progress line on stderr counts the items fetched so far. It returns the
// number of items printed.
func list[T any](p *printer, seq iter.Seq2[T, error], c columns[T], pageSize int, progress bool) (int, error) {
	progress = progress && p.tty
	t := &streamTable{w: p.w}
	if !p.json {
		t.add(c.header)
	}
	n := 0
	flush := func() error {
		if p.json {
			return nil
		}
		p.clearProgress(progress)
		return t.flush()
	}
	for item, err := range seq {
		if err != nil {
			flush()
			return n, err
		}
		n++
		if p.json {
			if err := p.encode(item); err != nil {
				return n, err
			}
		} else {
			t.add(c.row(item))
		}
		if n%pageSize == 0 {
			if err := flush(); err != nil {
				return n, err
			}
			if progress {
				fmt.Fprintf(p.stderr, "\r\033[Ktelnyx-oauth: %d %s fetched…", n, c.noun)
			}
		}
	}
	err := flush()
	p.clearProgress(progress)
	return n, err
}

// streamTable aligns rows that arrive in blocks (pages). A column is as wide
// as its widest cell so far and never narrows, so later pages line up with
// earlier ones unless they hold a wider cell. (text/tabwriter aligns only
// within what it buffers, which would realign every page differently.)
type streamTable struct {
	w      io.Writer
	widths []int
	rows   [][]string
}

func (t *streamTable) add(row []string) { t.rows = append(t.rows, row) }

func (t *streamTable) flush() error {
	for _, r := range t.rows {
		for i, cell := range r {
			if i == len(t.widths) {
				t.widths = append(t.widths, 0)
			}
			t.widths[i] = max(t.widths[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, cell := range r {
			if i == len(r)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", t.widths[i]-utf8.RuneCountInString(cell)+2))
		}
		b.WriteByte('\n')
	}
	t.rows = t.rows[:0]
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (p *printer) clearProgress(on bool) {
	if on {
		fmt.Fprint(p.stderr, "\r\033[K")
	}
}

// note prints an informational line on stderr (never in --json mode's
// stdout, so scripts are not disturbed).
func (p *printer) note(format string, args ...any) {
	fmt.Fprintf(p.stderr, "telnyx-oauth: "+format+"\n", args...)
}

// secretOnce warns, when a response carries a client secret, that this is
// the only time the server shows it (client create, registration).
func (p *printer) secretOnce(secret *string) {
	if secret != nil {
		p.note("the client secret is shown only this once; store it now")
	}
}

// Cell formatting.

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func strs[S ~string](v []S) string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

func strsPtr[S ~string](v *[]S) string {
	if v == nil {
		return ""
	}
	return strs(*v)
}

func boolStr(b bool) string { return strconv.FormatBool(b) }

func boolPtr(b *bool) string {
	if b == nil {
		return ""
	}
	return boolStr(*b)
}

func timeStr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func timePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return timeStr(*t)
}

// unixStr renders a Unix time claim as RFC 3339 with the number.
func unixStr(i *int) string {
	if i == nil {
		return ""
	}
	return fmt.Sprintf("%s (%d)", time.Unix(int64(*i), 0).UTC().Format(time.RFC3339), *i)
}

// orDash keeps an empty cell visible in a list table.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pageNote tells a table reader that more pages exist.
// printList prints a list command's result: with --all every page as it
// streams in, otherwise one page and a note on the pages left.
func printList[T any](out *printer, pf *pageFlags, all iter.Seq2[T, error], one func() (*wrapper.Page[T], error), c columns[T], noun string) error {
	if pf.all {
		_, err := list(out, all, c, pf.flushEvery(), true)
		return err
	}
	page, err := one()
	if err != nil {
		return err
	}
	if _, err := list(out, seqOf(page.Items), c, len(page.Items)+1, false); err != nil {
		return err
	}
	pageNote(out, page.Meta, noun)
	return nil
}

func pageNote(p *printer, m wrapper.PageMeta, noun string) {
	if !p.json && m.TotalPages > m.PageNumber {
		p.note("page %d of %d (%d %s); use --page or --all for more", m.PageNumber, m.TotalPages, m.TotalResults, noun)
	}
}

// seqOf turns a slice into a sequence for list.
func seqOf[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}
