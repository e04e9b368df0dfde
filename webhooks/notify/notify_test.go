package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

func link(e *webhooks.Event) string {
	return "https://tableau.example.com/#/site/sales/datasources/" + e.ResourceLUID
}

func TestSlackPostsBlocks(t *testing.T) {
	hs := newHookServer(t, http.StatusOK, "ok")
	s, err := notify.NewSlack(hs.URL+"/services/T000/B000/secretpath", &notify.SlackOptions{Link: link})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Receive(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	got := hs.received()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	raw, _ := json.Marshal(got[0])
	js := string(raw)
	for _, want := range []string{
		`"text":"Data source refresh failed: Sales \u003cEMEA\u003e \u0026 Co"`,
		`"type":"header"`, `"type":"plain_text"`, `"type":"mrkdwn"`,
		`Sales \u0026lt;EMEA\u0026gt; \u0026amp; Co`, // escaped for mrkdwn
		"site-42", "ds-7", "2026-12-03 10:11:12 UTC",
		`"type":"button"`, `"url":"https://tableau.example.com/#/site/sales/datasources/ds-7"`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("message lacks %s:\n%s", want, js)
		}
	}
}

func TestSlackCustomTemplate(t *testing.T) {
	hs := newHookServer(t, http.StatusOK, "ok")
	s, err := notify.NewSlack(hs.URL, &notify.SlackOptions{
		Title: "ALERT {{shout .Event.ResourceName}}",
		Body:  "{{.Event.Type}} on {{.Event.SiteLUID}}",
		Funcs: template.FuncMap{"shout": strings.ToUpper},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(context.Background(), sampleEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "ALERT SALES <EMEA> & CO" || m.Blocks[1].Text.Text != "DatasourceRefreshFailed on site-42" {
		t.Fatalf("rendered %+v", m)
	}
	if _, err := notify.NewSlack(hs.URL, &notify.SlackOptions{Body: "{{.Nope"}); err == nil || !strings.Contains(err.Error(), "slack body template") {
		t.Fatalf("bad template: %v", err)
	}
	bad, _ := notify.NewSlack(hs.URL, &notify.SlackOptions{Body: "{{.Event.NoSuchField}}"})
	if _, err := bad.Message(context.Background(), sampleEvent(t)); !webhooks.IsPermanent(err) {
		t.Fatalf("template execution error should be permanent: %v", err)
	}
}

func TestSlackErrorsAreClassifiedAndRedacted(t *testing.T) {
	hs := newHookServer(t, http.StatusNotFound, "no_service")
	secretURL := hs.URL + "/services/T000/B000/XXXXsecretXXXX"
	s, err := notify.NewSlack(secretURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := sampleEvent(t)
	err = s.Receive(context.Background(), e)
	var se *notify.StatusError
	if !webhooks.IsPermanent(err) || !errors.As(err, &se) || se.StatusCode != 404 || se.Body != "no_service" {
		t.Fatalf("404: %v", err)
	}
	hs.set(http.StatusServiceUnavailable, "busy")
	if err := s.Receive(context.Background(), e); err == nil || webhooks.IsPermanent(err) {
		t.Fatalf("503 must be retried: %v", err)
	}
	hs.set(http.StatusTooManyRequests, "rate_limited")
	hs.header.Set("Retry-After", "7")
	err = s.Receive(context.Background(), e)
	if err == nil || webhooks.IsPermanent(err) {
		t.Fatalf("429 must be retried: %v", err)
	}
	hs.Close() // connection refused
	err = s.Receive(context.Background(), e)
	if err == nil || webhooks.IsPermanent(err) || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), hs.URL) {
		t.Fatalf("network error must be retried and must not show the URL: %v", err)
	}
}

func TestWebhookURLValidation(t *testing.T) {
	for _, u := range []string{"http://hooks.slack.com/services/x", "ftp://127.0.0.1/x", "not a url", "/relative"} {
		if _, err := notify.NewSlack(u, nil); err == nil {
			t.Errorf("slack accepted %q", u)
		}
		if _, err := notify.NewTeams(u, nil); err == nil {
			t.Errorf("teams accepted %q", u)
		}
	}
	for _, u := range []string{"https://hooks.slack.com/services/x", "http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]:8080/x"} {
		if _, err := notify.NewSlack(u, nil); err != nil {
			t.Errorf("slack refused %q: %v", u, err)
		}
	}
}

func TestTeamsPostsAdaptiveCard(t *testing.T) {
	hs := newHookServer(t, http.StatusAccepted, "")
	tm, err := notify.NewTeams(hs.URL+"/workflows/abc/triggers/manual/paths/invoke?sig=secret", &notify.TeamsOptions{Link: link})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.Receive(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	got := hs.received()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	var m notify.TeamsMessage
	raw, _ := json.Marshal(got[0])
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != "message" || len(m.Attachments) != 1 || m.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" {
		t.Fatalf("envelope %s", raw)
	}
	card := m.Attachments[0].Content
	if card.Type != "AdaptiveCard" || card.Version == "" || len(card.Body) != 3 ||
		card.Body[0].Text != "Data source refresh failed: Sales <EMEA> & Co" ||
		card.Body[2].Type != "FactSet" || len(card.Actions) != 1 || card.Actions[0].Type != "Action.OpenUrl" {
		t.Fatalf("card %s", raw)
	}
	if !strings.Contains(string(raw), `"contentUrl":null`) {
		t.Fatalf("contentUrl must be null: %s", raw)
	}

	custom, err := notify.NewTeams(hs.URL, &notify.TeamsOptions{Body: "Refresh of {{.Event.ResourceName}} broke"})
	if err != nil {
		t.Fatal(err)
	}
	cm, _ := custom.Message(context.Background(), sampleEvent(t))
	if cm.Attachments[0].Content.Body[1].Text != "Refresh of Sales <EMEA> & Co broke" || cm.Attachments[0].Content.Actions != nil {
		t.Fatalf("custom card %+v", cm)
	}

	hs.set(http.StatusBadRequest, "bad card")
	if err := tm.Receive(context.Background(), sampleEvent(t)); !webhooks.IsPermanent(err) {
		t.Fatalf("400 must be permanent: %v", err)
	}
	hs.set(http.StatusBadGateway, "")
	if err := tm.Receive(context.Background(), sampleEvent(t)); err == nil || webhooks.IsPermanent(err) {
		t.Fatalf("502 must be retried: %v", err)
	}
}

func TestReceiveHonoursContext(t *testing.T) {
	block := make(chan struct{})
	hs := newHookServer(t, http.StatusOK, "ok")
	hs.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block })
	defer close(block)
	s, _ := notify.NewSlack(hs.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.Receive(ctx, sampleEvent(t)); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestLookupFillsSlackAndTeams(t *testing.T) {
	item := &webhooks.Item{Kind: "datasource", Name: "Sales", ProjectName: "Finance", OwnerName: "ana@example.com", WebpageURL: "https://tableau.example.com/#/datasources/42"}
	lookup := func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) { return item, nil }
	hs := newHookServer(t, http.StatusOK, "ok")
	s, err := notify.NewSlack(hs.URL, &notify.SlackOptions{Lookup: lookup})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(context.Background(), sampleEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	body := m.Blocks[1].Text.Text
	if !strings.Contains(body, "*Project:* Finance") || !strings.Contains(body, "ana@example.com") ||
		!strings.Contains(body, "<https://tableau.example.com/#/datasources/42|Open in Tableau>") || m.Blocks[3].Type != "actions" {
		t.Fatalf("slack %+v", m)
	}
	tm, err := notify.NewTeams(hs.URL, &notify.TeamsOptions{Lookup: lookup})
	if err != nil {
		t.Fatal(err)
	}
	card, err := tm.Message(context.Background(), sampleEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(card)
	if !strings.Contains(string(raw), `{"title":"Project","value":"Finance"}`) || !strings.Contains(string(raw), `"url":"https://tableau.example.com/#/datasources/42"`) {
		t.Fatalf("teams %s", raw)
	}
	failing := func(ctx context.Context, e *webhooks.Event) (*webhooks.Item, error) {
		return nil, errors.New("tableau down")
	}
	s2, _ := notify.NewSlack(hs.URL, &notify.SlackOptions{Lookup: failing})
	if err := s2.Receive(context.Background(), sampleEvent(t)); err == nil || webhooks.IsPermanent(err) {
		t.Fatalf("lookup failure must be retried: %v", err)
	}
}
