package webhooks_test

import (
	"errors"
	"testing"

	"github.com/tableau-go/sdk/webhooks"
)

func TestCatalogue(t *testing.T) {
	events := webhooks.Events()
	if len(events) != 22 {
		t.Fatalf("%d events, want 22", len(events))
	}
	seen := map[string]bool{}
	for _, e := range events {
		for _, n := range []string{string(e.Type), e.Source} {
			if n == "" || seen[n] {
				t.Fatalf("empty or repeated name %q", n)
			}
			seen[n] = true
		}
		if e.Resource == "" || !e.Type.Known() || e.Type.SourceName() != e.Source {
			t.Fatalf("bad entry %+v", e)
		}
		for _, name := range []string{string(e.Type), e.Source} {
			got, err := webhooks.ParseEventType(name)
			if err != nil || got != e.Type {
				t.Fatalf("ParseEventType(%q) = %q, %v", name, got, err)
			}
		}
	}
	if got, _ := webhooks.ParseEventType("webhook-source-event-datasource-refresh-failed"); got != webhooks.DatasourceRefreshFailed {
		t.Fatal(got)
	}
	if got, _ := webhooks.ParseEventType("webhook-event-user-promoted-admin"); got != webhooks.AdminPromoted {
		t.Fatal(got)
	}
	if _, err := webhooks.ParseEventType("DatasourceExploded"); !errors.Is(err, webhooks.ErrUnknownEvent) {
		t.Fatalf("err = %v", err)
	}
	if webhooks.EventTest.Known() {
		t.Fatal("the test event is not one of Tableau's")
	}
}
