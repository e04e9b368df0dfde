package tableau

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	sdk "github.com/tableau-go/sdk"
)

// UserAgent is the User-Agent header of every request.
const UserAgent = "tableau-go/" + sdk.Version

// Request is one REST API call for [Session.Send]. Services in package rest
// build them; most use the shortcuts [Session.Get], [Session.Post],
// [Session.Put] and [Session.Delete].
type Request struct {
	// Method is the HTTP method. Default: GET.
	Method string
	// Path is relative to /api/{version}/ (for example "sites/ID/projects",
	// see [Session.SitePath]), or, when it starts with "/", to the server's
	// root (for example "/api/metadata/graphql").
	Path string
	// Query parameters.
	Query url.Values
	// Header holds extra headers. The session sets User-Agent and
	// X-Tableau-Auth itself.
	Header http.Header
	// ContentType of the body. Default: "application/xml" when there is a body.
	ContentType string
	// GetBody returns a fresh copy of the body for every attempt, so the
	// request can be retried, replayed after a re-sign-in and redirected
	// (open a file, or wrap bytes). See [XMLBody].
	GetBody func() (io.ReadCloser, error)
	// Body is a one-shot body (a stream) used when GetBody is nil. A request
	// with a one-shot body is sent once: it is not retried, replayed or
	// redirected.
	Body io.Reader
	// ContentLength of the body; 0 with a body means unknown.
	ContentLength int64
	// Idempotent marks a request with a non-idempotent method (POST) as safe
	// to repeat after 5xx responses and reset connections.
	Idempotent bool
	// NoAuth sends the request without the session token and does not sign
	// in again on 401.
	NoAuth bool
}

// XMLBody marshals v (a struct with XMLName tsRequest, usually) into a
// rewindable body for [Request].GetBody, and returns its length.
func XMLBody(v any) (func() (io.ReadCloser, error), int64, error) {
	data, err := xml.Marshal(v)
	if err != nil {
		return nil, 0, fmt.Errorf("tableau: encoding request XML: %w", err)
	}
	return BytesBody(data), int64(len(data)), nil
}

// BytesBody returns a rewindable body over data.
func BytesBody(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}

// SitePath returns "sites/{site-id}/elem/elem..." for the signed-in site,
// each element path-escaped, for [Request].Path. It fails with
// [ErrNotSignedIn] before SignIn.
func (s *Session) SitePath(elem ...string) (string, error) {
	id := s.SiteID()
	if id == "" {
		return "", ErrNotSignedIn
	}
	return JoinPath(append([]string{"sites", id}, elem...)...), nil
}

// JoinPath joins path elements, escaping each one.
func JoinPath(elem ...string) string {
	parts := make([]string, len(elem))
	for i, e := range elem {
		parts[i] = url.PathEscape(e)
	}
	return strings.Join(parts, "/")
}

// Get sends GET path?query and decodes the XML response into out (if not nil).
func (s *Session) Get(ctx context.Context, path string, query url.Values, out any) error {
	return s.Do(ctx, &Request{Method: http.MethodGet, Path: path, Query: query}, out)
}

// Post sends in (marshalled as XML, if not nil) with POST and decodes the
// response into out (if not nil).
func (s *Session) Post(ctx context.Context, path string, query url.Values, in, out any) error {
	return s.doXML(ctx, http.MethodPost, path, query, in, out)
}

// Put is like [Session.Post] with PUT.
func (s *Session) Put(ctx context.Context, path string, query url.Values, in, out any) error {
	return s.doXML(ctx, http.MethodPut, path, query, in, out)
}

// Delete sends DELETE path.
func (s *Session) Delete(ctx context.Context, path string, query url.Values) error {
	return s.Do(ctx, &Request{Method: http.MethodDelete, Path: path, Query: query}, nil)
}

func (s *Session) doXML(ctx context.Context, method, path string, query url.Values, in, out any) error {
	r := &Request{Method: method, Path: path, Query: query}
	if in != nil {
		body, n, err := XMLBody(in)
		if err != nil {
			return err
		}
		r.GetBody, r.ContentLength = body, n
	}
	return s.Do(ctx, r, out)
}

// Do sends r with [Session.Send] and decodes the XML response into out, or
// discards it if out is nil.
func (s *Session) Do(ctx context.Context, r *Request, out any) error {
	resp, err := s.Send(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	}
	if err := xml.NewDecoder(resp.Body).Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("tableau: %s %s: empty response body", resp.Request.Method, redactURL(resp.Request.URL))
		}
		return fmt.Errorf("tableau: %s %s: decoding response XML: %w", resp.Request.Method, redactURL(resp.Request.URL), err)
	}
	return nil
}

// Send sends r and returns the response of a 2xx status, whose body the
// caller must close (it streams: use it for downloads). Other statuses
// return an [*Error]. Send retries as [RetryPolicy] says, follows redirects
// within the server's registrable domain, and on an expired session (401
// with code 401002) signs in again once and replays r.
func (s *Session) Send(ctx context.Context, r *Request) (*http.Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	replayable := r.GetBody != nil || r.Body == nil
	for attempt := 0; ; attempt++ {
		token := ""
		if !r.NoAuth {
			token = s.currentToken()
			if token == "" {
				return nil, fmt.Errorf("tableau: %s %s: %w", methodOf(r), r.Path, ErrNotSignedIn)
			}
		}
		resp, err := s.send(ctx, r, token, false)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			return resp, nil
		}
		apiErr := s.errorFrom(resp)
		if !r.NoAuth && attempt == 0 && replayable && apiErr.SessionExpired() {
			if err := s.renew(ctx, token); err != nil {
				return nil, fmt.Errorf("tableau: signing in again after the session expired: %w", err)
			}
			continue
		}
		return nil, apiErr
	}
}

// errorFrom reads and closes an error response.
func (s *Session) errorFrom(resp *http.Response) *Error {
	defer resp.Body.Close()
	e := parseError(resp.StatusCode, resp.Body, resp.Request.Method, redactURL(resp.Request.URL))
	e.Summary = s.redact(e.Summary)
	e.Detail = s.redact(e.Detail)
	return e
}

func methodOf(r *Request) string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// buildURL returns the URL of r under the session's current base.
func (s *Session) buildURL(r *Request) (*url.URL, error) {
	s.mu.RLock()
	base := *s.base
	version := s.version
	s.mu.RUnlock()
	p := r.Path
	if !strings.HasPrefix(p, "/") {
		if version == "" {
			version = bootstrapVersion
		}
		p = "/api/" + version + "/" + p
	}
	ref, err := url.Parse(p)
	if err != nil {
		return nil, fmt.Errorf("%w: request path %q: %v", ErrInvalidArgument, r.Path, err)
	}
	u := base
	u.Path = base.Path + ref.Path
	u.RawPath = ""
	if ref.RawPath != "" {
		u.RawPath = base.Path + ref.RawPath
	}
	q := ref.Query()
	for k, vs := range r.Query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = EncodeQuery(q)
	return &u, nil
}

// EncodeQuery encodes query parameters sorted by key, escaping spaces as
// %20 (not "+"), which every server reads the same way.
func EncodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

// send sends one request through the retrying transport and follows
// redirects. adopt makes a followed redirect move the session's base URL
// to the new host (Tableau Cloud's sign-in redirect to another pod).
func (s *Session) send(ctx context.Context, r *Request, token string, adopt bool) (*http.Response, error) {
	u, err := s.buildURL(r)
	if err != nil {
		return nil, err
	}
	method := methodOf(r)
	for hop := 0; ; hop++ {
		resp, err := s.attempt(ctx, r, method, u, token)
		if err != nil {
			return nil, err
		}
		if !isRedirect(resp.StatusCode) {
			if hop > 0 && adopt {
				s.adoptBase(u)
			}
			return resp, nil
		}
		loc := resp.Header.Get("Location")
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		if hop >= maxRedirects {
			return nil, fmt.Errorf("%w: more than %d redirects from %s", ErrRedirect, maxRedirects, redactURL(u))
		}
		if r.GetBody == nil && r.Body != nil {
			return nil, fmt.Errorf("%w: %s %s redirected, but its one-shot body cannot be sent again", ErrRedirect, method, redactURL(u))
		}
		next, err := redirectTarget(u, loc)
		if err != nil {
			s.logWarn(ctx, "tableau: redirect refused", "from", redactURL(u), "error", err)
			return nil, err
		}
		s.logInfo(ctx, "tableau: following redirect", "from", redactURL(u), "to", redactURL(next), "status", resp.StatusCode)
		u = next
	}
}

// adoptBase moves the session to the scheme and host of u.
func (s *Session) adoptBase(u *url.URL) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base.Host != u.Host || s.base.Scheme != u.Scheme {
		b := *s.base
		b.Scheme, b.Host = u.Scheme, u.Host
		s.base = &b
	}
}

func (s *Session) logWarn(ctx context.Context, msg string, args ...any) {
	if s.log != nil {
		s.log.WarnContext(ctx, msg, args...)
	}
}

// attempt sends one request (one hop) with retries.
func (s *Session) attempt(ctx context.Context, r *Request, method string, u *url.URL, token string) (*http.Response, error) {
	var rawBody any
	oneShot := false
	switch {
	case r.GetBody != nil:
		get := r.GetBody
		rawBody = retryablehttp.ReaderFunc(func() (io.Reader, error) { return get() })
	case r.Body != nil:
		oneShot = true
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return nil, fmt.Errorf("tableau: building request %s %s: %w", method, redactURL(u), err)
	}
	if oneShot {
		req.Body = io.NopCloser(r.Body)
		req.GetBody = nil
	}
	if r.ContentLength > 0 {
		req.ContentLength = r.ContentLength
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", UserAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/xml")
	}
	if rawBody != nil || oneShot {
		switch {
		case r.ContentType != "":
			req.Header.Set("Content-Type", r.ContentType)
		case req.Header.Get("Content-Type") == "":
			req.Header.Set("Content-Type", "application/xml")
		}
	}
	if token != "" {
		req.Header.Set("X-Tableau-Auth", token)
	}

	idempotent := (isIdempotent(method) || r.Idempotent) && !oneShot
	maxRetries := s.retry.MaxRetries
	if oneShot {
		maxRetries = 0
	}
	var (
		sleepErr error
		started  time.Time
		tries    int
	)
	logURL := redactURL(u)
	client := &retryablehttp.Client{
		HTTPClient: s.http,
		RetryMax:   maxRetries,
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, _ int) {
			started = time.Now()
			tries++
		},
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			s.logAttempt(ctx, method, logURL, tries, started, resp, err)
			if ctxErr := ctx.Err(); ctxErr != nil {
				return false, ctxErr
			}
			if err != nil {
				return idempotent && isConnReset(err), err
			}
			switch resp.StatusCode {
			case http.StatusTooManyRequests:
				d, ok := retryAfter(resp.Header.Get("Retry-After"), s.retry.Now())
				if ok && d > s.retry.MaxRetryAfter {
					return false, nil
				}
				if ok {
					s.pauseFor(d)
				}
				return true, nil
			case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				return idempotent, nil
			}
			return false, nil
		},
		Backoff: func(_, _ time.Duration, attemptNum int, resp *http.Response) time.Duration {
			d := s.retry.wait(attemptNum, resp)
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			s.logInfo(ctx, "tableau: retrying", "method", method, "url", logURL, "status", status, "retry", attemptNum+1, "wait", d)
			sleepErr = s.retry.Sleep(ctx, d)
			return 0 // the wait is over (or cut short by ctx)
		},
		PrepareRetry: func(*http.Request) error { return sleepErr },
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	// A 429 seen by any request of the session holds back the new ones too.
	if err := s.waitPause(ctx); err != nil {
		return nil, fmt.Errorf("tableau: %s %s: %w", method, logURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return nil, fmt.Errorf("tableau: %s %s: %w", method, logURL, s.redactErr(err))
	}
	return resp, nil
}

// logAttempt logs one HTTP attempt at Debug level, without headers or bodies.
func (s *Session) logAttempt(ctx context.Context, method, url string, try int, started time.Time, resp *http.Response, err error) {
	if s.log == nil {
		return
	}
	args := []any{"method", method, "url", url, "attempt", try, "elapsed", time.Since(started)}
	if resp != nil {
		args = append(args, "status", resp.StatusCode)
	}
	if err != nil {
		args = append(args, "error", s.redact(err.Error()))
	}
	s.log.DebugContext(ctx, "tableau: http", args...)
}

// pauseFor holds back the session's new requests for d from now: the
// server's Retry-After applies to the whole session, not only to the
// request that got the 429.
func (s *Session) pauseFor(d time.Duration) {
	until := s.retry.Now().Add(d)
	s.mu.Lock()
	if until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
	s.mu.Unlock()
}

// waitPause waits until the session's rate-limit pause is over, or ctx ends.
func (s *Session) waitPause(ctx context.Context) error {
	s.mu.RLock()
	until := s.pausedUntil
	s.mu.RUnlock()
	if until.IsZero() {
		return nil
	}
	d := until.Sub(s.retry.Now())
	if d <= 0 {
		return nil
	}
	s.logInfo(ctx, "tableau: waiting for the server's rate limit", "wait", d)
	return s.retry.Sleep(ctx, d)
}
