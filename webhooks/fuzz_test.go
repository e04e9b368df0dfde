package webhooks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/webhooks"
)

// FuzzHandler feeds arbitrary bodies and content types to ServeHTTP: every
// answer must be one of the documented statuses, never a panic.
func FuzzHandler(f *testing.F) {
	f.Add("application/json", []byte(payload(webhooks.DatasourceRefreshFailed, "a")))
	f.Add("", []byte(""))
	f.Add("application/json; charset=utf-8", []byte(`{"event_type":"X","created_at":"bad"}`))
	f.Add("text/plain", []byte("hello"))
	f.Add("application/json", []byte(`{"event_type":"WorkbookCreated","pad":"`+strings.Repeat("x", 5000)+`"}`))
	h, err := webhooks.NewHandler(&webhooks.Options{
		StorePath:    filepath.Join(f.TempDir(), "events.db"),
		Token:        testToken,
		MaxBodyBytes: 4096,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = h.Close(context.Background()) })
	allowed := map[int]bool{200: true, 400: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/hook?token="+testToken, strings.NewReader(string(body)))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if !allowed[w.Code] {
			t.Fatalf("status %d for %q %q: %s", w.Code, contentType, body, w.Body)
		}
	})
}
