package metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
)

// PageInfo is a connection's pageInfo.
type PageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

// Page is one page of a connection.
type Page[T any] struct {
	Nodes      []T
	PageInfo   PageInfo
	TotalCount int
}

// FetchFunc asks for the page of at most first nodes after the cursor
// after ("" for the first page).
type FetchFunc[T any] func(ctx context.Context, first int, after string) (Page[T], error)

// Pager walks a ...Connection(first:, after:) field page by page. On
// NODE_LIMIT_EXCEEDED or TIME_LIMIT_EXCEEDED it asks again for the same
// page with half as many nodes (down to one), and keeps the smaller size
// for the pages that follow.
type Pager[T any] struct {
	fetch FetchFunc[T]
	size  int
	pages atomic.Int64
	total atomic.Int64
}

// NewPager returns a pager over fetch with pageSize nodes per page
// (<= 0: 100).
func NewPager[T any](fetch FetchFunc[T], pageSize int) *Pager[T] {
	if pageSize <= 0 {
		pageSize = 100
	}
	return &Pager[T]{fetch: fetch, size: pageSize}
}

// Requests returns how many page requests the pager has sent so far,
// retries with smaller pages included.
func (p *Pager[T]) Requests() int { return int(p.pages.Load()) }

// TotalCount returns the totalCount of the last page fetched.
func (p *Pager[T]) TotalCount() int { return int(p.total.Load()) }

// Pages yields page after page until the connection has no next page.
// A page that comes with errors other than the limits above is yielded
// with them (its nodes are the partial data) and ends the walk.
func (p *Pager[T]) Pages(ctx context.Context) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		size, after := p.size, ""
		for {
			if err := ctx.Err(); err != nil {
				yield(Page[T]{}, err)
				return
			}
			p.pages.Add(1)
			pg, err := p.fetch(ctx, size, after)
			if err != nil && size > 1 && (errors.Is(err, ErrNodeLimitExceeded) || errors.Is(err, ErrTimeLimitExceeded)) {
				size = max(size/2, 1)
				continue
			}
			p.total.Store(int64(pg.TotalCount))
			if err != nil {
				yield(pg, err)
				return
			}
			if !yield(pg, nil) {
				return
			}
			if !pg.PageInfo.HasNextPage || len(pg.Nodes) == 0 {
				return
			}
			if pg.PageInfo.EndCursor == "" || pg.PageInfo.EndCursor == after {
				yield(Page[T]{}, fmt.Errorf("metadata: the server said another page follows but gave no new cursor (after %q)", after))
				return
			}
			after = pg.PageInfo.EndCursor
		}
	}
}

// All yields every node of every page.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for pg, err := range p.Pages(ctx) {
			for _, n := range pg.Nodes {
				if !yield(n, nil) {
					return
				}
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
		}
	}
}

// Collect returns every node, or the nodes so far and the first error.
func (p *Pager[T]) Collect(ctx context.Context) ([]T, error) {
	var out []T
	for n, err := range p.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Connection returns a pager over the connection at path (dot-separated
// field names from the data root, for example
// "publishedDatasourcesConnection") of an ad hoc query that declares
// $first: Int and $after: String and passes them to that connection. Each
// node is returned as raw JSON; variables are not changed.
func (c *Client) Connection(query string, variables map[string]any, path string) *Pager[json.RawMessage] {
	keys := strings.Split(path, ".")
	return NewPager(func(ctx context.Context, first int, after string) (Page[json.RawMessage], error) {
		vars := make(map[string]any, len(variables)+2)
		for k, v := range variables {
			vars[k] = v
		}
		vars["first"] = first
		if after != "" {
			vars["after"] = after
		} else {
			delete(vars, "after")
		}
		var data json.RawMessage
		qerr := c.Query(ctx, query, vars, &data)
		var pg Page[json.RawMessage]
		if len(data) > 0 {
			var err error
			if pg, err = pageAt(data, keys); err != nil && qerr == nil {
				return pg, err
			}
		}
		return pg, qerr
	}, c.opts.PageSize)
}

// pageAt finds the connection at keys inside data.
func pageAt(data json.RawMessage, keys []string) (Page[json.RawMessage], error) {
	cur := data
	for _, k := range keys {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(cur, &m); err != nil {
			return Page[json.RawMessage]{}, fmt.Errorf("metadata: connection path %q: %w", strings.Join(keys, "."), err)
		}
		v, ok := m[k]
		if !ok {
			return Page[json.RawMessage]{}, fmt.Errorf("metadata: connection path %q: no field %q in the response", strings.Join(keys, "."), k)
		}
		cur = v
	}
	var conn struct {
		Nodes      []json.RawMessage `json:"nodes"`
		PageInfo   *PageInfo         `json:"pageInfo"`
		TotalCount int               `json:"totalCount"`
	}
	if err := json.Unmarshal(cur, &conn); err != nil {
		return Page[json.RawMessage]{}, fmt.Errorf("metadata: connection %q: %w", strings.Join(keys, "."), err)
	}
	if conn.PageInfo == nil {
		return Page[json.RawMessage]{}, fmt.Errorf("metadata: connection %q: the query must select pageInfo { hasNextPage endCursor }", strings.Join(keys, "."))
	}
	return Page[json.RawMessage]{Nodes: conn.Nodes, PageInfo: *conn.PageInfo, TotalCount: conn.TotalCount}, nil
}
