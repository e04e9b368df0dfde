package tableautest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// WebhookDelivery is one attempt to deliver a webhook, for tests.
type WebhookDelivery struct {
	WebhookID string
	URL       string
	// Event is the payload's event_type, or "test" for Test a Webhook.
	Event string
	// Attempt counts from 1 for each event delivery.
	Attempt int
	// Status is the destination's HTTP status, 0 when there was none.
	Status int
	// Err is the transport error, "" when the destination answered.
	Err string
	At  time.Time
}

// Webhook delivery policy of the emulator. Tableau retries failed
// deliveries and disables a webhook that keeps failing; the emulator does
// the same with these defaults, which [Server.SetWebhookRetry] changes.
const (
	defaultWebhookAttempts = 4               // one delivery and three retries
	defaultWebhookBackoff  = 2 * time.Second // doubled after each failed attempt
	webhookTimeout         = 10 * time.Second
	// webhookDisableAfter consecutive failed events disable a webhook with
	// statusChangeReason "Disabled due to too many failed attempts".
	webhookDisableAfter = 10
)

// deliveryState is the webhook delivery's configuration and log. It has its
// own lock, so deliveries never hold store.mu while waiting on the network.
type deliveryState struct {
	mu       sync.Mutex
	attempts int
	backoff  time.Duration
	log      []WebhookDelivery
	client   *http.Client
	// inflight counts the deliveries in progress; idle, when set, is
	// closed when it drops to zero (WaitWebhooks). Unlike a WaitGroup,
	// deliveries may begin while someone waits (events emitted by timers).
	inflight int
	idle     chan struct{}
}

// begin and end bracket one delivery (retries included).
func (d *deliveryState) begin() {
	d.mu.Lock()
	d.inflight++
	d.mu.Unlock()
}

func (d *deliveryState) end() {
	d.mu.Lock()
	d.inflight--
	if d.inflight == 0 && d.idle != nil {
		close(d.idle)
		d.idle = nil
	}
	d.mu.Unlock()
}

// wait blocks until no delivery is in progress or ctx ends.
func (d *deliveryState) wait(ctx context.Context) error {
	d.mu.Lock()
	if d.inflight == 0 {
		d.mu.Unlock()
		return nil
	}
	if d.idle == nil {
		d.idle = make(chan struct{})
	}
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) delivery() *deliveryState {
	return s.store.gov.delivery
}

// SetWebhookRetry sets how many times the server tries to deliver one event
// (at least 1) and the wait before the first retry, doubled after each
// further failure. Default: 4 attempts, 2 s.
func (s *Server) SetWebhookRetry(attempts int, backoff time.Duration) {
	d := s.delivery()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.attempts = max(attempts, 1)
	d.backoff = max(backoff, 0)
}

// WebhookDeliveries returns every delivery attempt so far, in order.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	d := s.delivery()
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]WebhookDelivery(nil), d.log...)
}

// WaitWebhooks blocks until the deliveries in progress (retries included)
// are done or ctx ends.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	return s.delivery().wait(ctx)
}

func (s *Server) recordDelivery(rec WebhookDelivery) {
	d := s.delivery()
	d.mu.Lock()
	d.log = append(d.log, rec)
	d.mu.Unlock()
	s.log.Debug("tableautest: webhook delivery", "webhook", rec.WebhookID, "event", rec.Event, "attempt", rec.Attempt, "status", rec.Status)
}

// startWebhookDelivery subscribes the delivery to the server's events.
func (s *Server) startWebhookDelivery() {
	s.store.gov.delivery = &deliveryState{
		attempts: defaultWebhookAttempts,
		backoff:  defaultWebhookBackoff,
		client: &http.Client{
			Timeout: webhookTimeout,
			// Tableau does not follow redirects of webhook destinations.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	s.onEvent(s.deliverEvent)
}

// webhookPayload is the JSON body Tableau posts.
type webhookPayload struct {
	Resource     string `json:"resource"`
	EventType    string `json:"event_type"`
	ResourceName string `json:"resource_name"`
	SiteLUID     string `json:"site_luid"`
	ResourceLUID string `json:"resource_luid"`
	CreatedAt    string `json:"created_at"`
}

func testPayload(w webhook, now time.Time) []byte {
	b, _ := json.Marshal(map[string]string{
		"webhook_luid": w.ID,
		"webhook_name": w.Name,
		"site_luid":    w.SiteID,
		"created_at":   now.UTC().Format(time.RFC3339),
		"text":         "This is a test of the webhook " + w.Name + ".",
	})
	return b
}

// deliverEvent posts an event to every enabled webhook of its site that
// subscribes to it, each on its own goroutine with retries.
func (s *Server) deliverEvent(e event) {
	info, ok := findWebhookEvent(e.Type)
	if !ok {
		return
	}
	body, _ := json.Marshal(webhookPayload{
		Resource:     info.resource,
		EventType:    info.payload,
		ResourceName: e.ResourceName,
		SiteLUID:     e.SiteID,
		ResourceLUID: e.ResourceID,
		CreatedAt:    e.At.UTC().Format("2006-01-02T15:04:05.000Z"),
	})
	s.store.mu.RLock()
	var targets []webhook
	for _, id := range s.store.gov.webhooks.order {
		w := s.store.gov.webhooks.byID[id]
		if w.SiteID == e.SiteID && w.Enabled && w.Event == info.source {
			targets = append(targets, *w)
		}
	}
	s.store.mu.RUnlock()
	d := s.delivery()
	for _, w := range targets {
		d.begin()
		go func() {
			defer d.end()
			s.deliverWithRetries(w, info.payload, body)
		}()
	}
}

func (s *Server) deliverWithRetries(w webhook, eventType string, body []byte) {
	d := s.delivery()
	d.mu.Lock()
	attempts, wait := d.attempts, d.backoff
	d.mu.Unlock()
	ok := false
	for a := 1; a <= attempts; a++ {
		status, _, err := s.postWebhook(context.Background(), w.URL, body)
		s.recordDelivery(WebhookDelivery{WebhookID: w.ID, URL: w.URL, Event: eventType, Attempt: a, Status: status, Err: errString(err), At: time.Now()})
		if err == nil && status >= 200 && status <= 299 {
			ok = true
			break
		}
		if a < attempts {
			time.Sleep(wait)
			wait *= 2
		}
	}
	s.store.mu.Lock()
	if cur := s.store.gov.webhooks.byID[w.ID]; cur != nil {
		if ok {
			cur.failures = 0
		} else {
			cur.failures++
			if cur.failures >= webhookDisableAfter && cur.Enabled {
				cur.Enabled = false
				cur.StatusReason = "Disabled due to too many failed attempts"
				cur.Updated = s.now()
			}
		}
	}
	s.store.mu.Unlock()
}

// postWebhook sends one POST and returns the status and (at most 64 KiB of)
// the body.
func (s *Server) postWebhook(ctx context.Context, url string, body []byte) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Tableau-Webhooks (tableautest)")
	resp, err := s.delivery().client.Do(req)
	if err != nil {
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap()
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, string(b), nil
}
