package tableautest

import (
	"fmt"
	"slices"
	"strings"
)

// detailError is an error whose text is a REST API <detail> sentence, so it
// starts with a capital letter like Tableau's own.
type detailError string

func (e detailError) Error() string { return string(e) }

func detailf(format string, args ...any) error { return detailError(fmt.Sprintf(format, args...)) }

// filterOps are the operators of the REST API's filter expressions.
var filterOps = []string{"eq", "gt", "gte", "lt", "lte", "in", "has", "cieq"}

// filterClause is one field:operator:value expression. values has one
// element, except for the in operator, whose [a,b] list it holds.
type filterClause struct {
	field, op string
	values    []string
}

// sortClause is one field:asc or field:desc expression.
type sortClause struct {
	field string
	desc  bool
}

// splitTopLevel splits s on commas outside [ ] brackets.
func splitTopLevel(s string) ([]string, error) {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
			if depth > 1 {
				return nil, detailf("The filter query has nested brackets at position %d.", i)
			}
		case ']':
			depth--
			if depth < 0 {
				return nil, detailf("The filter query has an unmatched ']' at position %d.", i)
			}
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, detailf("The filter query has an unclosed '['.")
	}
	return append(parts, s[start:]), nil
}

// parseFilter parses a filter parameter such as
// "name:eq:Finance,createdAt:gt:2016-05-04T21:24:49Z,tags:in:[a,b]".
// Values may contain colons (times do); they cannot contain commas or
// ampersands outside an in list, as in the REST API. "" means no filter.
func parseFilter(s string) ([]filterClause, error) {
	if s == "" {
		return nil, nil
	}
	parts, err := splitTopLevel(s)
	if err != nil {
		return nil, err
	}
	clauses := make([]filterClause, 0, len(parts))
	for _, p := range parts {
		field, rest, ok := strings.Cut(p, ":")
		if !ok || field == "" {
			return nil, detailf("The filter expression '%s' is not of the form field:operator:value.", p)
		}
		op, value, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, detailf("The filter query is missing a value for key '%s'.", field)
		}
		if !slices.Contains(filterOps, op) {
			return nil, detailf("The filter operator '%s' for key '%s' is not one of %s.", op, field, strings.Join(filterOps, ", "))
		}
		if value == "" {
			return nil, detailf("The filter query is missing a value for key '%s'.", field)
		}
		c := filterClause{field: field, op: op}
		if op == "in" {
			if len(value) < 2 || value[0] != '[' || value[len(value)-1] != ']' {
				return nil, detailf("The value of the in operator for key '%s' must be a list like [a,b].", field)
			}
			for _, v := range strings.Split(value[1:len(value)-1], ",") {
				if v == "" {
					return nil, detailf("The in list for key '%s' has an empty value.", field)
				}
				c.values = append(c.values, v)
			}
		} else {
			if strings.ContainsAny(value, "[]") {
				return nil, detailf("Brackets are only allowed in the value of the in operator (key '%s').", field)
			}
			c.values = []string{value}
		}
		clauses = append(clauses, c)
	}
	return clauses, nil
}

// parseSort parses a sort parameter such as "name:asc,createdAt:desc".
func parseSort(s string) ([]sortClause, error) {
	if s == "" {
		return nil, nil
	}
	var out []sortClause
	for _, p := range strings.Split(s, ",") {
		field, dir, ok := strings.Cut(p, ":")
		if !ok || field == "" {
			return nil, detailf("The sort expression '%s' is not of the form field:asc or field:desc.", p)
		}
		switch dir {
		case "asc":
			out = append(out, sortClause{field: field})
		case "desc":
			out = append(out, sortClause{field: field, desc: true})
		default:
			return nil, detailf("The sort direction '%s' for key '%s' is not asc or desc.", dir, field)
		}
	}
	return out, nil
}

// fieldSelection is a parsed fields parameter: _all_, _default_ and named
// fields ("name", "owner.name").
type fieldSelection struct {
	all, def bool
	names    map[string]bool
}

// defaultFields selects the default fields, for single-item responses.
var defaultFields = fieldSelection{def: true}

// parseFields parses a fields parameter. "" selects the default fields.
func parseFields(s string) (fieldSelection, error) {
	if s == "" {
		return fieldSelection{def: true}, nil
	}
	sel := fieldSelection{names: map[string]bool{}}
	for i, p := range strings.Split(s, ",") {
		switch {
		case p == "_all_":
			sel.all = true
		case p == "_default_" && i > 0:
			// Tableau answers Bad Request unless _default_ comes first
			// (tableau/server-client-python issue #1620).
			return sel, detailf("The fields expression must start with _default_ when it lists it.")
		case p == "_default_":
			sel.def = true
		case p == "" || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, ".."):
			return sel, detailf("The fields expression '%s' is not a field name.", p)
		default:
			sel.names[p] = true
		}
	}
	return sel, nil
}

// check reports a named field that e (a rendered item) does not have.
func (sel fieldSelection) check(e *elem) error {
	for name := range sel.names {
		if !hasField(e, name) {
			return detailf("The fields parameter names '%s', which is not a field of %s.", name, e.name)
		}
	}
	return nil
}

func hasField(e *elem, path string) bool {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		for _, a := range e.attrs {
			if a.name == head {
				return true
			}
		}
	}
	for _, k := range e.kids {
		if k.name == head && (!nested || hasField(k, rest)) {
			return true
		}
	}
	return false
}

// prune returns a copy of e with only the selected attributes and children.
func (sel fieldSelection) prune(e *elem) *elem {
	if sel.all {
		return e
	}
	return sel.pruneAt(e, "", true)
}

func (sel fieldSelection) pruneAt(e *elem, prefix string, defaultScope bool) *elem {
	out := &elem{name: e.name, text: e.text, def: e.def}
	for _, a := range e.attrs {
		if (sel.def && defaultScope && a.def) || sel.names[prefix+a.name] {
			out.attrs = append(out.attrs, a)
		}
	}
	for _, k := range e.kids {
		path := prefix + k.name
		named := sel.names[path]
		wantedBelow := false
		for n := range sel.names {
			if strings.HasPrefix(n, path+".") {
				wantedBelow = true
				break
			}
		}
		switch {
		case named:
			out.kids = append(out.kids, k) // a named child comes whole
		case (sel.def && defaultScope && k.def) || wantedBelow:
			out.kids = append(out.kids, sel.pruneAt(k, path+".", sel.def && defaultScope && k.def))
		}
	}
	return out
}
