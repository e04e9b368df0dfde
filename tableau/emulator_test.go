package tableau_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// waits records the waits the transport asks for instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) get() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// emulated starts the emulator and signs a session in with its PAT.
func emulated(t *testing.T, mod func(*tableau.Config)) (*tableau.Session, *tableautest.Server, *waits) {
	t.Helper()
	srv := tableautest.NewTestServer(t, nil)
	w := &waits{}
	creds := srv.Credentials()
	cfg := tableau.Config{
		Server:      srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
		Retry:       tableau.RetryPolicy{Sleep: w.sleep},
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := tableau.NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, srv, w
}

type projectList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Projects   []struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"projects>project"`
}

func listProjects(ctx context.Context, s *tableau.Session) (*projectList, error) {
	path, err := s.SitePath("projects")
	if err != nil {
		return nil, err
	}
	var out projectList
	return &out, s.Get(ctx, path, nil, &out)
}

func createProject(ctx context.Context, s *tableau.Session, name string) error {
	path, err := s.SitePath("projects")
	if err != nil {
		return err
	}
	type req struct {
		XMLName struct{} `xml:"tsRequest"`
		Project struct {
			Name string `xml:"name,attr"`
		} `xml:"project"`
	}
	var r req
	r.Project.Name = name
	return s.Post(ctx, path, nil, r, nil)
}

func TestEmulatorSignInEveryCredentialKind(t *testing.T) {
	srv := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.22"})
	c := srv.Credentials()
	userID, err := srv.AddUser("", "ann@example.com", "Explorer")
	if err != nil {
		t.Fatal(err)
	}
	app := tableau.ConnectedApp{ClientID: c.ClientID, SecretID: c.SecretID, SecretValue: c.SecretValue, Username: c.Username,
		Scopes: []string{"tableau:content:read", "tableau:projects:create"}}
	given, err := app.Token(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, creds := range map[string]tableau.Credentials{
		"pat":       tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret},
		"password":  tableau.Password{Username: c.Username, Password: c.Password},
		"app":       app,
		"given jwt": tableau.JWT{Token: given},
	} {
		s, err := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SignIn(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st := s.State()
		if !st.SignedIn || st.SiteID == "" || st.UserID == "" || st.APIVersion != "3.22" || st.Expires.IsZero() {
			t.Fatalf("%s: state %+v", name, st)
		}
		if _, err := listProjects(ctx, s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.SignOut(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// Impersonation: the admin signs in as ann.
	s, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), ImpersonateUserID: userID,
		Credentials: tableau.Password{Username: c.Username, Password: c.Password}})
	if err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if s.UserID() != userID {
		t.Fatalf("impersonated user = %s, want %s", s.UserID(), userID)
	}
	// Wrong secret: 401001.
	bad, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: c.PATName, Secret: "nope"}})
	var e *tableau.Error
	if err := bad.SignIn(ctx); !errors.As(err, &e) || e.Code != tableau.CodeSignInFailed {
		t.Fatalf("bad PAT: %v", err)
	}
}

func TestEmulatorServerInfoAndPinnedVersion(t *testing.T) {
	srv := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.21", ProductVersion: "2023.3.0"})
	s, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: tableau.JWT{Token: "unused"}})
	info, err := s.ServerInfo(context.Background())
	if err != nil || info.ProductVersion != "2023.3.0" || info.RESTAPIVersion != "3.21" || s.APIVersion() != "3.21" {
		t.Fatalf("info = %+v, %v", info, err)
	}
	// A pinned version newer than the server's: the server's 404 names it.
	c := srv.Credentials()
	p, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), APIVersion: "3.24", Credentials: tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret}})
	if err := p.SignIn(context.Background()); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("pinned too new: %v", err)
	}
}

func TestEmulatorRetryAfter(t *testing.T) {
	s, srv, w := emulated(t, nil)
	srv.Faults().OnlyPath("/projects").RateLimit(2, "3")
	if _, err := listProjects(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got := w.get(); len(got) != 2 || got[0] != 3*time.Second || got[1] != 3*time.Second {
		t.Fatalf("waits = %v, want [3s 3s]", got)
	}
	// An HTTP date, read against the injected clock; and POST is retried on 429.
	now := time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC)
	s2, srv2, w2 := emulated(t, func(c *tableau.Config) { c.Retry.Now = func() time.Time { return now } })
	srv2.Faults().OnlyPath("/projects").RateLimit(1, now.Add(42*time.Second).Format(http.TimeFormat))
	if err := createProject(context.Background(), s2, "after 429"); err != nil {
		t.Fatal(err)
	}
	if got := w2.get(); len(got) != 1 || got[0] != 42*time.Second {
		t.Fatalf("waits = %v, want [42s]", got)
	}
}

func TestEmulator5xxAndDrops(t *testing.T) {
	ctx := context.Background()
	s, srv, w := emulated(t, func(c *tableau.Config) { c.Retry.MinWait = time.Second; c.Retry.MaxWait = 4 * time.Second })
	for _, code := range []int{502, 503, 504} {
		srv.Faults().OnlyPath("/projects").Status(2, code)
		if _, err := listProjects(ctx, s); err != nil {
			t.Fatalf("GET after %d: %v", code, err)
		}
	}
	if got := w.get(); len(got) != 6 {
		t.Fatalf("waits = %v, want 6", got)
	}
	srv.Faults().OnlyPath("/projects").Drop(2)
	if _, err := listProjects(ctx, s); err != nil {
		t.Fatalf("GET after drops: %v", err)
	}
	// POST is not retried: 503 comes back as an error, a drop as a transport error.
	srv.Faults().OnlyPath("/projects").Status(1, 503)
	if err := createProject(ctx, s, "x"); !errors.Is(err, tableau.ErrServer) {
		t.Fatalf("POST 503: %v", err)
	}
	srv.Faults().OnlyPath("/projects").Drop(1)
	if err := createProject(ctx, s, "y"); err == nil {
		t.Fatal("POST after a drop succeeded: it was retried")
	}
	list, err := listProjects(ctx, s)
	if err != nil || len(list.Projects) != 1 {
		t.Fatalf("projects = %+v, %v (a POST was repeated)", list, err)
	}
}

func TestEmulatorCancelStopsBackoff(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := srv.Credentials()
	s, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret},
		Retry: tableau.RetryPolicy{MaxRetryAfter: 2 * time.Hour}})
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.Faults().OnlyPath("/projects").RateLimit(1, "3600")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	before := srv.Stats().Requests
	go func() { _, err := listProjects(ctx, s); done <- err }()
	for srv.Stats().Requests == before { // the 429 was answered; the session now waits an hour
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the backoff did not end with the context")
	}
}

func TestEmulatorExpiredSessionRenewedOnce(t *testing.T) {
	s, srv, _ := emulated(t, nil)
	ctx := context.Background()
	srv.ExpireSessions()
	before := srv.Stats().SignIns
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() { _, err := listProjects(ctx, s); errs <- err })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.Stats().SignIns - before; got != 1 {
		t.Fatalf("sign-ins = %d, want 1", got)
	}
}

func TestEmulatorParallelPaging(t *testing.T) {
	s, _, _ := emulated(t, nil)
	ctx := context.Background()
	for i := range 43 {
		if err := createProject(ctx, s, fmt.Sprintf("p%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	path, _ := s.SitePath("projects")
	type item = struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	}
	pager := tableau.PagedList(s, path, &tableau.ListOptions{PageSize: 4, Parallel: 5, Sorts: []tableau.Sort{tableau.Desc("name")}},
		func(r *projectList) ([]item, tableau.Pagination) { return r.Projects, r.Pagination })
	var names []string
	seen := map[string]bool{}
	for p, err := range pager.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.ID] {
			t.Fatalf("%s yielded twice", p.Name)
		}
		seen[p.ID] = true
		names = append(names, p.Name)
	}
	if len(names) != 44 || names[0] != "p42" || names[42] != "p00" || names[43] != "Default" {
		t.Fatalf("names = %v", names)
	}
}

// TestEmulatorNoSecretInLogs runs sign-ins, faults and renewal against the
// emulator with a Debug logger and searches the log and errors for secrets.
func TestEmulatorNoSecretInLogs(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := srv.Credentials()
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w := &waits{}
	app := tableau.ConnectedApp{ClientID: c.ClientID, SecretID: c.SecretID, SecretValue: c.SecretValue, Username: c.Username, Scopes: []string{"tableau:content:read"}}
	var out []string
	ctx := context.Background()
	for _, creds := range []tableau.Credentials{
		tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret},
		tableau.Password{Username: c.Username, Password: c.Password},
		app,
		tableau.PersonalAccessToken{Name: c.PATName, Secret: c.PATSecret + "-wrong"},
	} {
		s, _ := tableau.NewSession(tableau.Config{Server: srv.URL(), Credentials: creds, Logger: logger, Retry: tableau.RetryPolicy{Sleep: w.sleep}})
		if err := s.SignIn(ctx); err != nil {
			out = append(out, err.Error())
			continue
		}
		srv.Faults().RateLimit(1, "1")
		srv.Faults().Status(1, 503)
		srv.ExpireSessions()
		if _, err := listProjects(ctx, s); err != nil {
			t.Fatal(err)
		}
		srv.Faults().Status(5, 502)
		_, err := listProjects(ctx, s)
		out = append(out, fmt.Sprint(err), fmt.Sprintf("%+v %#v", s, creds))
		srv.Faults().Clear()
		out = append(out, fmt.Sprint(s.SignOut(ctx)))
	}
	all := logs.String() + strings.Join(out, "\n")
	if !strings.Contains(all, "signing in again") || !strings.Contains(all, "retrying") {
		t.Fatalf("log misses records:\n%s", logs.String())
	}
	for _, secret := range []string{c.PATSecret, c.Password, c.SecretValue, "eyJ"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q in output", secret)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
