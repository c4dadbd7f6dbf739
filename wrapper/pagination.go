package wrapper

import (
	"context"
	"fmt"
	"iter"

	"github.com/telnyxoauth/telnyx-oauth-go/api"
)

// Page is one page of a list and its pagination meta.
type Page[T any] struct {
	Items []T      // the page's records, in the server's order
	Meta  PageMeta // where the page stands in the whole list
}

// PageMeta is the pagination meta of a list response. Fields the server
// omitted are 0.
type PageMeta struct {
	PageNumber   int // meta.page_number, 1-based
	PageSize     int // meta.page_size
	TotalPages   int // meta.total_pages
	TotalResults int // meta.total_results
}

// Last reports whether this page is the last one.
func (m PageMeta) Last() bool { return m.TotalPages > 0 && m.PageNumber >= m.TotalPages }

func metaOf(p *api.PaginationMeta) PageMeta {
	if p == nil {
		return PageMeta{}
	}
	deref := func(v *int) int {
		if v == nil {
			return 0
		}
		return *v
	}
	return PageMeta{deref(p.PageNumber), deref(p.PageSize), deref(p.TotalPages), deref(p.TotalResults)}
}

// fetchPage gets page number n (1-based).
type fetchPage[T any] func(ctx context.Context, n int) (*Page[T], error)

// paginate walks pages from start. It passes ctx to every page, stops after
// limit items (0: no limit), on the last page or on an empty page, refuses a
// page number that does not advance, and yields an error once before ending.
func paginate[T any](ctx context.Context, op string, start, limit int, fetch fetchPage[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		n, seen := max(start, 1), 0
		prev := 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("wrapper: %s: page %d: %w", op, n, err))
				return
			}
			p, err := fetch(ctx, n)
			if err != nil {
				yield(zero, err)
				return
			}
			got := p.Meta.PageNumber
			if got == 0 {
				got = n
			}
			if prev != 0 && got <= prev {
				yield(zero, fmt.Errorf("wrapper: %s: page number did not advance (asked for %d, got %d)", op, n, got))
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
				if seen++; limit > 0 && seen >= limit {
					return
				}
			}
			if len(p.Items) == 0 || p.Meta.Last() || (p.Meta.TotalPages == 0 && p.Meta.PageSize > 0 && len(p.Items) < p.Meta.PageSize) {
				return
			}
			prev, n = got, got+1
		}
	}
}

// Collect drains seq into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// checkPaging validates page parameters before anything is sent.
func checkPaging(op string, size, number, limit int) error {
	if size < 0 || size > 100 {
		return fmt.Errorf("wrapper: %s: page size %d out of range 1..100", op, size)
	}
	if number < 0 {
		return fmt.Errorf("wrapper: %s: negative page number %d", op, number)
	}
	if limit < 0 {
		return fmt.Errorf("wrapper: %s: negative limit %d", op, limit)
	}
	return nil
}

func ptrIf[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
