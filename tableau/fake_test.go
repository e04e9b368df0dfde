package tableau

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fake is a small Tableau server on httptest for tests the emulator cannot
// play (wire details, redirects, odd bodies). Secrets are fixed strings the
// tests search for in captured output.
type fake struct {
	srv *httptest.Server
	mux *http.ServeMux
	// intercept, if set, sees every request first and reports whether it answered.
	intercept atomic.Pointer[func(http.ResponseWriter, *http.Request) bool]

	mu          sync.Mutex
	version     string
	tokens      map[string]bool
	seq         int
	signIns     int
	lastSignIn  *signInBody
	lastHeaders http.Header
}

const (
	fakePATName     = "ci-token"
	fakePATSecret   = "pat-SECRET-3f9a1c"
	fakeUser        = "admin"
	fakePassword    = "pw-SECRET-77b2e0"
	fakeClientID    = "client-1234"
	fakeSecretID    = "secret-id-5678"
	fakeSecretValue = "appsecret-SECRET-a1b2c3d4e5f6a7b8c9d0"
	fakeSiteID      = "site-luid-0001"
	fakeUserID      = "user-luid-0001"
)

type signInBody struct {
	XMLName     xml.Name `xml:"tsRequest"`
	Credentials struct {
		Name      string `xml:"name,attr"`
		Password  string `xml:"password,attr"`
		PATName   string `xml:"personalAccessTokenName,attr"`
		PATSecret string `xml:"personalAccessTokenSecret,attr"`
		JWT       string `xml:"jwt,attr"`
		Site      struct {
			ContentURL *string `xml:"contentUrl,attr"`
		} `xml:"site"`
		User *struct {
			ID string `xml:"id,attr"`
		} `xml:"user"`
	} `xml:"credentials"`
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{mux: http.NewServeMux(), version: "3.24", tokens: map[string]bool{}}
	f.mux.HandleFunc("GET /api/{v}/serverinfo", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, fmt.Sprintf(`<serverInfo><productVersion build="20242.24.0711.1636">2024.2.0</productVersion><restApiVersion>%s</restApiVersion></serverInfo>`, f.version))
	})
	f.mux.HandleFunc("POST /api/{v}/auth/signin", f.signIn)
	f.mux.HandleFunc("POST /api/{v}/auth/signout", func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(w, r) {
			return
		}
		f.mu.Lock()
		delete(f.tokens, r.Header.Get("X-Tableau-Auth"))
		f.mu.Unlock()
		w.WriteHeader(204)
	})
	f.mux.HandleFunc("POST /api/{v}/auth/switchSite", func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(w, r) {
			return
		}
		var body struct {
			Site struct {
				ContentURL string `xml:"contentUrl,attr"`
			} `xml:"site"`
		}
		_ = xml.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		delete(f.tokens, r.Header.Get("X-Tableau-Auth"))
		tok := f.newTokenLocked()
		f.mu.Unlock()
		writeXML(w, 200, fmt.Sprintf(`<credentials token=%q><site id="site-%s" contentUrl=%q/><user id=%q/></credentials>`,
			tok, body.Site.ContentURL, body.Site.ContentURL, fakeUserID))
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := f.intercept.Load(); h != nil && (*h)(w, r) {
			return
		}
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) newTokenLocked() string {
	f.seq++
	tok := fmt.Sprintf("session-token-%04d-SECRET", f.seq)
	f.tokens[tok] = true
	return tok
}

func (f *fake) signIn(w http.ResponseWriter, r *http.Request) {
	var body signInBody
	data, _ := io.ReadAll(r.Body)
	if err := xml.Unmarshal(data, &body); err != nil {
		writeError(w, 400, "400000", "Bad Request", "malformed sign-in body")
		return
	}
	c := body.Credentials
	ok := false
	switch {
	case c.PATName != "":
		ok = c.PATName == fakePATName && c.PATSecret == fakePATSecret
	case c.Name != "":
		ok = c.Name == fakeUser && c.Password == fakePassword
	case c.JWT != "":
		tok, err := jwt.Parse(c.JWT, func(tok *jwt.Token) (any, error) {
			if tok.Header["kid"] != fakeSecretID || tok.Header["iss"] != fakeClientID {
				return nil, fmt.Errorf("bad headers")
			}
			return []byte(fakeSecretValue), nil
		}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience("tableau"), jwt.WithIssuer(fakeClientID), jwt.WithExpirationRequired())
		ok = err == nil && tok.Valid
	}
	f.mu.Lock()
	f.lastSignIn = &body
	f.lastHeaders = r.Header.Clone()
	if !ok {
		f.mu.Unlock()
		writeError(w, 401, "401001", "Signin Error", "Error signing in to Tableau Server")
		return
	}
	f.signIns++
	tok := f.newTokenLocked()
	f.mu.Unlock()
	site := ""
	if c.Site.ContentURL != nil {
		site = *c.Site.ContentURL
	}
	user := fakeUserID
	if c.User != nil {
		user = c.User.ID
	}
	writeXML(w, 200, fmt.Sprintf(`<credentials token=%q estimatedTimeToExpiration="1:00:00"><site id=%q contentUrl=%q/><user id=%q/></credentials>`,
		tok, fakeSiteID, site, user))
}

// authorized checks X-Tableau-Auth and answers 401002 if it is not valid.
func (f *fake) authorized(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	ok := f.tokens[r.Header.Get("X-Tableau-Auth")]
	f.mu.Unlock()
	if !ok {
		writeError(w, 401, "401002", "Unauthorized Access", "Invalid authentication credentials were provided.")
	}
	return ok
}

// expireAll invalidates every token.
func (f *fake) expireAll() {
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
}

func (f *fake) signInCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.signIns
}

func writeXML(w http.ResponseWriter, status int, inner string) {
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api">%s</tsResponse>`, inner)
}

func writeError(w http.ResponseWriter, status int, code, summary, detail string) {
	writeXML(w, status, fmt.Sprintf(`<error code=%q><summary>%s</summary><detail>%s</detail></error>`, code, summary, detail))
}

// sleeper records the waits the transport asks for instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestSession returns a PAT session on f that records its waits.
func newTestSession(t *testing.T, f *fake, mod func(*Config)) (*Session, *sleeper) {
	t.Helper()
	sl := &sleeper{}
	cfg := Config{
		Server:      f.srv.URL,
		Credentials: PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret},
		Retry:       RetryPolicy{Sleep: sl.sleep},
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, sl
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

var timeZero = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
