package tableautest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// projectFixture makes P00..P24 at the top level plus Default, with
// Child under P00, and returns a signed-in client and the projects URL.
func projectFixture(t *testing.T) (*client, string, string) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/projects"
	var p00 string
	for i := range 25 {
		p := c.mustDo("POST", base, fmt.Sprintf(`<tsRequest><project name="P%02d"/></tsRequest>`, i), http.StatusCreated).find("project")
		if i == 0 {
			p00 = p.attr("id")
		}
	}
	c.mustDo("POST", base, `<tsRequest><project name="Child" parentProjectId="`+p00+`"/></tsRequest>`, http.StatusCreated)
	return c, base, p00
}

func names(n *node) []string {
	var out []string
	for _, p := range n.all("projects") {
		out = append(out, p.attr("name"))
	}
	return out
}

func q(base string, kv ...string) string {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return base + "?" + v.Encode()
}

func TestPagination(t *testing.T) {
	c, base, _ := projectFixture(t) // 27 projects
	var all []string
	for page := 1; page <= 3; page++ {
		n := c.mustDo("GET", q(base, "pageSize", "10", "pageNumber", fmt.Sprint(page)), "", http.StatusOK)
		p := n.find("pagination")
		if p.attr("pageNumber") != fmt.Sprint(page) || p.attr("pageSize") != "10" || p.attr("totalAvailable") != "27" {
			t.Fatalf("page %d: pagination %+v", page, p.Attrs)
		}
		all = append(all, names(n)...)
	}
	if len(all) != 27 || all[0] != "Default" || all[26] != "Child" {
		t.Fatalf("walked %d projects: %v", len(all), all)
	}
	// Past the end: an empty page, not an error.
	n := c.mustDo("GET", q(base, "pageSize", "10", "pageNumber", "4"), "", http.StatusOK)
	if len(names(n)) != 0 || n.find("projects") == nil || n.find("pagination").attr("totalAvailable") != "27" {
		t.Fatalf("page past the end: %v", names(n))
	}
	// Default page size is 100, the maximum 1000.
	if p := c.mustDo("GET", base, "", http.StatusOK).find("pagination"); p.attr("pageSize") != "100" || p.attr("pageNumber") != "1" {
		t.Errorf("default pagination %+v", p.Attrs)
	}
	c.mustDo("GET", q(base, "pageSize", "1000"), "", http.StatusOK)
	for _, bad := range []string{"0", "-1", "1001", "ten", "1.5"} {
		c.wantError("GET", q(base, "pageSize", bad), "", http.StatusBadRequest, "400007")
	}
	for _, bad := range []string{"0", "-3", "one"} {
		c.wantError("GET", q(base, "pageNumber", bad), "", http.StatusBadRequest, "400006")
	}
}

func TestFilters(t *testing.T) {
	c, base, p00 := projectFixture(t)
	cases := []struct {
		filter string
		want   int
		first  string
	}{
		{"name:eq:P03", 1, "P03"},
		{"name:eq:p03", 0, ""},
		{"name:cieq:p03", 1, "P03"},
		{"name:in:[P01,P02,Nope]", 2, "P01"},
		{"name:has:p1", 10, "P10"},
		{"name:eq:P1*", 10, "P10"},
		{"name:eq:*4", 3, "P04"},
		{"name:eq:P*4", 3, "P04"},
		{"name:gte:P20", 5, "P20"},
		{"name:lt:P01", 3, "Default"},
		{"name:has:P1,name:lt:P15", 5, "P10"},
		{"topLevelProject:eq:false", 1, "Child"},
		{"parentProjectId:eq:" + p00, 1, "Child"},
		{"createdAt:gte:2000-01-01T00:00:00Z", 27, "Default"},
		{"createdAt:lt:2000-01-01T00:00:00Z", 0, ""},
		{"ownerName:eq:admin", 27, "Default"},
	}
	for _, tc := range cases {
		got := names(c.mustDo("GET", q(base, "filter", tc.filter), "", http.StatusOK))
		if len(got) != tc.want || (tc.want > 0 && got[0] != tc.first) {
			t.Errorf("filter %s: got %v, want %d starting with %q", tc.filter, got, tc.want, tc.first)
		}
	}
	for _, bad := range []string{
		"nosuch:eq:x", "name:like:x", "name:eq:", "name:eq", "name", ":eq:x",
		"topLevelProject:gt:true", "topLevelProject:eq:yes", "createdAt:gt:yesterday",
		"name:in:P01", "name:in:[P01,,P02]", "name:in:[P01", "name:eq:P]01",
	} {
		c.wantError("GET", q(base, "filter", bad), "", http.StatusBadRequest, "400065")
	}
	// Filter and pagination work together: totalAvailable counts the matches.
	n := c.mustDo("GET", q(base, "filter", "name:has:P", "pageSize", "5", "pageNumber", "5"), "", http.StatusOK)
	if got := names(n); len(got) != 5 || got[0] != "P20" || n.find("pagination").attr("totalAvailable") != "25" {
		t.Errorf("filtered page: %v %+v", got, n.find("pagination").Attrs)
	}
}

func TestSort(t *testing.T) {
	c, base, _ := projectFixture(t)
	got := names(c.mustDo("GET", q(base, "sort", "name:desc"), "", http.StatusOK))
	if got[0] != "P24" || got[len(got)-1] != "Child" {
		t.Errorf("name:desc: %v", got)
	}
	got = names(c.mustDo("GET", q(base, "sort", "topLevelProject:asc,name:asc"), "", http.StatusOK))
	if got[0] != "Child" || got[1] != "Default" || got[2] != "P00" {
		t.Errorf("topLevelProject:asc,name:asc: %v", got)
	}
	want := slices.Clone(got[1:])
	if !slices.IsSorted(want) {
		t.Errorf("not sorted by name: %v", want)
	}
	for _, bad := range []string{"name", "name:up", "nosuch:asc", ":asc", "name:asc,"} {
		c.wantError("GET", q(base, "sort", bad), "", http.StatusBadRequest, "400065")
	}
}

func TestFields(t *testing.T) {
	c, base, _ := projectFixture(t)
	one := func(fields string) *node {
		n := c.mustDo("GET", q(base, "fields", fields, "filter", "name:eq:Child"), "", http.StatusOK)
		ps := n.all("projects")
		if len(ps) != 1 {
			t.Fatalf("fields=%s: %d projects", fields, len(ps))
		}
		return &ps[0]
	}
	p := one("name")
	if len(p.Attrs) != 1 || p.attr("name") != "Child" || len(p.Nodes) != 0 {
		t.Errorf("fields=name: %+v %+v", p.Attrs, p.Nodes)
	}
	p = one("id,owner.name")
	if len(p.Attrs) != 1 || !p.has("id") || len(p.Nodes) != 1 || p.Nodes[0].attr("name") != "admin" || p.Nodes[0].has("id") {
		t.Errorf("fields=id,owner.name: %+v %+v", p.Attrs, p.Nodes)
	}
	p = one("_default_")
	if !p.has("parentProjectId") || !p.has("createdAt") || p.find("owner").has("name") {
		t.Errorf("fields=_default_: %+v", p.Attrs)
	}
	p = one("_default_,owner.name")
	if !p.has("createdAt") || !p.find("owner").has("name") || !p.find("owner").has("id") {
		t.Errorf("fields=_default_,owner.name: %+v %+v", p.Attrs, p.Nodes)
	}
	p = one("_all_")
	if !p.has("writeable") || !p.find("owner").has("name") {
		t.Errorf("fields=_all_: %+v %+v", p.Attrs, p.Nodes)
	}
	p = one("owner")
	if len(p.Attrs) != 0 || !p.find("owner").has("name") {
		t.Errorf("fields=owner: %+v %+v", p.Attrs, p.Nodes)
	}
	for _, bad := range []string{"nosuch", "owner.nosuch", "name,,id", ".name", "owner.", "owner.name,_default_"} {
		c.wantError("GET", q(base, "fields", bad), "", http.StatusBadRequest, "400000")
	}
}
