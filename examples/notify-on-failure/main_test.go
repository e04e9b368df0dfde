package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tableau-go/sdk/examples/internal/exampletest"
	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
	"github.com/tableau-go/sdk/webhooks/notify"
)

// clearEnv makes the run use the embedded emulator and no destination or
// token from the machine's environment.
func clearEnv(t *testing.T) { exampletest.ClearEnv(t, envSlack, envTeams, envToken) }

// hookServer plays Slack or Teams: it keeps the JSON bodies it receives.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	fail   int // answer this status instead of 200 when not 0
	tries  int
}

func newHookServer(t *testing.T, answer string) *hookServer {
	hs := &hookServer{}
	hs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || !json.Valid(b) {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		hs.mu.Lock()
		defer hs.mu.Unlock()
		hs.tries++
		if hs.fail != 0 {
			http.Error(w, http.StatusText(hs.fail), hs.fail)
			return
		}
		hs.bodies = append(hs.bodies, b)
		io.WriteString(w, answer)
	}))
	t.Cleanup(hs.Close)
	return hs
}

func (hs *hookServer) setFail(status int) {
	hs.mu.Lock()
	hs.fail = status
	hs.mu.Unlock()
}

func (hs *hookServer) attempts() int {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.tries
}

func (hs *hookServer) received() [][]byte {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return append([][]byte(nil), hs.bodies...)
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slackMessages decodes the Slack bodies and indexes them by the item name
// in their text.
func slackMessages(t *testing.T, bodies [][]byte) map[string]notify.SlackMessage {
	t.Helper()
	out := map[string]notify.SlackMessage{}
	for _, b := range bodies {
		var m notify.SlackMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		name := m.Text[strings.LastIndex(m.Text, ": ")+2:]
		out[name] = m
	}
	return out
}

// TestDemoAlertsSlackAndTeams runs the default demo end to end: the embedded
// emulator's refreshes fail, it POSTs the events to the receiver over real
// HTTP, and the alerts reach the Slack and Teams doubles with the item, its
// project and owner, the site, the time and a link.
func TestDemoAlertsSlackAndTeams(t *testing.T) {
	clearEnv(t)
	slack := newHookServer(t, "ok")
	teams := newHookServer(t, "")
	slackURL := slack.URL + "/services/T000/B000/SLACKs3cr3t"
	teamsURL := teams.URL + "/workflows/TEAMSs3cr3t"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, []string{"-slack", slackURL, "-teams", teamsURL, "-allow", "127.0.0.0/8, ::1"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	t.Log(got)
	server := regexp.MustCompile(`(?m)^tableau: +(http://127\.0\.0\.1:\d+) \(embedded emulator, demo\), site Default$`).FindStringSubmatch(got)
	if server == nil {
		t.Fatalf("no tableau line:\n%s", got)
	}
	for _, re := range []string{
		`(?m)^receiver: http://127\.0\.0\.1:\d+/tableau \(token in the query, not shown\), store .+events\.db$`,
		`(?m)^webhooks: "notify-on-failure: DatasourceRefreshFailed" subscribed to webhook-source-event-datasource-refresh-failed$`,
		`(?m)^webhooks: "notify-on-failure: WorkbookRefreshFailed" subscribed to webhook-source-event-workbook-refresh-failed$`,
		`(?m)^demo: +data source refresh of "Datasource 1" failed: Unable to connect to the server db\.example\.com \(demo failure\)$`,
		`(?m)^demo: +workbook refresh of "Workbook 1" failed: The extract's table was dropped \(demo failure\)$`,
		`(?m)^alert: +slack: Data source refresh failed: Datasource 1 \(site Default, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$`,
		`(?m)^alert: +teams: Workbook refresh failed: Workbook 1 \(site Default, `,
		`(?m)^webhooks: 2 deleted$`,
		`(?m)^stopped: +4 alerts sent, 0 events undelivered\n\z`,
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output does not match %s:\n%s", re, got)
		}
	}
	for _, secret := range []string{"SLACKs3cr3t", "TEAMSs3cr3t", "token="} {
		if strings.Contains(got, secret) {
			t.Errorf("output shows %q:\n%s", secret, got)
		}
	}

	// Slack: a header and a section with everything, and a button.
	msgs := slackMessages(t, slack.received())
	if len(msgs) != 2 || len(slack.received()) != 2 {
		t.Fatalf("Slack got %d messages: %v", len(slack.received()), msgs)
	}
	link := regexp.QuoteMeta(server[1])
	for name, kind := range map[string]string{"Datasource 1": "datasources", "Workbook 1": "workbooks"} {
		m, ok := msgs[name]
		if !ok {
			t.Fatalf("no Slack message for %s: %v", name, msgs)
		}
		raw, _ := json.Marshal(m)
		body := m.Blocks[1].Text.Text
		for _, re := range []string{
			`^\*(Data source|Workbook) refresh failed\*: ` + name + `\n`,
			`(?m)^\*Site:\* Default$`,
			`(?m)^\*When:\* \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`,
			`(?m)^\*Project:\* Project 1$`,
			`(?m)^\*Owner:\* admin$`,
			`(?m)^<` + link + `/#/` + kind + `/[^|]+\|Open in Tableau>$`,
		} {
			if !regexp.MustCompile(re).MatchString(body) {
				t.Errorf("Slack message for %s does not match %s:\n%s", name, re, body)
			}
		}
		if !regexp.MustCompile(`"type":"button".*"url":"` + link + `/#/` + kind + `/`).Match(raw) {
			t.Errorf("no button to the %s:\n%s", name, raw)
		}
	}

	// Teams: an Adaptive Card with the same facts and an Open action.
	cards := teams.received()
	if len(cards) != 2 {
		t.Fatalf("Teams got %d cards", len(cards))
	}
	names := map[string]bool{}
	for _, b := range cards {
		var m notify.TeamsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		card := m.Attachments[0].Content
		text := card.Body[1].Text
		if !regexp.MustCompile(`^\*\*(Data source|Workbook) refresh failed\*\*: (Datasource|Workbook) 1 on site Default at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Project: Project 1, owner: admin\. \[Open in Tableau\]\(` + link + `/#/(datasources|workbooks)/[^)]+\)$`).MatchString(text) {
			t.Errorf("Teams card text:\n%s", text)
		}
		if len(card.Actions) != 1 || !strings.HasPrefix(card.Actions[0].URL, server[1]+"/#/") {
			t.Errorf("Teams card actions: %+v", card.Actions)
		}
		names[card.Body[0].Text] = true
	}
	if !names["Data source refresh failed: Datasource 1"] || !names["Workbook refresh failed: Workbook 1"] {
		t.Errorf("Teams card titles: %v", names)
	}
}

// TestWatchServerUntilCancelled points TABLEAU_SERVER at a separate
// emulator, as a real site would be configured: the command subscribes,
// posts the alert of a refresh that fails there, keeps its store, and on
// cancellation deletes its webhooks and returns.
func TestWatchServerUntilCancelled(t *testing.T) {
	clearEnv(t)
	emu := tableautest.NewTestServer(t, nil)
	emu.SetJobDuration(0)
	emu.SetWebhookRetry(5, 50*time.Millisecond)
	seed, err := emu.Seed(tableautest.SeedOptions{Projects: 1, Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	creds := emu.Credentials()
	t.Setenv(tableau.EnvServer, emu.URL())
	t.Setenv(tableau.EnvUsername, creds.Username)
	t.Setenv(tableau.EnvPassword, creds.Password)
	const token = "watch-token-0123456789abcdef"
	t.Setenv(envToken, token)
	slack := newHookServer(t, "ok")
	t.Setenv(envSlack, slack.URL+"/services/T1/B1/SLACKs3cr3t")
	store := filepath.Join(t.TempDir(), "alerts.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-store", store, "-name", "ops"}, &out) }()

	bg := context.Background()
	c, err := rest.SignIn(bg, tableau.Config{Server: emu.URL(), Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Session.SignOut(bg)
	waitFor(t, "the subscriptions", func() bool {
		hooks, err := c.Webhooks.List(bg)
		return err == nil && len(hooks) == 2
	})

	// One refresh fails, one succeeds: only the failure is alerted.
	emu.FailRefreshesOf("Datasource 2", "Login failed for user 'etl'")
	for _, id := range seed.DatasourceIDs {
		if _, err := c.Datasources.Refresh(bg, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the Slack alert", func() bool { return len(slack.received()) == 1 })
	if err := emu.WaitWebhooks(bg); err != nil {
		t.Fatal(err)
	}
	ds, err := c.Datasources.Get(bg, seed.DatasourceIDs[1])
	if err != nil {
		t.Fatal(err)
	}
	m := slackMessages(t, slack.received())["Datasource 2"]
	if len(m.Blocks) < 2 {
		t.Fatalf("Slack message: %+v", m)
	}
	wantLink := "<" + strings.TrimSuffix(emu.URL(), "/") + "/#/datasources/" + ds.ContentURL + "|Open in Tableau>"
	if body := m.Blocks[1].Text.Text; !strings.Contains(body, wantLink) || !strings.Contains(body, "*Site:* Default") || !strings.Contains(body, "*Project:* Project 1") {
		t.Fatalf("Slack message body:\n%s\nwant %s", body, wantLink)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	hooks, err := c.Webhooks.List(bg)
	if err != nil || len(hooks) != 0 {
		t.Fatalf("webhooks left: %v, %v", hooks, err)
	}
	if _, err := os.Stat(store); err != nil {
		t.Fatalf("the -store file is gone: %v", err)
	}
	for _, d := range emu.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery %+v was not accepted", d)
		}
	}
	got := out.String()
	for _, want := range []string{"(from TABLEAU_SERVER), site Default", "waiting:  for failed refreshes", "alert:    slack: Data source refresh failed: Datasource 2", "webhooks: 2 deleted", "stopped:  1 alerts sent, 0 events undelivered"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{creds.Password, token, "SLACKs3cr3t"} {
		if strings.Contains(got, secret) {
			t.Errorf("output shows a secret:\n%s", got)
		}
	}
}

// TestUndeliveredAlertSurvivesRestart: Slack is down when a refresh fails;
// the receiver has accepted and stored the event, so after a stop and a
// restart on the same -store the alert is posted once Slack is back, though
// Tableau sends nothing new.
func TestUndeliveredAlertSurvivesRestart(t *testing.T) {
	clearEnv(t)
	emu := tableautest.NewTestServer(t, nil)
	emu.SetJobDuration(0)
	emu.SetWebhookRetry(5, 50*time.Millisecond)
	seed, err := emu.Seed(tableautest.SeedOptions{Workbooks: 1, WorkbookExtracts: true})
	if err != nil {
		t.Fatal(err)
	}
	creds := emu.Credentials()
	t.Setenv(tableau.EnvServer, emu.URL())
	t.Setenv(tableau.EnvPATName, creds.PATName)
	t.Setenv(tableau.EnvPATSecret, creds.PATSecret)
	slack := newHookServer(t, "ok")
	slack.setFail(http.StatusServiceUnavailable)
	args := []string{"-slack", slack.URL + "/services/T2/B2/s3cr3t", "-store", filepath.Join(t.TempDir(), "events.db")}
	bg := context.Background()
	c, err := rest.SignIn(bg, tableau.Config{Server: emu.URL(), Credentials: tableau.Password{Username: creds.Username, Password: creds.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Session.SignOut(bg)

	start := func() (*syncBuffer, context.CancelFunc, chan error) {
		ctx, cancel := context.WithCancel(bg)
		out := &syncBuffer{}
		done := make(chan error, 1)
		go func() { done <- run(ctx, args, out) }()
		return out, cancel, done
	}
	stop := func(out *syncBuffer, cancel context.CancelFunc, done chan error) string {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("run did not return after cancellation")
		}
		return out.String()
	}

	out, cancel, done := start()
	waitFor(t, "the subscriptions", func() bool {
		hooks, err := c.Webhooks.List(bg)
		return err == nil && len(hooks) == 2
	})
	emu.FailRefreshesOf("Workbook 1", "Out of disk space")
	if _, err := c.Workbooks.Refresh(bg, seed.WorkbookIDs[0], nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a failed post to Slack", func() bool { return slack.attempts() >= 1 })
	first := stop(out, cancel, done)
	if !strings.Contains(first, "stopped:  0 alerts sent, 1 events undelivered, kept in the store for the next start") ||
		!regexp.MustCompile(`(?m)^alert: +slack: WorkbookRefreshFailed of "Workbook 1" not sent yet: .*503`).MatchString(first) {
		t.Fatalf("first run:\n%s", first)
	}
	deliveries := len(emu.WebhookDeliveries())

	slack.setFail(0)
	out, cancel, done = start()
	waitFor(t, "the alert after the restart", func() bool { return len(slack.received()) == 1 })
	second := stop(out, cancel, done)
	if !strings.Contains(second, "alert:    slack: Workbook refresh failed: Workbook 1") || !strings.Contains(second, "stopped:  1 alerts sent, 0 events undelivered") {
		t.Fatalf("second run:\n%s", second)
	}
	if n := len(emu.WebhookDeliveries()); n != deliveries {
		t.Fatalf("Tableau posted %d more times: the alert must come from the store", n-deliveries)
	}
	if m := slackMessages(t, slack.received())["Workbook 1"]; len(m.Blocks) < 2 || !strings.Contains(m.Blocks[1].Text.Text, "/#/workbooks/") {
		t.Fatalf("Slack message %+v", m)
	}
	if strings.Contains(first+second, "s3cr3t") || strings.Contains(first+second, creds.PATSecret) {
		t.Fatalf("a secret was printed:\n%s%s", first, second)
	}
}

// TestDemoInterrupted: cancelling the context (what SIGINT does in main)
// while the demo waits for a Slack that is down stops it cleanly: run
// returns nil, the webhooks are deleted and the undelivered alerts are
// reported: kept for a retry after 503, given up after 404 (Slack's answer
// for a revoked webhook).
func TestDemoInterrupted(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusServiceUnavailable: "stopped:  0 alerts sent, 2 events undelivered, lost with the temporary store (use -store to keep them)\n",
		http.StatusNotFound:           "stopped:  0 alerts sent, 0 events undelivered, 2 deliveries given up (permanent failures), lost with the temporary store (use -store to keep them)\n",
	} {
		t.Run(strconv.Itoa(status), func(t *testing.T) { testDemoInterrupted(t, status, want) })
	}
}

func testDemoInterrupted(t *testing.T, status int, want string) {
	clearEnv(t)
	slack := newHookServer(t, "ok")
	slack.setFail(status)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-slack", slack.URL + "/services/T3/B3/x"}, &out) }()
	waitFor(t, "failed posts of both alerts", func() bool {
		got := out.String()
		return strings.Contains(got, `DatasourceRefreshFailed of "Datasource 1" not sent yet`) && strings.Contains(got, `WorkbookRefreshFailed of "Workbook 1" not sent yet`)
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	got := out.String()
	for _, want := range []string{"webhooks: 2 deleted\n", want} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestSourceNotAllowed: with -allow naming other networks, the emulator's
// posts from 127.0.0.1 are refused (403, logged with -v) and nothing is
// alerted.
func TestSourceNotAllowed(t *testing.T) {
	clearEnv(t)
	slack := newHookServer(t, "ok")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-slack", slack.URL + "/services/T4/B4/x", "-allow", "203.0.113.0/24,2001:db8::1", "-demo-timeout", "3s", "-v"}, &out)
	if err == nil || !strings.Contains(err.Error(), "demo: 0 of 2 alerts sent after 3s") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "source address not allowed") || strings.Contains(out.String(), "token=") {
		t.Errorf("the refusals are not logged, or the token is:\n%s", out.String())
	}
	if len(slack.received()) != 0 || slack.attempts() != 0 {
		t.Errorf("Slack got %d posts", slack.attempts())
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no destination", nil, nil, "no destination: set -slack or -teams"},
		{"slack not https", []string{"-slack", "http://hooks.example.com/services/s3cr3t"}, nil, "-slack (or SLACK_WEBHOOK_URL): notify: "},
		{"teams not a URL", []string{"-teams", "::s3cr3t"}, nil, "-teams (or TEAMS_WEBHOOK_URL): notify: "},
		{"public url not https", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "-public-url", "http://alerts.example.com/tableau"}, nil, "-public-url: webhooks: bad destination URL"},
		{"unknown flag", []string{"-slak", "x"}, nil, "flag provided but not defined: -slak"},
		{"argument", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "extra"}, nil, `unexpected argument "extra"`},
		{"demo timeout", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "-demo-timeout", "0s"}, nil, "-demo-timeout must be positive"},
		{"empty listen", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "-listen", ""}, nil, "-listen and -name must not be empty"},
		{"bad listen", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "-listen", "127.0.0.1:99999"}, nil, "-listen: "},
		{"short token", []string{"-slack", "https://hooks.slack.com/services/s3cr3t"}, map[string]string{envToken: "s3cr3t"}, envToken + ": webhooks: the token is too short"},
		{"token characters", []string{"-slack", "https://hooks.slack.com/services/s3cr3t"}, map[string]string{envToken: "s3cr3t and spaces in it"}, envToken + ": webhooks: the token may hold only"},
		{"usage hides env URLs", []string{"-h"}, map[string]string{envSlack: "https://hooks.slack.com/services/s3cr3t", envTeams: "https://example.webhook.office.com/s3cr3t"}, "flag: help requested"},
		{"env URL checked", nil, map[string]string{envTeams: "http://example.webhook.office.com/s3cr3t"}, "-teams (or TEAMS_WEBHOOK_URL): notify: "},
		{"bad allow", []string{"-slack", "https://hooks.slack.com/services/s3cr3t", "-allow", "10.0.0.0/8,10.0.0.0/33"}, nil, `-allow: webhooks: source "10.0.0.0/33" is neither an address nor a network`},
		{"bad env", []string{"-slack", "https://hooks.slack.com/services/s3cr3t"}, map[string]string{tableau.EnvServer: "https://tableau.example.com", tableau.EnvPATName: "ci"}, tableau.EnvPATSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := run(ctx, tc.args, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(out.String(), "s3cr3t") {
				t.Fatalf("a secret was shown: %v\n%s", err, out.String())
			}
		})
	}
}
