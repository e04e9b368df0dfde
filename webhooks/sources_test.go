package webhooks_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/webhooks"
)

func TestParseSources(t *testing.T) {
	got, err := webhooks.ParseSources(" 203.0.113.9/24, 198.51.100.7,,2001:db8::1 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("198.51.100.7/32"), netip.MustParsePrefix("2001:db8::1/128")}
	if !slices.Equal(got, want) {
		t.Errorf("ParseSources = %v, want %v", got, want)
	}
	if got, err := webhooks.ParseSources(""); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v %v", got, err)
	}
	if _, err := webhooks.ParseSources("10.0.0.0/8, tableau.example.com"); err == nil || !strings.Contains(err.Error(), `"tableau.example.com"`) {
		t.Errorf("a host name: %v", err)
	}
	if _, err := webhooks.ParseSources("10.0.0.0/33"); err == nil {
		t.Error("a prefix longer than the address: no error")
	}
}

func TestCheckTokenAndNewToken(t *testing.T) {
	tok := webhooks.NewToken()
	if err := webhooks.CheckToken(tok); err != nil {
		t.Errorf("NewToken() fails CheckToken: %v", err)
	}
	if webhooks.NewToken() == tok {
		t.Error("two NewToken calls gave the same token")
	}
	for _, bad := range []string{"short-token", "has a space in it, sixteen+", "question?mark&more-than-16"} {
		err := webhooks.CheckToken(bad)
		if err == nil {
			t.Errorf("CheckToken(%q): no error", bad)
		} else if strings.Contains(err.Error(), bad) {
			t.Errorf("the error shows the token: %v", err)
		}
	}
	if err := webhooks.CheckToken("abcdefghij-._~0123"); err != nil {
		t.Errorf("a token of unreserved characters: %v", err)
	}
}
