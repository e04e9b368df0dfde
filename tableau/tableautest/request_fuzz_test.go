package tableautest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// FuzzRequestBodies sends arbitrary bodies to the handlers that parse XML
// (sign-in, switchSite, create and update of sites and projects, Cloud
// tasks and schedules) and to
// arbitrary query strings: every answer is a well-formed status, never a
// panic or a 5xx.
func FuzzRequestBodies(f *testing.F) {
	for _, s := range []string{
		`<tsRequest><credentials name="admin" password="x"><site contentUrl=""/></credentials></tsRequest>`,
		`<tsRequest><credentials jwt="a.b.c"/></tsRequest>`,
		`<tsRequest><project name="P" parentProjectId="x"/></tsRequest>`,
		`<tsRequest><site name="S" contentUrl="s" userQuota="-5"/></tsRequest>`,
		`<tsRequest><site contentUrl="other"/></tsRequest>`,
		`<tsRequest><project><owner id=""/></project></tsRequest>`,
		`<tsRequest><runFlow type="runFlow"><flow id="x"/></runFlow><schedule frequency="Daily"><frequencyDetails start="04:30:00"/></schedule></tsRequest>`,
		`<tsRequest><extractRefresh type="FullRefresh"><datasource id="x"/></extractRefresh><schedule frequency="Hourly"><frequencyDetails start="01:00:00" end="23:00:00"><intervals><interval hours="2"/></intervals></frequencyDetails></schedule></tsRequest>`,
		`<tsRequest><schedule name="n" type="Extract" frequency="Monthly" executionOrder="Serial"><frequencyDetails start="02:00:00"><intervals><interval monthDay="LastDay"/></intervals></frequencyDetails></schedule></tsRequest>`,
		"<tsRequest", "", "\x00\xff", `<?xml version="1.0" encoding="UTF-16"?><tsRequest/>`,
	} {
		f.Add(s, "pageSize=2&filter=name:eq:P&sort=name:asc&fields=_default_")
	}
	srv := tableautest.NewTestServer(f, nil)
	cr := srv.Credentials()
	h := srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/3.24/auth/signin",
		strings.NewReader(patBody(cr.PATName, cr.PATSecret, ""))))
	var signIn struct {
		Credentials struct {
			Token string `xml:"token,attr"`
			Site  struct {
				ID string `xml:"id,attr"`
			} `xml:"site"`
		} `xml:"credentials"`
	}
	if err := xmlUnmarshal(rec.Body.Bytes(), &signIn); err != nil {
		f.Fatal(err)
	}
	token, site := signIn.Credentials.Token, signIn.Credentials.Site.ID
	targets := []struct{ method, path string }{
		{"POST", "/api/3.24/auth/signin"},
		{"POST", "/api/3.24/sites/" + site + "/projects"},
		{"PUT", "/api/3.24/sites/" + site + "/projects/" + site},
		{"POST", "/api/3.24/sites"},
		{"PUT", "/api/3.24/sites/" + site},
		{"POST", "/api/3.24/sites/" + site + "/tasks/flows"},
		{"POST", "/api/3.24/sites/" + site + "/tasks/extractRefreshes"},
		{"POST", "/api/3.24/schedules"},
	}
	f.Fuzz(func(t *testing.T, body, query string) {
		for _, tg := range targets {
			req := httptest.NewRequest(tg.method, tg.path, strings.NewReader(body))
			req.Header.Set("X-Tableau-Auth", token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s: status %d for body %q", tg.method, tg.path, rec.Code, body)
			}
		}
		req := httptest.NewRequest("GET", "/api/3.24/sites/"+site+"/projects", nil)
		req.URL.RawQuery = query
		req.Header.Set("X-Tableau-Auth", token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("GET projects?%s: status %d\n%s", query, rec.Code, rec.Body)
		}
	})
}
