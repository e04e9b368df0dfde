package webhooks_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/webhooks"
)

func TestCheckDestination(t *testing.T) {
	for _, ok := range []string{"https://hooks.example.com/tableau", "https://example.com:8443/a?x=1", "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9/h"} {
		if err := webhooks.CheckDestination(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/relative", "hooks.example.com/x", "http://hooks.example.com/x", "ftp://example.com/x",
		"https://user:hunter2@example.com/x", "https://example.com/x#frag", "https://%zz", "http://10.0.0.1/x"} {
		err := webhooks.CheckDestination(bad)
		if !errors.Is(err, webhooks.ErrBadDestination) {
			t.Errorf("%q: %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestDestinationURLReachesHandler(t *testing.T) {
	rec := &recorder{}
	ts := start(t, newOptions(t), func(h *webhooks.Handler) { must(t, h.Handle("r", rec)) })
	u, err := webhooks.DestinationURL(ts.srv.URL+"/tableau?site=sales", testToken)
	must(t, err)
	if code, body := post(t, u, "application/json", payload(webhooks.WorkbookCreated, "w")); code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	if _, err := webhooks.DestinationURL("http://example.com/x", testToken); !errors.Is(err, webhooks.ErrBadDestination) {
		t.Fatal(err)
	}
	if _, err := webhooks.DestinationURL(ts.srv.URL, ""); !errors.Is(err, webhooks.ErrBadDestination) {
		t.Fatal(err)
	}
}
