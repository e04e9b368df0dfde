package tableautest

import (
	"reflect"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	got, err := parseFilter("name:in:[a,b c],createdAt:gte:2016-05-04T21:24:49Z,tags:has:x")
	if err != nil {
		t.Fatal(err)
	}
	want := []filterClause{
		{field: "name", op: "in", values: []string{"a", "b c"}},
		{field: "createdAt", op: "gte", values: []string{"2016-05-04T21:24:49Z"}},
		{field: "tags", op: "has", values: []string{"x"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	for _, bad := range []string{"name", "name:eq", "name:eq:", "name:like:x", "name:in:x", "name:in:[a", "name:in:[[a]]", "name:eq:a]", ":eq:x", "name:in:[a,]"} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("parseFilter(%q) accepted", bad)
		}
	}
}

func TestWildcardMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, have string
		want          bool
	}{
		{"abc", "abc", true}, {"abc", "abcd", false}, {"ab*", "abcd", true}, {"*cd", "abcd", true},
		{"*bc*", "abcd", true}, {"a*d", "abcd", true}, {"a*c*d", "abcd", true}, {"a*x*d", "abcd", false},
		{"*", "", true}, {"ab*ab", "ab", false}, {"a**d", "ad", true},
	} {
		if got := wildcardMatch(tc.pattern, tc.have); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tc.pattern, tc.have, got)
		}
	}
}

func TestFormatDurationHMS(t *testing.T) {
	for d, want := range map[int64]string{0: "0:00:00", 59: "0:00:59", 3600: "1:00:00", 14400: "4:00:00", 1314243: "365:04:03"} {
		if got := formatDurationHMS(secs(d)); got != want {
			t.Errorf("formatDurationHMS(%ds) = %q, want %q", d, got, want)
		}
	}
}

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

func TestCompareFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"abc", "ABC", 0}, {"abc", "abd", -1}, {"B", "a", 1}, {"ab", "abc", -1}, {"", "", 0},
		{"Émile", "émile", 0}, {"zeta", "Ärger", -1},
	} {
		if got := compareFold(tc.a, tc.b); got != tc.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
