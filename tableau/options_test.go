package tableau

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestListOptionsQuery(t *testing.T) {
	o := &ListOptions{
		Filters: []Filter{
			Eq("name", "Sales Q1+Q2"), Gt("createdAt", Time(time.Date(2016, 5, 4, 21, 24, 49, 0, time.FixedZone("x", 3600)))),
			Gte("size", "10"), Lt("size", "99"), Lte("size", "98"), In("tags", "a b", "ü", "c%d"), Has("tags", "x"),
			CIEq("ownerName", "ANN"), Eq("name", "Fin*"),
		},
		Sorts:  []Sort{Asc("name"), Desc("createdAt")},
		Fields: []string{FieldsDefault, "owner.name"},
	}
	q, err := o.Query()
	if err != nil {
		t.Fatal(err)
	}
	want := "name:eq:Sales Q1+Q2,createdAt:gt:2016-05-04T20:24:49Z,size:gte:10,size:lt:99,size:lte:98," +
		"tags:in:[a b,ü,c%d],tags:has:x,ownerName:cieq:ANN,name:eq:Fin*"
	if got := q.Get("filter"); got != want {
		t.Fatalf("filter = %q\nwant     %q", got, want)
	}
	if q.Get("sort") != "name:asc,createdAt:desc" || q.Get("fields") != "_default_,owner.name" {
		t.Fatalf("sort/fields = %q %q", q.Get("sort"), q.Get("fields"))
	}
	// On the wire every special character is percent-escaped (space as
	// %20, + as %2B, % as %25) and the server gets the values back intact.
	enc := EncodeQuery(q)
	if strings.Contains(enc, "+") || strings.Contains(enc, " ") {
		t.Fatalf("encoded query %q has a raw + or space", enc)
	}
	for _, frag := range []string{"Sales%20Q1%2BQ2", "c%25d", "%C3%BC", "Fin%2A"} {
		if !strings.Contains(enc, frag) {
			t.Errorf("encoded query lacks %s: %s", frag, enc)
		}
	}
	back, err := url.ParseQuery(enc)
	if err != nil || back.Get("filter") != want {
		t.Fatalf("round trip: %q, %v", back.Get("filter"), err)
	}
	if q2, _ := (*ListOptions)(nil).Query(); len(q2) != 0 {
		t.Fatal("nil options gave parameters")
	}
	if q3, _ := (&ListOptions{Fields: []string{FieldsAll}}).Query(); q3.Get("fields") != "_all_" {
		t.Fatal("_all_")
	}
	if q4, _ := (&ListOptions{Fields: []string{"id", "name"}}).Query(); q4.Get("fields") != "id,name" {
		t.Fatal("field list")
	}
}

func TestListOptionsInvalid(t *testing.T) {
	for name, o := range map[string]ListOptions{
		"comma":            {Filters: []Filter{Eq("name", "a,b")}},
		"ampersand":        {Filters: []Filter{Eq("name", "R&D")}},
		"bracket in list":  {Filters: []Filter{In("name", "a]")}},
		"empty value":      {Filters: []Filter{Eq("name", "")}},
		"empty in":         {Filters: []Filter{In("name")}},
		"two values eq":    {Filters: []Filter{{Field: "name", Op: OpEq, Values: []string{"a", "b"}}}},
		"bad op":           {Filters: []Filter{{Field: "name", Op: "like", Values: []string{"a"}}}},
		"bad field":        {Filters: []Filter{Eq("na:me", "a")}},
		"empty field":      {Filters: []Filter{Eq("", "a")}},
		"bad sort":         {Sorts: []Sort{Asc("name,x")}},
		"_all_ with other": {Fields: []string{FieldsAll, "id"}},
		"_default_ late":   {Fields: []string{"id", FieldsDefault}},
		"bad field name":   {Fields: []string{"id,name"}},
		"page size":        {PageSize: 1001},
		"negative size":    {PageSize: -1},
		"negative par":     {Parallel: -2},
	} {
		if _, err := o.Query(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	_, err := (&ListOptions{Filters: []Filter{Eq("name", "R&D")}}).Query()
	if !strings.Contains(err.Error(), "name") || !strings.Contains(err.Error(), "*") {
		t.Errorf("error does not name the field and the wildcard: %v", err)
	}
}
