package webhooks

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"
)

// Options configures a [Handler]. The zero value of every field but StorePath
// and Token means its documented default.
type Options struct {
	// StorePath is the bbolt file where accepted events wait for delivery.
	// Required. The file is created if missing; one process at a time may
	// hold it.
	StorePath string

	// Token is the secret that must appear in the request URL (see
	// TokenFrom). It is compared in constant time and never logged.
	// Required unless InsecureNoToken is set.
	Token string
	// InsecureNoToken accepts requests without a token. Default: false.
	InsecureNoToken bool
	// TokenFrom extracts the token from a request.
	// Default: the "token" query parameter.
	TokenFrom func(*http.Request) string

	// AllowedSources, when not empty, limits requests to these source
	// networks (for example Tableau Cloud's published egress ranges).
	// Default: any source.
	AllowedSources []netip.Prefix
	// ClientAddr returns the address a request came from, for
	// AllowedSources. Behind a reverse proxy, read the proxy's header here.
	// Default: the address of r.RemoteAddr.
	ClientAddr func(r *http.Request) (netip.Addr, error)

	// MaxBodyBytes limits the request body; larger bodies get 413.
	// Default: 64 KiB (Tableau's payloads are well under 1 KiB).
	MaxBodyBytes int64

	// Confirmer, when set, is asked whether an event really happened before
	// it is accepted. Default: none.
	Confirmer Confirmer
	// ConfirmTimeout bounds one Confirm call. Default: 10s.
	ConfirmTimeout time.Duration

	// DedupWindow is how long an event id is remembered to drop duplicate
	// deliveries (Tableau sends identical payloads for duplicates). The ids
	// are stored with the events, so the window survives a restart.
	// Default: 24h. Negative: no deduplication.
	DedupWindow time.Duration

	// Workers is how many events are delivered at once. Default: 4.
	Workers int
	// MinBackoff is the delay before the first retry; each further retry
	// doubles it, up to MaxBackoff, with ±20% jitter. Default: 1s.
	MinBackoff time.Duration
	// MaxBackoff caps the delay between retries. Default: 5m.
	MaxBackoff time.Duration
	// MaxAttempts, when positive, gives up on an event for a receiver after
	// that many failed attempts and keeps it as a [DeadLetter]. Default: 0,
	// retry until it succeeds.
	MaxAttempts int
	// DeliveryTimeout bounds one call of a receiver. Default: 30s.
	DeliveryTimeout time.Duration

	// Logger receives one line per rejected request and failed delivery,
	// never secrets. Default: no logging.
	Logger *slog.Logger

	// Now returns the current time (tests set it). Default: time.Now.
	Now func() time.Time
}

// Confirmer checks with Tableau that an event happened, for example by
// fetching the resource through the REST API. Confirm returns nil to accept
// the event, an error wrapping [ErrNotConfirmed] to refuse it (403), and any
// other error when it could not tell (503, so Tableau delivers again).
type Confirmer interface {
	Confirm(ctx context.Context, e *Event) error
}

// ConfirmerFunc adapts a function to [Confirmer].
type ConfirmerFunc func(ctx context.Context, e *Event) error

// Confirm calls f.
func (f ConfirmerFunc) Confirm(ctx context.Context, e *Event) error { return f(ctx, e) }

// withDefaults returns a copy of o with defaults filled in.
func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.TokenFrom == nil {
		c.TokenFrom = func(r *http.Request) string { return r.URL.Query().Get("token") }
	}
	if c.ClientAddr == nil {
		c.ClientAddr = remoteAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 64 << 10
	}
	if c.ConfirmTimeout <= 0 {
		c.ConfirmTimeout = 10 * time.Second
	}
	if c.DedupWindow == 0 {
		c.DedupWindow = 24 * time.Hour
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 5 * time.Minute
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = c.MinBackoff
	}
	if c.DeliveryTimeout <= 0 {
		c.DeliveryTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func remoteAddr(r *http.Request) (netip.Addr, error) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, err2 := netip.ParseAddr(r.RemoteAddr)
		if err2 != nil {
			return netip.Addr{}, err
		}
		return a.Unmap(), nil
	}
	return ap.Addr().Unmap(), nil
}
