package rest_test

import (
	"net"
	"net/url"
	"testing"

	"github.com/tableau-go/sdk/rest"
)

// FuzzCheckDestination: the check never panics, and what it accepts is an
// absolute https URL with a host, or (when allowed) http to a loopback host.
func FuzzCheckDestination(f *testing.F) {
	for _, s := range []string{"https://hooks.example.com/x", "http://127.0.0.1:9/x", "http://[::1]/", "https://user:pw@h/", "ftp://h", "https://h:99999/", "https://h/#f", "%zz", "http://localhost/"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, loop bool) {
		err := rest.CheckDestination(raw, &rest.DestinationOptions{AllowLoopbackHTTP: loop})
		if err != nil {
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil || u.Host == "" || u.User != nil {
			t.Fatalf("accepted %q", raw)
		}
		switch u.Scheme {
		case "https":
		case "http":
			ip := net.ParseIP(u.Hostname())
			if !loop || (u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback())) {
				t.Fatalf("accepted plain http %q (loopback allowed: %t)", raw, loop)
			}
		default:
			t.Fatalf("accepted scheme %q", u.Scheme)
		}
	})
}
