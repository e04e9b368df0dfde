package tableau

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Config configures a [Session]. Server and Credentials are required.
type Config struct {
	// Server is the server's base URL, for example
	// "https://tableau.example.com" or "https://prod-useast-a.online.tableau.com".
	Server string
	// Site is the content URL of the site to sign in to. Default: "" (the Default site).
	Site string
	// Credentials to sign in with.
	Credentials Credentials
	// ImpersonateUserID, if set, signs in as that user (the credentials must
	// be a server administrator's). Default: "" (no impersonation).
	ImpersonateUserID string
	// APIVersion pins the REST API version, for example "3.24".
	// Default: "" (the newest version the server reports in Server Info).
	APIVersion string
	// HTTPClient sends the requests. The session uses its Transport, Jar and
	// Timeout and follows redirects itself. Default: a pooled client from
	// go-cleanhttp.
	HTTPClient *http.Client
	// Logger, if set, receives one Debug record per HTTP attempt and Info or
	// Warn records for retries, sign-ins and redirects, always without
	// secrets. Default: nil (no logging).
	Logger *slog.Logger
	// Retry says how requests are retried. Default: see [RetryPolicy].
	Retry RetryPolicy
}

// Session is a signed-in connection to a Tableau Server or Tableau Cloud
// site. It keeps the credentials token, site id, site content URL, user id
// and the token's expiry, renews the token once when the server says it
// expired, and is safe for concurrent use by many goroutines.
type Session struct {
	creds       Credentials
	impersonate string
	pinned      string
	http        *http.Client
	log         *slog.Logger
	retry       RetryPolicy
	now         func() time.Time
	secrets     []string

	mu         sync.RWMutex
	base       *url.URL // scheme, host and path prefix of the server
	version    string   // REST API version in use
	site       string   // content URL to sign in to
	token      string
	siteID     string
	userID     string
	expires    time.Time
	serverInfo *ServerInfo
	renewing   *renewal
	minted     []string // recent JWTs minted by a ConnectedApp
	// pausedUntil holds new requests back after a 429 with Retry-After.
	pausedUntil time.Time
}

// State is a snapshot of a session's sign-in state, without the token.
type State struct {
	Server         string    // the server's base URL (a Cloud pod after a redirect)
	APIVersion     string    // the REST API version in use
	SiteID         string    // the signed-in site's id
	SiteContentURL string    // the signed-in site's content URL ("" = Default)
	UserID         string    // the signed-in user's id
	SignedIn       bool      // whether the session holds a token
	Expires        time.Time // when the token expires; zero if the server did not say
}

// NewSession checks cfg and returns a session that is not signed in yet.
// It does no I/O.
func NewSession(cfg Config) (*Session, error) {
	base, err := parseServer(cfg.Server)
	if err != nil {
		return nil, err
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("%w: Config.Credentials is nil", ErrInvalidArgument)
	}
	if cfg.APIVersion != "" {
		if _, _, err := parseVersion(cfg.APIVersion); err != nil {
			return nil, err
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = cleanhttp.DefaultPooledClient()
	}
	// The session follows redirects itself (see redirectTarget), so it owns a
	// copy of the client whose CheckRedirect never follows.
	own := *hc
	own.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	retry := cfg.Retry.withDefaults()
	s := &Session{
		creds:       cfg.Credentials,
		impersonate: cfg.ImpersonateUserID,
		pinned:      cfg.APIVersion,
		http:        &own,
		log:         cfg.Logger,
		retry:       retry,
		now:         retry.Now,
		secrets:     nonEmpty(cfg.Credentials.secretValues()),
		base:        base,
		version:     cfg.APIVersion,
		site:        cfg.Site,
	}
	return s, nil
}

// parseServer checks a server base URL.
func parseServer(server string) (*url.URL, error) {
	if strings.TrimSpace(server) == "" {
		return nil, fmt.Errorf("%w: Config.Server is empty", ErrInvalidArgument)
	}
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		// url.Parse quotes the input, which may hold user information.
		return nil, fmt.Errorf("%w: server URL is malformed", ErrInvalidArgument)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: server URL must not hold user information; use Config.Credentials", ErrInvalidArgument)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: server URL %q must start with https:// or http://", ErrInvalidArgument, server)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: server URL %q has no host", ErrInvalidArgument, server)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: server URL %s must not have a query or fragment", ErrInvalidArgument, redactURL(u))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// State returns a snapshot of the session's sign-in state.
func (s *Session) State() State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return State{
		Server:         s.base.String(),
		APIVersion:     s.version,
		SiteID:         s.siteID,
		SiteContentURL: s.site,
		UserID:         s.userID,
		SignedIn:       s.token != "",
		Expires:        s.expires,
	}
}

// APIVersion returns the REST API version in use: the pinned one, or after
// SignIn or ServerInfo the server's newest. "" before it is known.
func (s *Session) APIVersion() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// SiteID returns the signed-in site's id, or "" before SignIn.
func (s *Session) SiteID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.siteID
}

// UserID returns the signed-in user's id, or "" before SignIn.
func (s *Session) UserID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.userID
}

// Server returns the server's base URL, which changes when Tableau Cloud
// redirects the sign-in to another pod.
func (s *Session) Server() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.base.String()
}

// Logger returns the session's logger, or nil.
func (s *Session) Logger() *slog.Logger { return s.log }

// currentToken returns the token, or "" if not signed in.
func (s *Session) currentToken() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.token
}

// renewal is one re-sign-in in flight; other callers wait for it.
type renewal struct {
	done chan struct{}
	err  error
}

// renew signs in again because the server rejected stale as expired. Many
// callers may arrive with the same stale token; only one signs in, the
// others wait for it. It returns at once if the token has already changed.
func (s *Session) renew(ctx context.Context, stale string) error {
	for {
		s.mu.Lock()
		if s.token != stale {
			s.mu.Unlock()
			return nil
		}
		if r := s.renewing; r != nil {
			s.mu.Unlock()
			select {
			case <-r.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if r.err != nil {
				// The leader's own context ended: try again as leader if ours did not.
				if (errors.Is(r.err, context.Canceled) || errors.Is(r.err, context.DeadlineExceeded)) && ctx.Err() == nil {
					continue
				}
				return r.err
			}
			continue
		}
		r := &renewal{done: make(chan struct{})}
		s.renewing = r
		s.mu.Unlock()

		s.logInfo(ctx, "tableau: session expired, signing in again")
		r.err = s.SignIn(ctx)

		s.mu.Lock()
		s.renewing = nil
		s.mu.Unlock()
		close(r.done)
		return r.err
	}
}

func (s *Session) logInfo(ctx context.Context, msg string, args ...any) {
	if s.log != nil {
		s.log.InfoContext(ctx, msg, args...)
	}
}

// String describes the session without its token or credentials' secrets.
func (s *Session) String() string {
	st := s.State()
	return fmt.Sprintf("tableau.Session{Server: %s, Site: %q, APIVersion: %s, SignedIn: %t, Credentials: %s}",
		st.Server, st.SiteContentURL, st.APIVersion, st.SignedIn, s.creds.kind())
}

// GoString is like String, so %#v does not print secrets.
func (s *Session) GoString() string { return s.String() }

// LogValue implements slog.LogValuer without secrets.
func (s *Session) LogValue() slog.Value {
	st := s.State()
	return slog.GroupValue(slog.String("server", st.Server), slog.String("site", st.SiteContentURL),
		slog.String("api_version", st.APIVersion), slog.Bool("signed_in", st.SignedIn))
}
