package tableau

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// maxRedirects bounds a redirect chain.
const maxRedirects = 5

// isRedirect reports whether an HTTP status is a redirect the session may follow.
func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// redirectTarget resolves a Location header against from and checks that the
// session may follow it, as Tableau Cloud's sign-in redirect to another pod
// needs: the same scheme, and a host under the same registrable domain
// (prod-useast-a.online.tableau.com from online.tableau.com). A host that is
// an IP address or a single label (localhost) must stay the same; only the
// port may change.
func redirectTarget(from *url.URL, location string) (*url.URL, error) {
	if location == "" {
		return nil, fmt.Errorf("%w: redirect from %s has no Location", ErrRedirect, redactURL(from))
	}
	to, err := from.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("%w: redirect from %s has a malformed Location", ErrRedirect, redactURL(from))
	}
	if to.User != nil {
		return nil, fmt.Errorf("%w: redirect from %s to a URL with user information", ErrRedirect, redactURL(from))
	}
	if !strings.EqualFold(to.Scheme, from.Scheme) {
		return nil, fmt.Errorf("%w: redirect from %s to another scheme (%s)", ErrRedirect, redactURL(from), to.Scheme)
	}
	if !sameSite(from.Hostname(), to.Hostname()) {
		return nil, fmt.Errorf("%w: redirect from %s to unrelated host %s", ErrRedirect, redactURL(from), to.Hostname())
	}
	return to, nil
}

// sameSite reports whether hosts a and b share a registrable domain.
func sameSite(a, b string) bool {
	a = strings.TrimSuffix(strings.ToLower(a), ".")
	b = strings.TrimSuffix(strings.ToLower(b), ".")
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil || !strings.Contains(a, ".") || !strings.Contains(b, ".") {
		return false
	}
	da, err := publicsuffix.EffectiveTLDPlusOne(a)
	if err != nil {
		return false
	}
	db, err := publicsuffix.EffectiveTLDPlusOne(b)
	if err != nil {
		return false
	}
	return da == db
}

// redactURL prints u without user information or query values that could
// hold secrets.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if secretParam(k) {
				q.Set(k, redacted)
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// secretParam reports whether a query parameter name looks like a secret.
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"token", "password", "secret", "jwt", "auth"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
