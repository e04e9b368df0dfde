package tableau

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestSignInEveryCredentialKind(t *testing.T) {
	f := newFake(t)
	ctx := context.Background()
	for name, creds := range map[string]Credentials{
		"pat":      PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret},
		"password": Password{Username: fakeUser, Password: fakePassword},
		"app": ConnectedApp{ClientID: fakeClientID, SecretID: fakeSecretID, SecretValue: fakeSecretValue,
			Username: fakeUser, Scopes: []string{"tableau:content:read"}},
	} {
		t.Run(name, func(t *testing.T) {
			s, _ := newTestSession(t, f, func(c *Config) { c.Credentials = creds; c.Site = "finance" })
			if err := s.SignIn(ctx); err != nil {
				t.Fatal(err)
			}
			st := s.State()
			if !st.SignedIn || st.SiteID != fakeSiteID || st.SiteContentURL != "finance" || st.UserID != fakeUserID || st.APIVersion != "3.24" {
				t.Fatalf("state = %+v", st)
			}
			if st.Expires.IsZero() || time.Until(st.Expires) > time.Hour || time.Until(st.Expires) < 59*time.Minute {
				t.Fatalf("expires = %v, want about an hour from now", st.Expires)
			}
			if got := f.lastHeaders.Get("User-Agent"); got != UserAgent {
				t.Fatalf("User-Agent = %q", got)
			}
			if err := s.SignOut(ctx); err != nil {
				t.Fatal(err)
			}
			if s.State().SignedIn {
				t.Fatal("still signed in after SignOut")
			}
		})
	}
}

func TestSignInGivenJWT(t *testing.T) {
	f := newFake(t)
	app := ConnectedApp{ClientID: fakeClientID, SecretID: fakeSecretID, SecretValue: fakeSecretValue, Username: fakeUser, Scopes: []string{"tableau:content:read"}}
	tok, err := app.Token(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestSession(t, f, func(c *Config) { c.Credentials = JWT{Token: tok} })
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.lastSignIn.Credentials.JWT != tok {
		t.Fatal("the given JWT was not sent")
	}
}

func TestConnectedAppTokenClaims(t *testing.T) {
	app := ConnectedApp{ClientID: fakeClientID, SecretID: fakeSecretID, SecretValue: fakeSecretValue,
		Username: "ann@example.com", Scopes: []string{"tableau:content:read", "tableau:projects:create"}}
	now := time.Now()
	raw, err := app.Token(now)
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(fakeSecretValue), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header["kid"] != fakeSecretID || tok.Header["iss"] != fakeClientID || tok.Header["alg"] != "HS256" {
		t.Fatalf("header = %v", tok.Header)
	}
	if claims["iss"] != fakeClientID || claims["sub"] != "ann@example.com" || claims["aud"] != "tableau" {
		t.Fatalf("claims = %v", claims)
	}
	if exp, _ := claims.GetExpirationTime(); exp == nil || exp.Unix() != now.Add(5*time.Minute).Unix() {
		t.Fatalf("exp = %v", exp)
	}
	if scp, _ := claims["scp"].([]any); len(scp) != 2 || scp[1] != "tableau:projects:create" {
		t.Fatalf("scp = %v", claims["scp"])
	}
	raw2, _ := app.Token(now)
	c2 := jwt.MapClaims{}
	_, _ = jwt.ParseWithClaims(raw2, c2, func(*jwt.Token) (any, error) { return []byte(fakeSecretValue), nil })
	if c2["jti"] == claims["jti"] || claims["jti"] == "" {
		t.Fatal("jti must be unique per token")
	}
	for _, bad := range []ConnectedApp{
		{SecretID: "s", SecretValue: "v", Username: "u", Scopes: []string{"x"}},
		{ClientID: "c", SecretID: "s", SecretValue: "v", Username: "u"},
		{ClientID: "c", SecretID: "s", SecretValue: "v", Username: "u", Scopes: []string{"x"}, Lifetime: time.Hour},
	} {
		if _, err := bad.Token(now); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%v: err = %v, want ErrInvalidArgument", bad, err)
		}
	}
}

func TestSignInBadCredentials(t *testing.T) {
	f := newFake(t)
	s, _ := newTestSession(t, f, func(c *Config) { c.Credentials = Password{Username: fakeUser, Password: "wrong-pw-SECRET"} })
	err := s.SignIn(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeSignInFailed || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want a 401001 *Error", err)
	}
	if e.Method != "POST" || !strings.HasSuffix(e.URL, "/api/3.24/auth/signin") || e.Summary != "Signin Error" {
		t.Fatalf("error fields = %+v", e)
	}
	if f.signInCount() != 0 {
		t.Fatal("sign-in counted")
	}
}

func TestImpersonation(t *testing.T) {
	f := newFake(t)
	s, _ := newTestSession(t, f, func(c *Config) { c.ImpersonateUserID = "other-user-luid" })
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if u := f.lastSignIn.Credentials.User; u == nil || u.ID != "other-user-luid" {
		t.Fatalf("impersonation not sent: %+v", u)
	}
	if s.UserID() != "other-user-luid" {
		t.Fatalf("UserID = %q", s.UserID())
	}
}

func TestDefaultSiteSendsEmptyContentURL(t *testing.T) {
	f := newFake(t)
	s, _ := newTestSession(t, f, nil)
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if cu := f.lastSignIn.Credentials.Site.ContentURL; cu == nil || *cu != "" {
		t.Fatalf("contentUrl = %v, want present and empty", cu)
	}
}

func TestServerInfoWithoutAuthAndVersions(t *testing.T) {
	f := newFake(t)
	f.version = "3.21"
	s, _ := newTestSession(t, f, nil)
	info, err := s.ServerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.ProductVersion != "2024.2.0" || info.Build != "20242.24.0711.1636" || info.RESTAPIVersion != "3.21" {
		t.Fatalf("info = %+v", info)
	}
	if s.APIVersion() != "3.21" {
		t.Fatalf("version in use = %q, want the server's newest", s.APIVersion())
	}
	// Pinned: the session keeps its version.
	p, _ := newTestSession(t, f, func(c *Config) { c.APIVersion = "3.9" })
	if err := p.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p.APIVersion() != "3.9" {
		t.Fatalf("pinned version = %q", p.APIVersion())
	}
}

func TestRequireVersion(t *testing.T) {
	f := newFake(t)
	var requests int
	f.mux.HandleFunc("GET /api/{v}/sites/{site}/things", func(w http.ResponseWriter, r *http.Request) {
		requests++
		writeXML(w, 200, "")
	})
	s, _ := newTestSession(t, f, func(c *Config) { c.APIVersion = "3.9" })
	// A pinned version is known before sign-in.
	if err := s.RequireVersion("rest.Things.List", "3.10"); !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("before sign-in: err = %v", err)
	}
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := s.RequireVersion("rest.Things.List", "3.10")
	var ve *VersionError
	if !errors.As(err, &ve) || !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"rest.Things.List", "3.10", "3.9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if err := s.RequireVersion("rest.Things.List", "3.9"); err != nil {
		t.Fatal(err)
	}
	if err := s.RequireVersion("rest.Things.List", "2.8"); err != nil {
		t.Fatal(err)
	}
	if requests != 0 {
		t.Fatal("RequireVersion sent a request")
	}
	u, _ := newTestSession(t, f, nil)
	if err := u.RequireVersion("x", "3.1"); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("unknown version: err = %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"3.9", "3.24", -1}, {"3.24", "3.9", 1}, {"3.24", "3.24", 0}, {"2.8", "3.0", -1}, {"10.0", "9.99", 1}} {
		got, err := CompareVersions(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("CompareVersions(%s, %s) = %d, %v; want %d", c.a, c.b, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "3", "3.x", "a.1", "3.1.2", "-1.0"} {
		if _, err := CompareVersions(bad, "3.0"); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("CompareVersions(%q) err = %v", bad, err)
		}
	}
}

func TestSwitchSite(t *testing.T) {
	f := newFake(t)
	s, _ := newTestSession(t, f, nil)
	ctx := context.Background()
	if err := s.SwitchSite(ctx, "sales"); !errors.Is(err, ErrNotSignedIn) {
		t.Fatalf("before sign-in: %v", err)
	}
	if err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.SwitchSite(ctx, "sales"); err != nil {
		t.Fatal(err)
	}
	st := s.State()
	if st.SiteID != "site-sales" || st.SiteContentURL != "sales" || !st.SignedIn {
		t.Fatalf("state after switch = %+v", st)
	}
	// A re-sign-in after expiry goes to the new site.
	f.expireAll()
	f.mux.HandleFunc("GET /api/{v}/sites/{site}/ping", func(w http.ResponseWriter, r *http.Request) {
		if f.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	path, _ := s.SitePath("ping")
	if err := s.Get(ctx, path, nil, nil); err != nil {
		t.Fatal(err)
	}
	if cu := f.lastSignIn.Credentials.Site.ContentURL; cu == nil || *cu != "sales" {
		t.Fatalf("re-sign-in went to site %v", cu)
	}
}

func TestNewSessionValidates(t *testing.T) {
	pat := PersonalAccessToken{Name: "n", Secret: "s"}
	for _, cfg := range []Config{
		{Server: "", Credentials: pat},
		{Server: "tableau.example.com", Credentials: pat},
		{Server: "ftp://tableau.example.com", Credentials: pat},
		{Server: "https://", Credentials: pat},
		{Server: "https://u:p@tableau.example.com", Credentials: pat},
		{Server: "https://tableau.example.com?x=1", Credentials: pat},
		{Server: "https://tableau.example.com"},
		{Server: "https://tableau.example.com", Credentials: pat, APIVersion: "three"},
	} {
		if _, err := NewSession(cfg); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewSession(%+v) err = %v, want ErrInvalidArgument", cfg, err)
		}
	}
	s, err := NewSession(Config{Server: "https://tableau.example.com/", Credentials: pat})
	if err != nil || s.Server() != "https://tableau.example.com" {
		t.Fatalf("server = %q, %v", s.Server(), err)
	}
}

func TestNotSignedIn(t *testing.T) {
	f := newFake(t)
	s, _ := newTestSession(t, f, nil)
	if _, err := s.SitePath("projects"); !errors.Is(err, ErrNotSignedIn) {
		t.Fatal(err)
	}
	if err := s.Get(context.Background(), "sites/x/projects", nil, nil); !errors.Is(err, ErrNotSignedIn) {
		t.Fatal(err)
	}
	if err := s.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
}
