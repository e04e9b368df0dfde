package webhooks_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tableau-go/sdk/webhooks"
)

func TestParseEvent(t *testing.T) {
	body := `{"resource":"WORKBOOK","event_type":"WorkbookRefreshSucceeded","resource_name":"Sales Dashboard",
	"site_luid":"8b2a95d8","resource_luid":"a1b2c3d4","created_at":"2024-08-15T17:14:45Z",
	"resourceInfo":{"workbook":{"id":"a1b2c3d4"}},"future_field":[1,2,3]}`
	e, err := webhooks.ParseEvent([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 8, 15, 17, 14, 45, 0, time.UTC)
	if e.Type != webhooks.WorkbookRefreshSucceeded || e.Resource != webhooks.ResourceWorkbook ||
		e.ResourceName != "Sales Dashboard" || e.SiteLUID != "8b2a95d8" || e.ResourceLUID != "a1b2c3d4" ||
		!e.CreatedAt.Equal(want) || e.IsTest() || e.ID == "" || string(e.Raw) != body {
		t.Fatalf("decoded %+v", e)
	}
	again, _ := webhooks.ParseEvent([]byte(body))
	if again.ID != e.ID {
		t.Fatal("same payload, different ids")
	}
	other, _ := webhooks.ParseEvent([]byte(payload(webhooks.DatasourceRefreshFailed, "x")))
	if other.ID == e.ID {
		t.Fatal("different payloads, same id")
	}
}

func TestParseEventTest(t *testing.T) {
	for _, body := range []string{"", "  \n", "{}", `{"resource":"WEBHOOK"}`} {
		e, err := webhooks.ParseEvent([]byte(body))
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if !e.IsTest() || e.Type != webhooks.EventTest {
			t.Fatalf("%q: not the test event: %+v", body, e)
		}
	}
}

func TestParseEventUnknownType(t *testing.T) {
	e, err := webhooks.ParseEvent([]byte(`{"event_type":"FlowRunFailed","resource":"FLOW"}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != "FlowRunFailed" || e.Type.Known() {
		t.Fatalf("got %+v", e)
	}
}

func TestParseEventErrors(t *testing.T) {
	cases := []struct{ body, field string }{
		{`{"event_type":`, ""},
		{`[1,2]`, ""},
		{`"text"`, ""},
		{`{"event_type":42}`, "event_type"},
		{`{"event_type":"WorkbookCreated","created_at":"yesterday"}`, "created_at"},
		{`{"event_type":"WorkbookCreated"} trailing`, ""},
	}
	for _, c := range cases {
		_, err := webhooks.ParseEvent([]byte(c.body))
		if !errors.Is(err, webhooks.ErrBadPayload) {
			t.Fatalf("%q: err = %v, want ErrBadPayload", c.body, err)
		}
		var pe *webhooks.PayloadError
		if !errors.As(err, &pe) || pe.Field != c.field {
			t.Fatalf("%q: err = %#v, want field %q", c.body, err, c.field)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(payload(webhooks.DatasourceRefreshFailed, "abc")))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"event_type":"X","created_at":"2020-01-01T00:00:00+05:00"}`))
	f.Add([]byte(`{"event_type":null,"resource":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := webhooks.ParseEvent(body)
		if err != nil {
			if !errors.Is(err, webhooks.ErrBadPayload) {
				t.Fatalf("error without ErrBadPayload: %v", err)
			}
			return
		}
		if e.Type == "" || e.ID == "" {
			t.Fatalf("accepted event without type or id: %+v", e)
		}
	})
}
