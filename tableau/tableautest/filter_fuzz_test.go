package tableautest

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// formatFilter writes clauses back as a filter parameter.
func formatFilter(cs []filterClause) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		v := c.values[0]
		if c.op == "in" {
			v = "[" + strings.Join(c.values, ",") + "]"
		}
		parts[i] = c.field + ":" + c.op + ":" + v
	}
	return strings.Join(parts, ",")
}

func fuzzItems() []projectView {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	return []projectView{
		{project: project{ID: "a", Name: "Finance", Created: t0, Updated: t0}, ownerName: "admin"},
		{project: project{ID: "b", Name: "finance*", ParentID: "a", Created: t0.Add(time.Hour), Updated: t0}, ownerName: "Bob"},
		{project: project{ID: "c", Name: "", Created: t0, Updated: t0.Add(-time.Hour)}},
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"", "name:eq:Finance", "name:in:[a,b,c]", "createdAt:gt:2016-05-04T21:24:49Z",
		"name:has:fin,topLevelProject:eq:true", "name:eq:*fin*", "name:cieq:FINANCE",
		"name:in:[a,[b]]", "name:in:[", "a:b", "::", ",", "name:eq:a:b:c", "name:in:[]",
		"parentProjectId:eq:a,ownerName:lte:z,updatedAt:lt:2030-01-01T00:00:00Z",
	} {
		f.Add(s)
	}
	items := fuzzItems()
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := parseFilter(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		for _, c := range cs {
			if c.field == "" || !slices.Contains(filterOps, c.op) || len(c.values) == 0 {
				t.Fatalf("parseFilter(%q) gave an invalid clause %+v", s, c)
			}
			for _, v := range c.values {
				if v == "" {
					t.Fatalf("parseFilter(%q) gave an empty value in %+v", s, c)
				}
			}
			if c.op != "in" && len(c.values) != 1 {
				t.Fatalf("parseFilter(%q): %s has %d values", s, c.op, len(c.values))
			}
		}
		if s != "" {
			again, err := parseFilter(formatFilter(cs))
			if err != nil || !reflect.DeepEqual(again, cs) {
				t.Fatalf("round trip of %q: %+v, %v; want %+v", s, again, err, cs)
			}
		}
		// Applying any parsed filter is an answer or a 400, never a panic.
		_, p, aerr := apply(&projectsSchema, listQuery{pageNumber: 1, pageSize: 2, filters: cs}, items)
		if aerr != nil && aerr.status != 400 {
			t.Fatalf("apply(%q): status %d", s, aerr.status)
		}
		if aerr == nil && (p.Total < 0 || p.Total > len(items)) {
			t.Fatalf("apply(%q): total %d", s, p.Total)
		}
	})
}

func FuzzParseSortAndFields(f *testing.F) {
	for _, s := range []string{"", "name:asc", "name:desc,createdAt:asc", "name", ":asc", "a:b:c", "_all_", "_default_,owner.name", "owner..name", "."} {
		f.Add(s)
	}
	items := fuzzItems()
	f.Fuzz(func(t *testing.T, s string) {
		if ss, err := parseSort(s); err == nil {
			for _, c := range ss {
				if c.field == "" || strings.Contains(c.field, ",") {
					t.Fatalf("parseSort(%q) gave %+v", s, c)
				}
			}
			_, _, aerr := apply(&projectsSchema, listQuery{pageNumber: 1, pageSize: 10, sorts: ss}, items)
			if aerr != nil && aerr.status != 400 {
				t.Fatalf("apply sort %q: %d", s, aerr.status)
			}
		}
		if sel, err := parseFields(s); err == nil {
			e := projectElem(items[1])
			if sel.check(e) == nil {
				pruned := sel.prune(e)
				if len(pruned.attrs) > len(e.attrs) {
					t.Fatalf("prune(%q) added attributes", s)
				}
			}
		}
		// The whole query string parser never panics either.
		q, _ := url.ParseQuery("filter=" + url.QueryEscape(s) + "&sort=" + url.QueryEscape(s) + "&fields=" + url.QueryEscape(s) + "&pageSize=" + url.QueryEscape(s))
		parseListQuery(q) //nolint:errcheck // only panics matter here
	})
}
