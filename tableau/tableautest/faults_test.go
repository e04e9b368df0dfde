package tableautest_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestFaultRateLimit(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := newClient(t, srv)
	srv.Faults().RateLimit(2, "3")
	for range 2 {
		status, b, h := c.do("GET", "serverinfo", "")
		if status != http.StatusTooManyRequests || h.Get("Retry-After") != "3" {
			t.Fatalf("status %d Retry-After %q", status, h.Get("Retry-After"))
		}
		if e := parseXML(t, b).find("error"); e == nil || e.attr("code") != "429000" {
			t.Fatalf("429 body: %s", b)
		}
	}
	c.mustDo("GET", "serverinfo", "", http.StatusOK)
	date := time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)
	srv.Faults().RateLimit(1, date)
	if _, _, h := c.do("GET", "serverinfo", ""); h.Get("Retry-After") != date {
		t.Errorf("Retry-After %q, want the HTTP date %q", h.Get("Retry-After"), date)
	}
	srv.Faults().RateLimit(1, "")
	if status, _, h := c.do("GET", "serverinfo", ""); status != http.StatusTooManyRequests || h.Get("Retry-After") != "" {
		t.Errorf("no Retry-After wanted: %d %q", status, h.Get("Retry-After"))
	}
}

func TestFaultStatus(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := newClient(t, srv)
	srv.Faults().Status(1, 503)
	srv.Faults().Status(1, 502)
	srv.Faults().Status(1, 200) // ignored: not an error status
	c.wantError("GET", "serverinfo", "", http.StatusServiceUnavailable, "503000")
	c.wantError("GET", "serverinfo", "", http.StatusBadGateway, "502000")
	c.mustDo("GET", "serverinfo", "", http.StatusOK)
}

func TestFaultDropClosesTheConnection(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.Faults().Drop(1)
	resp, err := http.Get(srv.URL() + "/api/3.24/serverinfo")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a dropped request got a response: %s", resp.Status)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "EOF") {
		t.Logf("error (accepted): %v", err)
	}
	newClient(t, srv).mustDo("GET", "serverinfo", "", http.StatusOK)
}

func TestFaultOnlyPathAndClear(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	projects := srv.Faults().OnlyPath("/projects")
	projects.Status(2, 500)
	c.mustDo("GET", "serverinfo", "", http.StatusOK) // other paths are not affected
	c.wantError("GET", "sites/"+c.siteID+"/projects", "", http.StatusInternalServerError, "500000")
	projects.Clear()
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)

	srv.Faults().OnlyPath("/serverinfo").RateLimit(5, "1")
	srv.Faults().Status(5, 503)
	projects.Clear() // leaves the other views' rules alone
	c.wantError("GET", "serverinfo", "", http.StatusTooManyRequests, "429000")
	srv.Faults().Clear() // everything
	c.mustDo("GET", "serverinfo", "", http.StatusOK)
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
}

func TestLatencyDelaysResponses(t *testing.T) {
	const d = 50 * time.Millisecond
	srv := tableautest.NewTestServer(t, &tableautest.Options{Latency: d})
	c := newClient(t, srv)
	start := time.Now()
	c.mustDo("GET", "serverinfo", "", http.StatusOK)
	if took := time.Since(start); took < d {
		t.Errorf("response after %v, want at least the %v latency", took, d)
	}
}

func TestStatsCountRequests(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.Faults().Status(1, 503)
	c := newClient(t, srv)
	c.do("GET", "serverinfo", "")
	c = signedIn(t, srv, "")
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
	c.mustDo("POST", "auth/signout", "", http.StatusNoContent)
	c.do("GET", "nosuch", "")
	got := srv.Stats()
	want := tableautest.Stats{Requests: 5, SignIns: 1, SignOuts: 1}
	if got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestRoutingErrors(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	c.wantError("GET", "nosuch", "", http.StatusNotFound, "404001")
	c.wantError("DELETE", "sites", "", http.StatusMethodNotAllowed, "405000")
	c.base = srv.URL() + "/api/9.99/"
	c.wantError("GET", "sites", "", http.StatusNotFound, "404003")
	c.base = srv.URL() + "/api/3.2/" // older versions are served
	c.mustDo("GET", "sites", "", http.StatusOK)
	resp, err := http.Get(srv.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET / = %d", resp.StatusCode)
	}
}

// TestConcurrentUse hammers one server from many goroutines: sign-ins,
// project creation, listing, faults and session expiry, under -race.
func TestConcurrentUse(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	const workers = 24
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Timeout: 30 * time.Second}
			token, siteID, err := rawSignIn(hc, srv.URL(), patBody(cr.PATName, cr.PATSecret, ""))
			if err != nil {
				errs <- err
				return
			}
			for i := range 10 {
				body := fmt.Sprintf(`<tsRequest><project name="w%d-%d"/></tsRequest>`, w, i)
				if status, err := rawDo(hc, "POST", srv.URL()+"/api/3.24/sites/"+siteID+"/projects", token, body); err != nil || status != http.StatusCreated {
					errs <- fmt.Errorf("create: %d %v", status, err)
					return
				}
				if status, err := rawDo(hc, "GET", srv.URL()+"/api/3.24/sites/"+siteID+"/projects?pageSize=7&sort=name:desc&filter=name:has:w", token, ""); err != nil || status != http.StatusOK {
					errs <- fmt.Errorf("list: %d %v", status, err)
					return
				}
				if i == 5 && w%6 == 0 {
					srv.Faults().OnlyPath("/nothing").Status(1, 503)
					_ = srv.Stats()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c := signedIn(t, srv, "")
	n := c.mustDo("GET", "sites/"+c.siteID+"/projects?pageSize=1", "", http.StatusOK)
	if got := n.find("pagination").attr("totalAvailable"); got != fmt.Sprint(workers*10+1) {
		t.Errorf("totalAvailable %s, want %d", got, workers*10+1)
	}
	// Expiring sessions while requests run.
	var wg2 sync.WaitGroup
	for range 8 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			hc := &http.Client{Timeout: 30 * time.Second}
			for range 20 {
				token, siteID, err := rawSignIn(hc, srv.URL(), passwordBody(cr.Username, cr.Password, ""))
				if err != nil {
					t.Error(err)
					return
				}
				status, err := rawDo(hc, "GET", srv.URL()+"/api/3.24/sites/"+siteID+"/projects", token, "")
				if err != nil || (status != http.StatusOK && status != http.StatusUnauthorized) {
					t.Errorf("list during expiry: %d %v", status, err)
				}
			}
		}()
	}
	for range 20 {
		srv.ExpireSessions()
	}
	wg2.Wait()
}

func rawDo(hc *http.Client, method, url, token, body string) (int, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("X-Tableau-Auth", token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

func rawSignIn(hc *http.Client, base, body string) (token, siteID string, err error) {
	resp, err := hc.Post(base+"/api/3.24/auth/signin", "application/xml", strings.NewReader(body))
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("sign-in: %s: %s", resp.Status, b)
	}
	var r struct {
		Credentials struct {
			Token string `xml:"token,attr"`
			Site  struct {
				ID string `xml:"id,attr"`
			} `xml:"site"`
		} `xml:"credentials"`
	}
	if err := xmlUnmarshal(b, &r); err != nil {
		return "", "", err
	}
	return r.Credentials.Token, r.Credentials.Site.ID, nil
}
