package webhooks

import (
	"crypto/rand"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// ParseSources parses a comma-separated list of source addresses and
// networks ("203.0.113.0/24, 198.51.100.7") for [Options.AllowedSources],
// as a command-line flag or an environment variable would give it. A
// single address becomes a network of that one address; networks are
// masked to their prefix. Empty items are skipped; an item that is
// neither an address nor a network is an error that names it.
func ParseSources(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("webhooks: source %q is neither an address nor a network like 203.0.113.0/24", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// MinTokenLength is the shortest token [CheckToken] accepts.
const MinTokenLength = 16

// CheckToken reports whether token is fit for [Options.Token]: at least
// [MinTokenLength] characters, all of them letters, digits or -._~ (so
// that it stands in a webhook's URL as it is). The error does not contain
// the token.
func CheckToken(token string) error {
	if len(token) < MinTokenLength {
		return fmt.Errorf("webhooks: the token is too short (%d characters, want at least %d)", len(token), MinTokenLength)
	}
	if url.QueryEscape(token) != token {
		return fmt.Errorf("webhooks: the token may hold only letters, digits and -._~")
	}
	return nil
}

// NewToken returns a random token for [Options.Token]: 26 characters from
// a cryptographically secure source (128 bits of randomness).
func NewToken() string {
	return rand.Text()
}
