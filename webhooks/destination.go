package webhooks

import (
	"errors"
	"fmt"
	"net"
	"net/url"
)

// ErrBadDestination: a webhook destination URL Tableau would refuse or
// should not be given.
var ErrBadDestination = errors.New("webhooks: bad destination URL")

// CheckDestination validates a webhook destination URL before it is sent to
// Tableau: it must be absolute, use https (Tableau requires it; plain http
// is allowed to loopback addresses only, for the emulator), name a host,
// carry no user name or password, and have no fragment. Errors wrap
// [ErrBadDestination] and never repeat the URL, which may hold a token.
func CheckDestination(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: not a URL", ErrBadDestination)
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("%w: not an absolute URL with a host", ErrBadDestination)
	}
	if u.User != nil {
		return fmt.Errorf("%w: user information is not allowed (put a token in the path or query)", ErrBadDestination)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%w: a fragment is not sent to the server", ErrBadDestination)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if host := u.Hostname(); host == "localhost" || isLoopback(host) {
			return nil
		}
		return fmt.Errorf("%w: Tableau requires https (http only to loopback addresses, for the emulator)", ErrBadDestination)
	default:
		return fmt.Errorf("%w: scheme %q is not https", ErrBadDestination, u.Scheme)
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DestinationURL returns base with the token added as the "token" query
// parameter (what the default [Options.TokenFrom] reads), after checking it
// with [CheckDestination].
func DestinationURL(base, token string) (string, error) {
	if err := CheckDestination(base); err != nil {
		return "", err
	}
	if token == "" {
		return "", fmt.Errorf("%w: empty token", ErrBadDestination)
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
