package tableautest_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// benchServer returns a server holding n projects (plus Default) and a
// signed-in token and site id.
func benchServer(b *testing.B, n int) (*tableautest.Server, string, string) {
	b.Helper()
	srv := tableautest.NewTestServer(b, nil)
	cr := srv.Credentials()
	hc := &http.Client{}
	token, siteID, err := rawSignIn(hc, srv.URL(), patBody(cr.PATName, cr.PATSecret, ""))
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		body := fmt.Sprintf(`<tsRequest><project name="project %06d"/></tsRequest>`, i)
		if status, err := rawDo(hc, "POST", srv.URL()+"/api/3.24/sites/"+siteID+"/projects", token, body); err != nil || status != http.StatusCreated {
			b.Fatalf("create: %d %v", status, err)
		}
	}
	return srv, token, siteID
}

// BenchmarkListProjectsPage measures one page of 100 projects out of
// 20,000 over loopback HTTP: the emulator's cost per page a client pays.
func BenchmarkListProjectsPage(b *testing.B) {
	for _, query := range []string{"pageSize=100&pageNumber=150", "pageSize=100&pageNumber=150&sort=name:desc&filter=name:has:project"} {
		b.Run(query, func(b *testing.B) {
			srv, token, siteID := benchServer(b, 20000)
			url := srv.URL() + "/api/3.24/sites/" + siteID + "/projects?" + query
			hc := &http.Client{}
			b.ResetTimer()
			for b.Loop() {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("X-Tableau-Auth", token)
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatal(resp.Status)
				}
			}
		})
	}
}
