package tableautest

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"sync/atomic"

	graphql "github.com/graph-gophers/graphql-go"
)

// This file holds what every Metadata API resolver shares: the per-request
// state with its node count, connections (cursors, pageInfo, totalCount)
// and filters.

type mdQueryKey struct{}

// mdQuery is the state of one Metadata API request.
type mdQuery struct {
	g        *lgGraph
	limit    int
	nodes    atomic.Int64
	exceeded atomic.Bool
}

func queryOf(ctx context.Context) *mdQuery {
	q, _ := ctx.Value(mdQueryKey{}).(*mdQuery)
	if q == nil {
		return &mdQuery{g: &lgGraph{}, limit: DefaultMetadataNodeLimit}
	}
	return q
}

// take counts the nodes of a list against the node limit and cuts the list
// where the limit is reached.
func take[T any](q *mdQuery, list []T) []T {
	n := int64(len(list))
	total := q.nodes.Add(n)
	if total <= int64(q.limit) {
		return list
	}
	q.exceeded.Store(true)
	keep := max(int64(q.limit)-(total-n), 0)
	return list[:keep]
}

// mdError is a resolver error with the Metadata API's extensions.
type mdError struct{ code, msg string }

func (e *mdError) Error() string { return e.msg }

// Extensions gives the error's code and severity to graphql-go.
func (e *mdError) Extensions() map[string]any {
	return map[string]any{"code": e.code, "severity": "ERROR"}
}

type pageInfoR struct {
	HasNextPage bool
	EndCursor   *string
}

// conn is a ...Connection: a page of nodes.
type conn[T any] struct {
	Nodes      []T
	PageInfo   pageInfoR
	TotalCount int32
}

type pageArgs struct {
	First *int32
	After *string
}

type filterPageArgs struct {
	Filter *mdFilter
	First  *int32
	After  *string
}

type filterArgs struct {
	Filter *mdFilter
}

const cursorPrefix = "tableautest:"

func encodeCursor(n int) string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(n)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), cursorPrefix))
	return n, err == nil && n >= 0
}

// page returns the page of all that starts after the cursor, of at most
// first nodes (all the rest when first is nil).
func page[T any](q *mdQuery, all []T, first *int32, after *string) (*conn[T], error) {
	off := 0
	if after != nil {
		n, ok := decodeCursor(*after)
		if !ok {
			return nil, &mdError{"INVALID_ARGUMENT", "The query contains an invalid cursor. Make sure to use cursors returned by this API."}
		}
		off = min(n, len(all))
	}
	n := len(all) - off
	if first != nil {
		if *first < 0 {
			return nil, &mdError{"INVALID_ARGUMENT", "The \"first\" argument must not be negative."}
		}
		n = min(n, int(*first))
	}
	nodes := take(q, all[off:off+n])
	end := off + len(nodes)
	c := &conn[T]{Nodes: nodes, TotalCount: int32(len(all)), PageInfo: pageInfoR{HasNextPage: end < len(all)}}
	if len(nodes) > 0 || off > 0 {
		cur := encodeCursor(end)
		c.PageInfo.EndCursor = &cur
	}
	return c, nil
}

// mdFilter is every filter input of the schema (each uses some fields).
type mdFilter struct {
	ID                   *graphql.ID
	IDWithin             *[]*graphql.ID
	Name                 *string
	NameWithin           *[]*string
	Luid                 *string
	LuidWithin           *[]*string
	ProjectName          *string
	ProjectNameWithin    *[]*string
	IsCertified          *bool
	IsHidden             *bool
	ConnectionType       *string
	ConnectionTypeWithin *[]*string
	Schema               *string
	SchemaWithin         *[]*string
	FullName             *string
	FullNameWithin       *[]*string
}

// attrs are the values a filter compares.
type attrs struct {
	id, name, luid, project, connType, schema, fullName string
	certified, hidden                                   bool
}

func one(want *string, got string) bool { return want == nil || *want == got }

func within[S ~string](list *[]*S, got string) bool {
	if list == nil {
		return true
	}
	for _, v := range *list {
		if v != nil && string(*v) == got {
			return true
		}
	}
	return false
}

func (f *mdFilter) match(a attrs) bool {
	if f == nil {
		return true
	}
	if f.ID != nil && string(*f.ID) != a.id {
		return false
	}
	return within(f.IDWithin, a.id) && one(f.Name, a.name) && within(f.NameWithin, a.name) &&
		one(f.Luid, a.luid) && within(f.LuidWithin, a.luid) && one(f.ProjectName, a.project) &&
		within(f.ProjectNameWithin, a.project) && one(f.ConnectionType, a.connType) &&
		within(f.ConnectionTypeWithin, a.connType) && one(f.Schema, a.schema) && within(f.SchemaWithin, a.schema) &&
		one(f.FullName, a.fullName) && within(f.FullNameWithin, a.fullName) &&
		(f.IsCertified == nil || *f.IsCertified == a.certified) && (f.IsHidden == nil || *f.IsHidden == a.hidden)
}

// filterMap keeps the nodes that match f and wraps them as resolvers.
func filterMap[N any, R any](f *mdFilter, nodes []N, a func(N) attrs, wrap func(N) R) []R {
	out := make([]R, 0, len(nodes))
	for _, n := range nodes {
		if f.match(a(n)) {
			out = append(out, wrap(n))
		}
	}
	return out
}

func mapList[N any, R any](nodes []N, wrap func(N) R) []R {
	out := make([]R, len(nodes))
	for i, n := range nodes {
		out[i] = wrap(n)
	}
	return out
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func boolp(b bool) *bool { return &b }
