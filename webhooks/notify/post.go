package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tableau-go/sdk/webhooks"
)

// checkWebhookURL accepts https URLs, and http ones to loopback addresses
// only (tests and local relays).
func checkWebhookURL(kind, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("notify: %s webhook URL is not an absolute URL", kind)
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("notify: %s webhook URL must use https (http is allowed for loopback only)", kind)
		}
	default:
		return nil, fmt.Errorf("notify: %s webhook URL must use https", kind)
	}
	return u, nil
}

func defaultClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 15 * time.Second}
}

// postJSON posts v and classifies the answer: nil for 2xx; a RetryAfter error
// for 429; a Permanent error for other 4xx; a plain (retried) error for 5xx
// and transport failures. Errors never contain the URL, which is a secret.
func postJSON(ctx context.Context, c *http.Client, kind, u string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return webhooks.Permanent(fmt.Errorf("notify: %s: encoding the message: %w", kind, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return webhooks.Permanent(fmt.Errorf("notify: %s: building the request failed", kind))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return fmt.Errorf("notify: %s: posting failed: %w", kind, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	serr := &StatusError{Service: kind, StatusCode: resp.StatusCode, Body: string(bytes.TrimSpace(snippet))}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return webhooks.RetryAfter(retryAfter(resp.Header.Get("Retry-After")), serr)
	case resp.StatusCode == http.StatusRequestTimeout:
		return serr
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return webhooks.Permanent(serr)
	default:
		return serr
	}
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// StatusError is a non-2xx answer from Slack or Teams.
type StatusError struct {
	// Service is "slack" or "teams".
	Service string
	// StatusCode is the HTTP status.
	StatusCode int
	// Body is the start of the answer (Slack says what is wrong there, such
	// as "invalid_payload" or "channel_is_archived").
	Body string
}

func (e *StatusError) Error() string {
	if e.Body != "" {
		return fmt.Sprintf("notify: %s answered %d: %s", e.Service, e.StatusCode, e.Body)
	}
	return fmt.Sprintf("notify: %s answered %d", e.Service, e.StatusCode)
}
