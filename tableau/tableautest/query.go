package tableautest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Paging limits of the REST API.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// Page is the <pagination> of a list response.
type Page struct {
	Number, Size, Total int
}

// kind says how a field's values compare in filters and sorts.
type kind int

const (
	kindString kind = iota
	kindInt
	kindBool
	kindTime // RFC 3339 (2006-01-02T15:04:05Z)
)

// field is one filterable and sortable field of a resource type T.
// Exactly one of value and values is set; values is for multi-valued
// fields such as tags, where a clause matches when any value matches.
type field[T any] struct {
	name   string
	kind   kind
	ops    []string // allowed filter operators; nil allows every operator valid for kind
	value  func(T) string
	values func(T) []string
}

// one returns the value a sort uses: the first of a multi-valued field.
func (f *field[T]) one(item T) string {
	if f.values != nil {
		return first(f.values(item))
	}
	return f.value(item)
}

// listSchema describes how a resource type is listed: the wrapper element
// (plural, "projects"), how one item renders, and its filter/sort fields.
type listSchema[T any] struct {
	plural string
	render func(T) *elem
	fields []field[T]
}

func (s *listSchema[T]) field(name string) *field[T] {
	for i := range s.fields {
		if s.fields[i].name == name {
			return &s.fields[i]
		}
	}
	return nil
}

// listQuery holds the paging, filter, sort and fields parameters of a request.
type listQuery struct {
	pageNumber, pageSize int
	filters              []filterClause
	sorts                []sortClause
	fields               fieldSelection
}

// parseListQuery reads pageSize, pageNumber, filter, sort and fields.
func parseListQuery(q url.Values) (listQuery, *apiError) {
	lq := listQuery{pageNumber: 1, pageSize: defaultPageSize, fields: fieldSelection{def: true}}
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return lq, newAPIError(http.StatusBadRequest, codeInvalidPageSize, "Bad Request",
				fmt.Sprintf("The page size '%s' is not an integer between 1 and %d.", v, maxPageSize))
		}
		lq.pageSize = n
	}
	if v := q.Get("pageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return lq, newAPIError(http.StatusBadRequest, codeInvalidPageNumber, "Bad Request",
				fmt.Sprintf("The page number '%s' is not an integer greater than zero.", v))
		}
		lq.pageNumber = n
	}
	var err error
	if lq.filters, err = parseFilter(q.Get("filter")); err != nil {
		return lq, newAPIError(http.StatusBadRequest, codeInvalidFilter, "Bad Request", err.Error())
	}
	if lq.sorts, err = parseSort(q.Get("sort")); err != nil {
		return lq, newAPIError(http.StatusBadRequest, codeInvalidFilter, "Bad Request", err.Error())
	}
	if lq.fields, err = parseFields(q.Get("fields")); err != nil {
		return lq, errBadRequest(err.Error())
	}
	return lq, nil
}

// apply filters, sorts and pages items. items is not modified.
func apply[T any](s *listSchema[T], q listQuery, items []T) ([]T, Page, *apiError) {
	for _, c := range q.filters {
		f := s.field(c.field)
		if f == nil {
			return nil, Page{}, newAPIError(http.StatusBadRequest, codeInvalidFilter, "Bad Request",
				fmt.Sprintf("The filter query contains a key '%s' which is not recognized for this api version.", c.field))
		}
		if err := checkOp(f.kind, f.ops, c); err != nil {
			return nil, Page{}, newAPIError(http.StatusBadRequest, codeInvalidFilter, "Bad Request", err.Error())
		}
	}
	for _, c := range q.sorts {
		if s.field(c.field) == nil {
			return nil, Page{}, newAPIError(http.StatusBadRequest, codeInvalidFilter, "Bad Request",
				fmt.Sprintf("The sort query contains a key '%s' which is not recognized for this api version.", c.field))
		}
	}
	out := items // no filter and no sort: page the caller's slice as it is
	if len(q.filters) > 0 || len(q.sorts) > 0 {
		out = make([]T, 0, len(items))
		for _, it := range items {
			keep := true
			for _, c := range q.filters {
				if !matches(s.field(c.field), c, it) {
					keep = false
					break
				}
			}
			if keep {
				out = append(out, it)
			}
		}
	}
	if len(q.sorts) > 0 {
		out = sortItems(s, q.sorts, out)
	}
	p := Page{Number: q.pageNumber, Size: q.pageSize, Total: len(out)}
	start := (q.pageNumber - 1) * q.pageSize
	if start >= len(out) {
		// A page past the end is empty, so a pager that races with deletions ends cleanly.
		return nil, p, nil
	}
	end := min(start+q.pageSize, len(out))
	return out[start:end], p, nil
}

// sortItems sorts items stably by the sort clauses. It computes each key
// once and sorts indexes, so large items are moved only once.
func sortItems[T any](s *listSchema[T], sorts []sortClause, items []T) []T {
	type keyed struct {
		keys []string
		i    int
	}
	fields := make([]*field[T], len(sorts))
	for i, c := range sorts {
		fields[i] = s.field(c.field)
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		keys := make([]string, len(fields))
		for j, f := range fields {
			keys[j] = f.one(it)
		}
		ks[i] = keyed{keys: keys, i: i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		for j, c := range sorts {
			r := compareValues(fields[j].kind, a.keys[j], b.keys[j])
			if c.desc {
				r = -r
			}
			if r != 0 {
				return r
			}
		}
		return cmp.Compare(a.i, b.i) // stable: equal keys keep their order
	})
	out := make([]T, len(items))
	for k, x := range ks {
		out[k] = items[x.i]
	}
	return out
}

// writeList answers a list request: <pagination/> then <plural> with the
// page of items, each pruned to the requested fields.
func writeList[T any](w http.ResponseWriter, r *http.Request, s *listSchema[T], items []T) {
	q, aerr := parseListQuery(r.URL.Query())
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	pageItems, p, aerr := apply(s, q, items)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	list := newElem(s.plural)
	for _, it := range pageItems {
		e := s.render(it)
		if err := q.fields.check(e); err != nil {
			writeError(w, r, errBadRequest(err.Error()))
			return
		}
		list.add(q.fields.prune(e))
	}
	writeXML(w, r, http.StatusOK, paginationElem(p), list)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// checkOp reports whether operator op is allowed for a field.
func checkOp(k kind, allowed []string, c filterClause) error {
	if allowed != nil && !slices.Contains(allowed, c.op) {
		return detailf("The filter operator '%s' is not supported for key '%s'.", c.op, c.field)
	}
	switch k {
	case kindBool:
		if c.op != "eq" {
			return detailf("The filter operator '%s' is not supported for key '%s'.", c.op, c.field)
		}
		for _, v := range c.values {
			if v != "true" && v != "false" {
				return detailf("The filter value '%s' for key '%s' is not a boolean.", v, c.field)
			}
		}
	case kindInt:
		if c.op == "has" || c.op == "cieq" {
			return detailf("The filter operator '%s' is not supported for key '%s'.", c.op, c.field)
		}
		for _, v := range c.values {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return detailf("The filter value '%s' for key '%s' is not an integer.", v, c.field)
			}
		}
	case kindTime:
		if c.op == "has" || c.op == "cieq" {
			return detailf("The filter operator '%s' is not supported for key '%s'.", c.op, c.field)
		}
		for _, v := range c.values {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return detailf("The filter value '%s' for key '%s' is not a date-time like 2016-05-04T21:24:49Z.", v, c.field)
			}
		}
	}
	return nil
}

// matches reports whether item satisfies clause c on field f.
func matches[T any](f *field[T], c filterClause, item T) bool {
	if f.values == nil {
		have := f.value(item)
		for _, want := range c.values {
			if matchOne(f.kind, c.op, have, want) {
				return true
			}
		}
		return false
	}
	for _, have := range f.values(item) {
		for _, want := range c.values {
			if matchOne(f.kind, c.op, have, want) {
				return true
			}
		}
	}
	return false
}

func matchOne(k kind, op, have, want string) bool {
	switch op {
	case "eq", "in":
		if k == kindString {
			return wildcardMatch(want, have)
		}
		return compareValues(k, have, want) == 0
	case "cieq":
		return strings.EqualFold(have, want)
	case "has":
		return strings.Contains(strings.ToLower(have), strings.ToLower(want))
	case "gt":
		return compareValues(k, have, want) > 0
	case "gte":
		return compareValues(k, have, want) >= 0
	case "lt":
		return compareValues(k, have, want) < 0
	case "lte":
		return compareValues(k, have, want) <= 0
	}
	return false
}

// wildcardMatch matches have against pattern, where * in pattern matches any
// run of characters (the REST API's starts-with/ends-with/contains wildcard).
func wildcardMatch(pattern, have string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == have
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(have, parts[0]) {
		return false
	}
	have = have[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(have, p)
		if i < 0 {
			return false
		}
		have = have[i+len(p):]
	}
	return strings.HasSuffix(have, last)
}

// compareValues orders two values of a kind; unparsable values sort first.
func compareValues(k kind, a, b string) int {
	switch k {
	case kindInt:
		x, errA := strconv.ParseInt(a, 10, 64)
		y, errB := strconv.ParseInt(b, 10, 64)
		if errA != nil || errB != nil {
			return cmp.Compare(a, b)
		}
		return cmp.Compare(x, y)
	case kindTime:
		x, errA := time.Parse(time.RFC3339, a)
		y, errB := time.Parse(time.RFC3339, b)
		if errA != nil || errB != nil {
			return cmp.Compare(a, b)
		}
		return x.Compare(y)
	case kindBool:
		return cmp.Compare(a, b) // "false" < "true"
	default:
		if c := compareFold(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
}

// compareFold orders strings ignoring case, without allocating for ASCII.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x >= utf8.RuneSelf || y >= utf8.RuneSelf {
			return cmp.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}
