package tableautest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func webhookBody(name, event, url string) string {
	return fmt.Sprintf(`<tsRequest><webhook name=%q><webhook-source><%s/></webhook-source><webhook-destination><webhook-destination-http method="POST" url=%q/></webhook-destination></webhook></tsRequest>`, name, event, url)
}

// receiver is a real HTTP server that records webhook payloads and fails
// the first failFirst requests with 503.
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	bodies    []map[string]string
	calls     atomic.Int64
	failFirst int64
}

func newReceiver(t *testing.T, failFirst int64) *receiver {
	rc := &receiver{failFirst: failFirst}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := rc.calls.Add(1)
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		if n <= rc.failFirst {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("payload is not JSON: %s", b)
		}
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, m)
		rc.mu.Unlock()
		w.Write([]byte("thanks"))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) got() []map[string]string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]string(nil), rc.bodies...)
}

func TestWebhooksCRUDAndValidation(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/webhooks"
	rc := newReceiver(t, 0)
	wh := c.mustDo("POST", base, webhookBody("fail", "webhook-source-event-datasource-refresh-failed", rc.URL), http.StatusCreated).find("webhook")
	id := wh.attr("id")
	if wh.attr("isEnabled") != "true" || wh.find("webhook-destination-http").attr("url") != rc.URL ||
		wh.find("webhook-source").Nodes[0].XMLName.Local != "webhook-source-event-datasource-refresh-failed" || wh.find("owner").attr("id") != c.userID {
		t.Fatalf("created %+v", wh)
	}
	for _, bad := range []string{"http://example.com/hook", "ftp://127.0.0.1/x", "not a url", "https://user:pw@example.com/x"} {
		c.wantError("POST", base, webhookBody("b", "webhook-source-event-workbook-created", bad), http.StatusBadRequest, "400074")
	}
	c.wantError("POST", base, webhookBody("b", "webhook-source-event-pizza-delivered", rc.URL), http.StatusBadRequest, "400075")
	c.wantError("POST", base, webhookBody("FAIL", "webhook-source-event-workbook-created", rc.URL), http.StatusConflict, "409029")
	// Every event of Tableau's table is accepted, by either name.
	for i, ev := range []string{"webhook-event-user-promoted-admin", "webhook-source-event-label-LabelDeleted", "webhook-source-event-site-created"} {
		c.mustDo("POST", base, webhookBody(fmt.Sprint("e", i), ev, "https://hooks.example.com/x"), http.StatusCreated)
	}
	c.mustDo("POST", base, fmt.Sprintf(`<tsRequest><webhook name="by-event" event="WorkbookCreated"><webhook-destination><webhook-destination-http method="POST" url=%q/></webhook-destination></webhook></tsRequest>`, rc.URL), http.StatusCreated)
	if n := len(c.mustDo("GET", base, "", http.StatusOK).all("webhooks")); n != 5 {
		t.Errorf("%d webhooks, want 5", n)
	}
	upd := c.mustDo("PUT", base+"/"+id, `<tsRequest><webhook name="renamed" isEnabled="false"/></tsRequest>`, http.StatusOK).find("webhook")
	if upd.attr("name") != "renamed" || upd.attr("isEnabled") != "false" || upd.attr("statusChangeReason") == "" {
		t.Fatalf("updated %+v", upd.Attrs)
	}
	got := c.mustDo("GET", base+"/"+id, "", http.StatusOK).find("webhook")
	if got.attr("name") != "renamed" {
		t.Errorf("get after update %+v", got.Attrs)
	}
	res := c.mustDo("GET", base+"/"+id+"/test", "", http.StatusOK).find("webhookTestResult")
	if res.attr("status") != "200" || res.find("body").Text != "thanks" {
		t.Fatalf("test result %+v", res)
	}
	if b := rc.got(); len(b) != 1 || b[0]["event_type"] != "" {
		t.Errorf("the test payload has no event_type: %v", b)
	}
	c.mustDo("DELETE", base+"/"+id, "", http.StatusNoContent)
	c.wantError("GET", base+"/"+id, "", http.StatusNotFound, "404031")
}

func TestWebhooksDeliverEventsWithRetries(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetWebhookRetry(3, 10*time.Millisecond)
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	rc := newReceiver(t, 2) // the first two attempts fail with 503
	c.mustDo("POST", site+"/webhooks", webhookBody("gone", "webhook-source-event-user-deleted", rc.URL), http.StatusCreated)
	promoted := newReceiver(t, 0)
	c.mustDo("POST", site+"/webhooks", webhookBody("promoted", "webhook-event-user-promoted-admin", promoted.URL), http.StatusCreated)

	u := c.mustDo("POST", site+"/users", userBody("leaver", "Viewer"), http.StatusCreated).find("user").attr("id")
	c.mustDo("PUT", site+"/users/"+u, `<tsRequest><user siteRole="SiteAdministratorCreator"/></tsRequest>`, http.StatusOK)
	c.mustDo("DELETE", site+"/users/"+u, "", http.StatusNoContent)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	b := rc.got()
	if len(b) != 1 {
		t.Fatalf("deliveries %v", b)
	}
	want := map[string]string{"resource": "USER", "event_type": "UserDeleted", "resource_name": "leaver", "site_luid": c.siteID, "resource_luid": u}
	for k, v := range want {
		if b[0][k] != v {
			t.Errorf("%s = %q, want %q", k, b[0][k], v)
		}
	}
	if _, err := time.Parse(time.RFC3339, b[0]["created_at"]); err != nil {
		t.Errorf("created_at %q: %v", b[0]["created_at"], err)
	}
	if rc.calls.Load() != 3 {
		t.Errorf("%d attempts, want 3", rc.calls.Load())
	}
	if p := promoted.got(); len(p) != 1 || p[0]["event_type"] != "AdminPromoted" {
		t.Errorf("promotion deliveries %v", p)
	}
	var attempts []int
	for _, d := range srv.WebhookDeliveries() {
		if d.Event == "UserDeleted" {
			attempts = append(attempts, d.Status)
		}
	}
	if fmt.Sprint(attempts) != "[503 503 200]" {
		t.Errorf("delivery log statuses %v", attempts)
	}
}

func TestWebhooksDisabledAfterRepeatedFailures(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetWebhookRetry(1, 0)
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	down := newReceiver(t, 1<<30)
	id := c.mustDo("POST", site+"/webhooks", webhookBody("down", "webhook-source-event-user-deleted", down.URL), http.StatusCreated).find("webhook").attr("id")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 12 {
		u := c.mustDo("POST", site+"/users", userBody(fmt.Sprint("u", i), "Viewer"), http.StatusCreated).find("user").attr("id")
		c.mustDo("DELETE", site+"/users/"+u, "", http.StatusNoContent)
		if err := srv.WaitWebhooks(ctx); err != nil {
			t.Fatal(err)
		}
	}
	wh := c.mustDo("GET", site+"/webhooks/"+id, "", http.StatusOK).find("webhook")
	if wh.attr("isEnabled") != "false" || wh.attr("statusChangeReason") == "" {
		t.Fatalf("a failing webhook stays enabled: %+v", wh.Attrs)
	}
	if n := down.calls.Load(); n != 10 {
		t.Errorf("%d deliveries before disabling, want 10", n)
	}
}
