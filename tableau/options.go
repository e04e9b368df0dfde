package tableau

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Operator is a filter operator of the REST API.
type Operator string

// The REST API's filter operators.
const (
	OpEq   Operator = "eq"   // equal (supports * wildcards on strings)
	OpGt   Operator = "gt"   // greater than
	OpGte  Operator = "gte"  // greater than or equal
	OpLt   Operator = "lt"   // less than
	OpLte  Operator = "lte"  // less than or equal
	OpIn   Operator = "in"   // any of a list
	OpHas  Operator = "has"  // contains (tags, for example)
	OpCIEq Operator = "cieq" // equal, ignoring case
)

// Filter is one field:operator:value expression of a list request's filter
// parameter. Build them with [Eq], [Gt], [Gte], [Lt], [Lte], [In], [Has] and
// [CIEq]. The REST API cannot escape "," and "&" in values (nor "[" and "]"
// in an in list): such values are refused before any request; use "*"
// (a wildcard with eq) in their place.
type Filter struct {
	Field  string
	Op     Operator
	Values []string // one value, or several for OpIn
}

// Eq filters field == value.
func Eq(field, value string) Filter { return Filter{field, OpEq, []string{value}} }

// Gt filters field > value.
func Gt(field, value string) Filter { return Filter{field, OpGt, []string{value}} }

// Gte filters field >= value.
func Gte(field, value string) Filter { return Filter{field, OpGte, []string{value}} }

// Lt filters field < value.
func Lt(field, value string) Filter { return Filter{field, OpLt, []string{value}} }

// Lte filters field <= value.
func Lte(field, value string) Filter { return Filter{field, OpLte, []string{value}} }

// In filters field in [values...].
func In(field string, values ...string) Filter { return Filter{field, OpIn, values} }

// Has filters field has value.
func Has(field, value string) Filter { return Filter{field, OpHas, []string{value}} }

// CIEq filters field == value ignoring case.
func CIEq(field, value string) Filter { return Filter{field, OpCIEq, []string{value}} }

// Time formats t as the REST API's filter and sort values want it
// (UTC, RFC 3339 to the second: "2016-05-04T21:24:49Z").
func Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// String returns the expression, for example "name:eq:Finance" or
// "tags:in:[a,b]", without URL escaping.
func (f Filter) String() string {
	if f.Op == OpIn {
		return f.Field + ":" + string(f.Op) + ":[" + strings.Join(f.Values, ",") + "]"
	}
	return f.Field + ":" + string(f.Op) + ":" + strings.Join(f.Values, ",")
}

func (f Filter) validate() error {
	if err := validField(f.Field); err != nil {
		return fmt.Errorf("%w: filter: %v", ErrInvalidArgument, err)
	}
	switch f.Op {
	case OpEq, OpGt, OpGte, OpLt, OpLte, OpHas, OpCIEq:
		if len(f.Values) != 1 {
			return fmt.Errorf("%w: filter on %s with %s needs exactly one value, got %d", ErrInvalidArgument, f.Field, f.Op, len(f.Values))
		}
	case OpIn:
		if len(f.Values) == 0 {
			return fmt.Errorf("%w: filter on %s with in needs at least one value", ErrInvalidArgument, f.Field)
		}
	default:
		return fmt.Errorf("%w: filter on %s: unknown operator %q (want eq, gt, gte, lt, lte, in, has or cieq)", ErrInvalidArgument, f.Field, f.Op)
	}
	reserved := ",&"
	if f.Op == OpIn {
		reserved = ",&[]"
	}
	for _, v := range f.Values {
		if v == "" {
			return fmt.Errorf("%w: filter on %s with %s has an empty value", ErrInvalidArgument, f.Field, f.Op)
		}
		if i := strings.IndexAny(v, reserved); i >= 0 {
			return fmt.Errorf("%w: filter on %s: value %q contains %q, which the REST API cannot escape; use the wildcard * in its place (with eq)",
				ErrInvalidArgument, f.Field, v, v[i:i+1])
		}
	}
	return nil
}

// validField checks a field name (letters, digits, "_" and ".").
func validField(name string) error {
	if name == "" {
		return fmt.Errorf("empty field name")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return fmt.Errorf("field name %q contains %q", name, r)
		}
	}
	return nil
}

// Sort is one field:asc or field:desc expression.
type Sort struct {
	Field string
	Desc  bool
}

// Asc sorts by field, ascending.
func Asc(field string) Sort { return Sort{Field: field} }

// Desc sorts by field, descending.
func Desc(field string) Sort { return Sort{Field: field, Desc: true} }

// String returns "field:asc" or "field:desc".
func (s Sort) String() string {
	if s.Desc {
		return s.Field + ":desc"
	}
	return s.Field + ":asc"
}

// Field list keywords for [ListOptions].Fields.
const (
	FieldsAll     = "_all_"     // every field
	FieldsDefault = "_default_" // the default fields; add others after it
)

// Page sizes of the REST API.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// ListOptions are the options of a list request. A nil *ListOptions uses
// every default. The pager copies them; it never changes the caller's.
type ListOptions struct {
	// Filters are ANDed. Default: none.
	Filters []Filter
	// Sorts apply in order. Default: the server's order.
	Sorts []Sort
	// Fields selects the fields returned: [FieldsAll], [FieldsDefault],
	// field names, or FieldsDefault followed by extra names.
	// Default: none (the server's default fields).
	Fields []string
	// PageSize is the number of items per page, 1 to 1000. Default: 100.
	PageSize int
	// Parallel is how many pages [Pager.All] fetches at once after the
	// first; items are still yielded in order. Default: 1 (one at a time).
	Parallel int
}

// Query validates o and returns its query parameters (without page
// number and size, which the pager adds). A nil o gives no parameters.
func (o *ListOptions) Query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	if o.PageSize < 0 || o.PageSize > MaxPageSize {
		return nil, fmt.Errorf("%w: page size %d is outside 1..%d", ErrInvalidArgument, o.PageSize, MaxPageSize)
	}
	if o.Parallel < 0 {
		return nil, fmt.Errorf("%w: Parallel %d is negative", ErrInvalidArgument, o.Parallel)
	}
	if len(o.Filters) > 0 {
		parts := make([]string, len(o.Filters))
		for i, f := range o.Filters {
			if err := f.validate(); err != nil {
				return nil, err
			}
			parts[i] = f.String()
		}
		q.Set("filter", strings.Join(parts, ","))
	}
	if len(o.Sorts) > 0 {
		parts := make([]string, len(o.Sorts))
		for i, s := range o.Sorts {
			if err := validField(s.Field); err != nil {
				return nil, fmt.Errorf("%w: sort: %v", ErrInvalidArgument, err)
			}
			parts[i] = s.String()
		}
		q.Set("sort", strings.Join(parts, ","))
	}
	if len(o.Fields) > 0 {
		for i, f := range o.Fields {
			switch f {
			case FieldsAll:
				if len(o.Fields) > 1 {
					return nil, fmt.Errorf("%w: fields: %s cannot be combined with other fields", ErrInvalidArgument, FieldsAll)
				}
			case FieldsDefault:
				if i != 0 {
					return nil, fmt.Errorf("%w: fields: %s must come first", ErrInvalidArgument, FieldsDefault)
				}
			default:
				if err := validField(f); err != nil {
					return nil, fmt.Errorf("%w: fields: %v", ErrInvalidArgument, err)
				}
			}
		}
		q.Set("fields", strings.Join(o.Fields, ","))
	}
	return q, nil
}

func (o *ListOptions) pageSize() int {
	if o == nil || o.PageSize == 0 {
		return DefaultPageSize
	}
	return o.PageSize
}

func (o *ListOptions) parallel() int {
	if o == nil || o.Parallel < 1 {
		return 1
	}
	return o.Parallel
}

// pageQuery adds pageSize and pageNumber to a copy of q.
func pageQuery(q url.Values, number, size int) url.Values {
	c := make(url.Values, len(q)+2)
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	c.Set("pageSize", strconv.Itoa(size))
	c.Set("pageNumber", strconv.Itoa(number))
	return c
}
