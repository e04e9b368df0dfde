package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	gomail "github.com/wneessen/go-mail"

	"github.com/tableau-go/sdk/webhooks"
	"github.com/tableau-go/sdk/webhooks/notify"
)

func exampleEvent() *webhooks.Event {
	e, _ := webhooks.ParseEvent([]byte(`{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed",
		"resource_name":"Sales","site_luid":"b0ba","resource_luid":"d1d1","created_at":"2026-12-03T10:11:12Z"}`))
	return &e
}

func ExampleSlack() {
	// A stand-in for https://hooks.slack.com/services/…
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.SlackMessage
		_ = json.NewDecoder(r.Body).Decode(&m)
		fmt.Println(m.Text)
		fmt.Println(m.Blocks[1].Text.Text)
		io.WriteString(w, "ok")
	}))
	defer slack.Close()

	s, err := notify.NewSlack(slack.URL, &notify.SlackOptions{
		Body: "*{{.Summary}}* for `{{esc .Event.ResourceName}}` at {{when .Event.CreatedAt}}",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Register it on a handler with
	// h.Handle("slack", s, webhooks.DatasourceRefreshFailed).
	if err := s.Receive(context.Background(), exampleEvent()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Data source refresh failed: Sales
	// *Data source refresh failed* for `Sales` at 2026-12-03 10:11:12 UTC
}

func ExampleTeams_Message() {
	t, err := notify.NewTeams("https://example.webhook.office.com/workflows/…", &notify.TeamsOptions{
		Link: func(e *webhooks.Event) string { return "https://tableau.example.com/#/datasources/" + e.ResourceLUID },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := t.Message(context.Background(), exampleEvent())
	card := m.Attachments[0].Content
	fmt.Println(m.Attachments[0].ContentType)
	fmt.Println(card.Body[0].Text)
	fmt.Println(card.Actions[0].Title, card.Actions[0].URL)
	// Output:
	// application/vnd.microsoft.card.adaptive
	// Data source refresh failed: Sales
	// Open in Tableau https://tableau.example.com/#/datasources/d1d1
}

func ExampleSummary() {
	fmt.Println(notify.Summary(webhooks.AdminPromoted))
	fmt.Println(notify.Summary("FlowRunFailed"))
	// Output:
	// User promoted to site administrator
	// Flow run failed
}

func ExampleEmail_Message() {
	em, err := notify.NewEmail(&notify.EmailOptions{
		Host:    "smtp.example.com", // Port 587, STARTTLS required by default
		From:    "tableau@example.com",
		To:      []string{"qa@example.com"},
		Subject: "New workbook: {{.Event.ResourceName}}",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := em.Message(context.Background(), exampleEvent())
	fmt.Println(m.GetGenHeader(gomail.HeaderSubject)[0])
	// Output:
	// New workbook: Sales
}
