package tableau

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"golang.org/x/sync/errgroup"
)

// Pagination is the REST API's <pagination> element.
type Pagination struct {
	PageNumber     int `xml:"pageNumber,attr"`
	PageSize       int `xml:"pageSize,attr"`
	TotalAvailable int `xml:"totalAvailable,attr"`
}

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	Pagination Pagination
}

// lastPage returns the number of the last page the pagination announces.
func (p Pagination) lastPage(requestedSize int) int {
	size := p.PageSize
	if size <= 0 {
		size = requestedSize
	}
	if size <= 0 || p.TotalAvailable <= 0 {
		return 0
	}
	return (p.TotalAvailable + size - 1) / size
}

// FetchFunc fetches page number (from 1) of size items.
type FetchFunc[T any] func(ctx context.Context, number, size int) (Page[T], error)

// Pager walks a paged list. Get one from a service's List method (or
// [NewPager] / [PagedList]); it does no I/O until used and may be used
// more than once.
type Pager[T any] struct {
	fetch    FetchFunc[T]
	size     int
	parallel int
	err      error // an option error, returned by every method
}

// NewPager returns a pager over fetch with the page size and parallelism of
// opts (nil for the defaults).
func NewPager[T any](fetch FetchFunc[T], opts *ListOptions) *Pager[T] {
	p := &Pager[T]{fetch: fetch, size: opts.pageSize(), parallel: opts.parallel()}
	if _, err := opts.Query(); err != nil {
		p.err = err
	}
	return p
}

// PagedList returns a pager that GETs path (see [Request].Path) with opts,
// decodes each page into a new R and takes the items and pagination from it
// with pick. Services in package rest build their List methods with it:
//
//	type projectList struct {
//		Pagination tableau.Pagination `xml:"pagination"`
//		Projects   []Project          `xml:"projects>project"`
//	}
//	pager := tableau.PagedList(s, path, opts, func(r *projectList) ([]Project, tableau.Pagination) {
//		return r.Projects, r.Pagination
//	})
func PagedList[T, R any](s *Session, path string, opts *ListOptions, pick func(*R) ([]T, Pagination)) *Pager[T] {
	q, err := opts.Query()
	fetch := func(ctx context.Context, number, size int) (Page[T], error) {
		var r R
		req := &Request{Method: http.MethodGet, Path: path, Query: pageQuery(q, number, size)}
		if err := s.Do(ctx, req, &r); err != nil {
			return Page[T]{}, err
		}
		items, pg := pick(&r)
		return Page[T]{Items: items, Pagination: pg}, nil
	}
	p := NewPager(fetch, opts)
	if err != nil {
		p.err = err
	}
	return p
}

// ErrorPager returns a pager whose every method fails with err (for
// services whose arguments were wrong before any request).
func ErrorPager[T any](err error) *Pager[T] {
	return &Pager[T]{err: err, size: DefaultPageSize, parallel: 1}
}

// Page fetches page number (from 1).
func (p *Pager[T]) Page(ctx context.Context, number int) (Page[T], error) {
	if p.err != nil {
		return Page[T]{}, p.err
	}
	if number < 1 {
		return Page[T]{}, fmt.Errorf("%w: page number %d is less than 1", ErrInvalidArgument, number)
	}
	return p.fetch(ctx, number, p.size)
}

// Collect returns every item.
func (p *Pager[T]) Collect(ctx context.Context) ([]T, error) {
	var out []T
	for item, err := range p.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

// All yields every item in order, then stops; on an error it yields the
// zero T and the error and stops. It stops at an empty page as well as
// after the last page the server announces; when totalAvailable grows
// during the walk it goes on to the new last page, and when the list
// shrinks the first empty page ends it. With [ListOptions].Parallel above 1 it fetches
// that many pages at once after the first and still yields in order.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if p.err != nil {
			yield(zero, p.err)
			return
		}
		first, err := p.fetch(ctx, 1, p.size)
		if err != nil {
			yield(zero, err)
			return
		}
		for _, item := range first.Items {
			if !yield(item, nil) {
				return
			}
		}
		last := first.Pagination.lastPage(p.size)
		if len(first.Items) == 0 || last <= 1 {
			return
		}
		if p.parallel <= 1 {
			p.sequential(ctx, last, yield)
			return
		}
		p.window(ctx, last, yield)
	}
}

// sequential fetches pages 2.. one at a time.
func (p *Pager[T]) sequential(ctx context.Context, last int, yield func(T, error) bool) {
	var zero T
	for n := 2; n <= last; n++ {
		page, err := p.fetch(ctx, n, p.size)
		if err != nil {
			yield(zero, err)
			return
		}
		if len(page.Items) == 0 {
			return
		}
		for _, item := range page.Items {
			if !yield(item, nil) {
				return
			}
		}
		// Follow a total that grows; an empty page ends a list that shrank.
		if l := page.Pagination.lastPage(p.size); l > last {
			last = l
		}
	}
}

type pageResult[T any] struct {
	page Page[T]
	err  error
}

// window fetches up to p.parallel pages ahead of the one being yielded, each
// into its own slot, and yields the slots in page order. At most p.parallel
// pages are in flight or waiting at any time. Leaving it cancels the
// fetches still in flight and waits for them.
func (p *Pager[T]) window(ctx context.Context, last int, yield func(T, error) bool) {
	var zero T
	ctx, cancel := context.WithCancel(ctx)
	var g errgroup.Group
	defer func() {
		cancel()
		_ = g.Wait() // no fetch outlives the iteration
	}()
	var queue []chan pageResult[T]
	next := 2
	fill := func() {
		for len(queue) < p.parallel && next <= last {
			n := next
			ch := make(chan pageResult[T], 1)
			queue = append(queue, ch)
			g.Go(func() error {
				page, err := p.fetch(ctx, n, p.size)
				ch <- pageResult[T]{page, err}
				return nil
			})
			next++
		}
	}
	fill()
	for len(queue) > 0 {
		var r pageResult[T]
		select {
		case r = <-queue[0]:
		case <-ctx.Done():
			yield(zero, ctx.Err())
			return
		}
		queue = queue[1:]
		if r.err != nil {
			yield(zero, r.err)
			return
		}
		if len(r.page.Items) == 0 {
			return
		}
		for _, item := range r.page.Items {
			if !yield(item, nil) {
				return
			}
		}
		// Pages fetched together may report different totals: follow a
		// total that grows, and let an empty page end a list that shrank.
		if l := r.page.Pagination.lastPage(p.size); l > last {
			last = l
		}
		fill()
	}
}
