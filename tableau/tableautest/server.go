package tableautest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Options configures a Server. A nil *Options uses every default.
type Options struct {
	// APIVersion is the newest REST API version served; requests for a newer
	// version get 404 with code 404003. Default: "3.24".
	APIVersion string
	// ProductVersion is the Tableau Server version reported by serverinfo.
	// Default: "2024.2.0".
	ProductVersion string
	// SessionLifetime is how long a sign-in token stays valid.
	// Default: 240 * time.Minute.
	SessionLifetime time.Duration
	// Latency is added before every response, for benchmarks. Default: 0.
	Latency time.Duration
	// Logger receives one debug line per request (method, path, status;
	// never a token or secret). Default: discard.
	Logger *slog.Logger
	// FireSchedules runs each active server schedule's tasks when its next
	// run time comes, as Tableau's scheduler does ([Server.RunSchedule] at
	// that time), and the tasks that have a schedule of their own
	// (Tableau Cloud's extract refresh and flow tasks) at theirs; tasks
	// that cannot start are logged. The clock is checked every second. Default: false, schedules
	// run only when a test calls RunSchedule.
	FireSchedules bool
}

// Credentials are the ready-made identities of a Server.
type Credentials struct {
	// Username and Password sign in an admin (ServerAdministrator) on every site.
	Username, Password string
	// PATName and PATSecret are a personal access token of that admin.
	PATName, PATSecret string
	// ClientID, SecretID and SecretValue are a connected app (direct trust)
	// whose HS256 JWTs the server verifies.
	ClientID, SecretID, SecretValue string
	// SiteContentURL is the site to sign in to: "" is the Default site.
	SiteContentURL string
}

// Stats are counters for tests.
type Stats struct {
	// Requests counts every HTTP request received, faulted ones included.
	Requests int
	// SignIns counts successful sign-ins (switchSite included).
	SignIns int
	// SignOuts counts sign-outs of known tokens.
	SignOuts int
}

// Server is an in-memory Tableau Server speaking the REST API over HTTP on
// a loopback address. It is safe for concurrent use.
type Server struct {
	opts    Options
	creds   Credentials
	adminID string // the admin's user id on the Default site (ids differ per site)
	store   *store
	faults  *faultCore
	log     *slog.Logger
	handler http.Handler
	mux     *http.ServeMux

	requests, signIns, signOuts atomic.Int64
	// patRevoked is set by Revoke Administrator Personal Access Tokens.
	patRevoked atomic.Bool

	// life ends when the server closes: background work (applying
	// update-data actions in hyperd) stops with it.
	life context.Context
	stop context.CancelFunc
	// started is when the server started (the Eventing API's checkpoint
	// before any content exists).
	started time.Time

	ln  net.Listener
	hs  *http.Server
	url string
}

// NewServer starts a Server on 127.0.0.1 with a free port. It serves until
// Close. The server starts with the Default site (content URL ""), its
// Default project, and the admin of Credentials on every site.
func NewServer(opts *Options) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("tableautest: listen: %w", err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go s.hs.Serve(ln) //nolint:errcheck // returns http.ErrServerClosed on Close
	if s.opts.FireSchedules {
		go s.fireSchedules(time.Second)
	}
	return s, nil
}

// NewTestServer is NewServer for tests: it fails tb on error and closes the
// server when the test ends.
func NewTestServer(tb testing.TB, opts *Options) *Server {
	tb.Helper()
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatalf("tableautest: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func newServer(opts *Options) (*Server, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.APIVersion == "" {
		o.APIVersion = "3.24"
	}
	if _, ok := parseVersion(o.APIVersion); !ok {
		return nil, fmt.Errorf("tableautest: Options.APIVersion %q is not a version like 3.24", o.APIVersion)
	}
	if o.ProductVersion == "" {
		o.ProductVersion = "2024.2.0"
	}
	if o.SessionLifetime == 0 {
		o.SessionLifetime = 240 * time.Minute
	}
	if o.SessionLifetime < 0 || o.Latency < 0 {
		return nil, errors.New("tableautest: Options.SessionLifetime and Options.Latency must not be negative")
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	life, stop := context.WithCancel(context.Background())
	s := &Server{
		started: time.Now().UTC(),
		life:    life,
		stop:    stop,
		opts:    o,
		store:   newStore(),
		faults:  &faultCore{},
		log:     log,
		creds: Credentials{
			Username:    "admin",
			Password:    randomSecret(),
			PATName:     "tableau-go-emulator",
			PATSecret:   randomSecret(),
			ClientID:    newID(),
			SecretID:    newID(),
			SecretValue: randomSecret(),
		},
	}
	site, err := s.addSite(siteSpec{name: "Default", contentURL: ""})
	if err != nil {
		return nil, err
	}
	s.adminID = site.adminID
	s.mux = http.NewServeMux()
	s.routes(&router{s: s, mux: s.mux})
	s.handler = s.middleware(s.mux)
	return s, nil
}

// URL returns the server's base URL, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// Handler returns the server's HTTP handler, to serve it on another
// listener (cmd/tableau-emulator does). It shares the server's state.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server and closes open connections.
func (s *Server) Close() error {
	s.stop()
	if s.hs == nil {
		return nil
	}
	err := s.hs.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Credentials returns the server's admin, personal access token and connected app.
func (s *Server) Credentials() Credentials { return s.creds }

// Stats returns the request, sign-in and sign-out counters.
func (s *Server) Stats() Stats {
	return Stats{
		Requests: int(s.requests.Load()),
		SignIns:  int(s.signIns.Load()),
		SignOuts: int(s.signOuts.Load()),
	}
}

// AddSite adds a site with its Default project and the admin, and returns
// its id. The content URL must be unique ("" is the Default site's).
func (s *Server) AddSite(name, contentURL string) (siteID string, err error) {
	site, err := s.addSite(siteSpec{name: name, contentURL: contentURL})
	if err != nil {
		return "", fmt.Errorf("tableautest: AddSite: %w", err)
	}
	return site.ID, nil
}

// AddUser adds a user (no password) to the site with that content URL and
// returns its id, for impersonation and connected-app (JWT) sign-ins.
// siteRole is a REST API site role such as "Viewer" or "SiteAdministratorCreator".
func (s *Server) AddUser(siteContentURL, name, siteRole string) (userID string, err error) {
	if name == "" {
		return "", errors.New("tableautest: AddUser: empty user name")
	}
	if !validSiteRole(siteRole) {
		return "", fmt.Errorf("tableautest: AddUser: unknown site role %q", siteRole)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	site := s.store.sites.byContentURL(siteContentURL)
	if site == nil {
		return "", fmt.Errorf("tableautest: AddUser: no site with content URL %q", siteContentURL)
	}
	if s.store.users.byName(site.ID, name) != nil {
		return "", fmt.Errorf("tableautest: AddUser: user %q already exists on site %q", name, siteContentURL)
	}
	u := s.store.users.add(site.ID, name, siteRole, s.now())
	return u.ID, nil
}

// ExpireSessions makes every current token answer 401 with code 401002.
func (s *Server) ExpireSessions() {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	now := time.Now()
	for _, sess := range s.store.sessions.byToken {
		if sess.expires.After(now) {
			sess.expires = now
		}
	}
}

func (s *Server) now() time.Time { return time.Now().UTC().Truncate(time.Second) }

// newID returns a random UUID (version 4), the shape of every Tableau id.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomSecret returns 32 random hex characters.
func randomSecret() string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck
	return hex.EncodeToString(b[:])
}

// parseVersion turns "3.24" into a comparable number (3*1000+24).
func parseVersion(v string) (int, bool) {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || major == "" || minor == "" || len(major) > 3 || len(minor) > 3 {
		return 0, false
	}
	n := 0
	for _, part := range []string{major, minor} {
		x := 0
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
			}
			x = x*10 + int(c-'0')
		}
		n = n*1000 + x
	}
	return n, true
}

type ctxKey int

const versionKey ctxKey = iota

// apiVersionOf returns the API version a request is answered in: the one in
// its path when served, else the server's newest.
func apiVersionOf(r *http.Request) string {
	v, _ := r.Context().Value(versionKey).(string)
	return v
}

func withVersion(ctx context.Context, v string) context.Context {
	return context.WithValue(ctx, versionKey, v)
}
