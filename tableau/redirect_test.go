package tableau

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// hostDialer sends connections for the named hosts to test listeners.
func hostDialer(hosts map[string]string) *http.Client {
	d := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			if to, ok := hosts[host]; ok {
				addr = to
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

func TestCloudPodRedirect(t *testing.T) {
	pod := newFake(t) // the pod that hosts the site
	var frontCalls atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		frontCalls.Add(1)
		if strings.HasSuffix(r.URL.Path, "/auth/signin") {
			http.Redirect(w, r, "http://prod-useast-a.online.tableau.com"+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		pod.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	client := hostDialer(map[string]string{
		"online.tableau.com":               front.Listener.Addr().String(),
		"prod-useast-a.online.tableau.com": pod.srv.Listener.Addr().String(),
	})
	pod.mux.HandleFunc("GET /api/{v}/sites/{site}/ping", func(w http.ResponseWriter, r *http.Request) {
		if pod.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	s, err := NewSession(Config{Server: "http://online.tableau.com", Site: "acme", HTTPClient: client,
		Credentials: PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Server() != "http://prod-useast-a.online.tableau.com" {
		t.Fatalf("server after redirect = %s", s.Server())
	}
	if pod.lastSignIn == nil || pod.lastSignIn.Credentials.PATSecret != fakePATSecret {
		t.Fatal("the pod did not get the sign-in body")
	}
	before := frontCalls.Load()
	path, _ := s.SitePath("ping")
	if err := s.Get(ctx, path, nil, nil); err != nil {
		t.Fatal(err)
	}
	if frontCalls.Load() != before {
		t.Fatal("later requests still went to the first host")
	}
}

func TestRedirectRefused(t *testing.T) {
	var evilCalls atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { evilCalls.Add(1) }))
	t.Cleanup(evil.Close)
	for name, location := range map[string]string{
		"unrelated host":       "http://evil.example.net/api/3.24/auth/signin",
		"lookalike suffix":     "http://online.tableau.com.evil.example.net/api/3.24/auth/signin",
		"other scheme":         "https://prod-useast-a.online.tableau.com/api/3.24/auth/signin",
		"other registrable":    "http://tableau.co/api/3.24/auth/signin",
		"userinfo":             "http://user:pw@prod-useast-a.online.tableau.com/api/3.24/auth/signin",
		"ip from domain":       "http://127.0.0.1/api/3.24/auth/signin",
		"missing location hdr": "",
	} {
		t.Run(name, func(t *testing.T) {
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/2.4/serverinfo" {
					writeXML(w, 200, `<serverInfo><productVersion build="1">2024.2.0</productVersion><restApiVersion>3.24</restApiVersion></serverInfo>`)
					return
				}
				if location != "" {
					w.Header().Set("Location", location)
				}
				w.WriteHeader(http.StatusTemporaryRedirect)
			}))
			t.Cleanup(front.Close)
			client := hostDialer(map[string]string{
				"online.tableau.com":                  front.Listener.Addr().String(),
				"evil.example.net":                    evil.Listener.Addr().String(),
				"online.tableau.com.evil.example.net": evil.Listener.Addr().String(),
				"tableau.co":                          evil.Listener.Addr().String(),
				"prod-useast-a.online.tableau.com":    evil.Listener.Addr().String(),
				"127.0.0.1":                           evil.Listener.Addr().String(),
			})
			s, err := NewSession(Config{Server: "http://online.tableau.com", HTTPClient: client,
				Credentials: PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret}})
			if err != nil {
				t.Fatal(err)
			}
			err = s.SignIn(context.Background())
			if !errors.Is(err, ErrRedirect) {
				t.Fatalf("err = %v, want ErrRedirect", err)
			}
			if strings.Contains(err.Error(), fakePATSecret) {
				t.Fatal("secret in error")
			}
			if evilCalls.Load() != 0 {
				t.Fatal("the session connected to the refused host")
			}
		})
	}
}

func TestRedirectLoop(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	s, _ := NewSession(Config{Server: srv.URL, APIVersion: "3.24", Credentials: PersonalAccessToken{Name: "n", Secret: "s"}})
	if err := s.SignIn(context.Background()); !errors.Is(err, ErrRedirect) {
		t.Fatalf("err = %v", err)
	}
}

func TestSameSite(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"online.tableau.com", "prod-useast-a.online.tableau.com", true},
		{"10ax.online.tableau.com", "prod-uk-a.online.tableau.com", true},
		{"tableau.example.com", "TABLEAU.example.com.", true},
		{"online.tableau.com", "tableau.com.evil.net", false},
		{"a.github.io", "b.github.io", false}, // public suffix: different registrable domains
		{"127.0.0.1", "127.0.0.1", true},
		{"127.0.0.1", "127.0.0.2", false},
		{"localhost", "evil.localhost", false},
		{"", "", false},
	} {
		if got := sameSite(c.a, c.b); got != c.want {
			t.Errorf("sameSite(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	from, _ := url.Parse("http://127.0.0.1:8080/api/x")
	if to, err := redirectTarget(from, "http://127.0.0.1:9090/api/x"); err != nil || to.Port() != "9090" {
		t.Errorf("same IP, other port: %v", err)
	}
	if _, err := redirectTarget(from, "/api/y"); err != nil {
		t.Errorf("relative location: %v", err)
	}
}
