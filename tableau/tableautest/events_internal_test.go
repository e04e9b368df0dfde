package tableautest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEventBusDeliversInOrder(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	s.onEvent(func(e event) {
		mu.Lock()
		got = append(got, e.Type+" "+e.ResourceName)
		mu.Unlock()
	})
	s.emit(event{Type: eventWorkbookCreated, ResourceName: "a"})
	s.emit(event{Type: eventWorkbookDeleted, ResourceName: "a"})
	if len(got) != 2 || got[0] != eventWorkbookCreated+" a" || got[1] != eventWorkbookDeleted+" a" {
		t.Fatalf("events = %v", got)
	}
}

// internalCall sends a request straight to the handler with a session of the admin.
type internalCall struct {
	t     *testing.T
	s     *Server
	token string
	base  string
}

func newInternalCall(t *testing.T, s *Server) *internalCall {
	s.store.mu.Lock()
	site := s.store.sites.byContentURL("")
	sess := s.newSession(site.ID, site.adminID, "pat", nil)
	s.store.mu.Unlock()
	return &internalCall{t: t, s: s, token: sess.token, base: "/api/3.24/sites/" + site.ID + "/"}
}

func (c *internalCall) do(method, path, ctype string, body []byte, want int) string {
	c.t.Helper()
	req := httptest.NewRequest(method, c.base+path, bytes.NewReader(body))
	req.Header.Set("X-Tableau-Auth", c.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	c.s.Handler().ServeHTTP(rec, req)
	if rec.Code != want {
		c.t.Fatalf("%s %s: %d, want %d\n%s", method, path, rec.Code, want, rec.Body.String())
	}
	return rec.Body.String()
}

// publishBody builds a multipart/mixed publish body; disposition "" uses
// the REST API reference's form (name="..."), "form-data" TSC's.
func publishBody(t *testing.T, disposition, payload, part, file string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	pre := ""
	if disposition != "" {
		pre = disposition + "; "
	}
	h := textproto.MIMEHeader{"Content-Disposition": {pre + `name="request_payload"`}, "Content-Type": {"text/xml"}}
	pw, _ := w.CreatePart(h)
	pw.Write([]byte(payload))
	if part != "" {
		h = textproto.MIMEHeader{"Content-Disposition": {pre + `name="` + part + `"; filename="` + file + `"`}, "Content-Type": {"application/octet-stream"}}
		fw, _ := w.CreatePart(h)
		fw.Write(data)
	}
	w.Close()
	return b.Bytes(), "multipart/mixed; boundary=" + w.Boundary()
}

func TestContentEventsOnPublishUpdateDeleteRefresh(t *testing.T) {
	s := NewTestServer(t, nil)
	s.SetJobDuration(0)
	var mu sync.Mutex
	var got []string
	s.onEvent(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		if e.SiteID == "" || e.ResourceID == "" || e.At.IsZero() {
			t.Errorf("incomplete event %+v", e)
		}
		got = append(got, e.Type+" "+e.ResourceType+" "+e.ResourceName)
	})
	c := newInternalCall(t, s)
	s.store.mu.RLock()
	var pid string
	for _, id := range s.store.projects.order {
		pid = id
	}
	s.store.mu.RUnlock()
	payload := `<tsRequest><datasource name="Orders"><project id="` + pid + `"/></datasource></tsRequest>`
	// TSC sends form-data dispositions; the reference shows bare ones. Both work.
	body, ct := publishBody(t, "form-data", payload, "tableau_datasource", "orders.tds", SampleTDS("db"))
	out := c.do("POST", "datasources", ct, body, http.StatusCreated)
	id := out[strings.Index(out, `<datasource id="`)+16:][:36]
	body, ct = publishBody(t, "", payload, "tableau_datasource", "orders.tds", SampleTDS("db"))
	c.do("POST", "datasources?overwrite=true", ct, body, http.StatusCreated)
	c.do("POST", "datasources/"+id+"/refresh", "application/xml", []byte("<tsRequest/>"), http.StatusAccepted)
	s.FailJobs(1, "boom")
	c.do("POST", "datasources/"+id+"/refresh", "application/xml", []byte("<tsRequest/>"), http.StatusAccepted)
	time.Sleep(50 * time.Millisecond)
	c.do("GET", "jobs", "", nil, http.StatusOK) // settles due jobs
	c.do("DELETE", "datasources/"+id, "", nil, http.StatusNoContent)
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		eventDatasourceCreated + " datasource Orders",
		eventDatasourceUpdated + " datasource Orders",
		eventDatasourceRefreshStarted + " datasource Orders",
		eventDatasourceRefreshSucceeded + " datasource Orders",
		eventDatasourceRefreshStarted + " datasource Orders",
		eventDatasourceRefreshFailed + " datasource Orders",
		eventDatasourceDeleted + " datasource Orders",
	}
	// The two refreshes settle on their timers or on the list, in either order.
	if len(got) != len(want) {
		t.Fatalf("events:\n%s", strings.Join(got, "\n"))
	}
	count := map[string]int{}
	for _, g := range got {
		count[g]++
	}
	for _, w := range want {
		if count[w] == 0 {
			t.Fatalf("missing %q in\n%s", w, strings.Join(got, "\n"))
		}
		count[w]--
	}
	if got[0] != want[0] || got[1] != want[1] || got[len(got)-1] != want[len(want)-1] {
		t.Fatalf("order:\n%s", strings.Join(got, "\n"))
	}
}

func TestPublishRequestErrors(t *testing.T) {
	s := NewTestServer(t, nil)
	c := newInternalCall(t, s)
	c.do("POST", "workbooks", "application/xml", []byte("<tsRequest/>"), http.StatusUnsupportedMediaType)
	body, ct := publishBody(t, "", "<tsRequest><workbook name='x'><project id='nope'/></workbook></tsRequest>", "", "", nil)
	out := c.do("POST", "workbooks", ct, body, http.StatusBadRequest)
	if !strings.Contains(out, "no tableau_workbook part") {
		t.Fatalf("no file: %s", out)
	}
	body, ct = publishBody(t, "", "<tsRequest><datasource name='x'/></tsRequest>", "tableau_workbook", "x.twb", SampleTWB("db"))
	if out := c.do("POST", "workbooks", ct, body, http.StatusBadRequest); !strings.Contains(out, "no workbook element") {
		t.Fatalf("wrong payload: %s", out)
	}
	body, ct = publishBody(t, "", "<tsRequest><workbook name='x'><project id='nope'/></workbook></tsRequest>", "tableau_workbook", "x.twb", SampleTWB("db"))
	if out := c.do("POST", "workbooks", ct, body, http.StatusNotFound); !strings.Contains(out, "nope") {
		t.Fatalf("unknown project: %s", out)
	}
	if out := c.do("POST", "workbooks?workbookType=tds", ct, body, http.StatusBadRequest); !strings.Contains(out, "workbookType") {
		t.Fatalf("bad type: %s", out)
	}
	if out := c.do("POST", "workbooks?uploadSessionId=none&workbookType=twb", ct, body, http.StatusBadRequest); !strings.Contains(out, "must not carry a file") {
		t.Fatalf("file with upload session: %s", out)
	}
	// Upload sessions: unknown, then empty.
	c.do("PUT", "fileUploads/none", ct, body, http.StatusNotFound)
	up := c.do("POST", "fileUploads", "", nil, http.StatusCreated)
	uid := up[strings.Index(up, `uploadSessionId="`)+17:][:36]
	body, ct = publishBody(t, "", "<tsRequest><workbook name='x'><project id='nope'/></workbook></tsRequest>", "", "", nil)
	if out := c.do("POST", "workbooks?uploadSessionId="+uid+"&workbookType=twb", ct, body, http.StatusBadRequest); !strings.Contains(out, "is empty") {
		t.Fatalf("empty upload: %s", out)
	}
}
