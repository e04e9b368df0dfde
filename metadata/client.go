package metadata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/tableau-go/sdk/tableau"
)

// Path is where Tableau serves the Metadata API.
const Path = "/api/metadata/graphql"

// maxResponse caps a response body read into memory.
const maxResponse = 512 << 20

// Options configures a [Client]. A nil *Options uses every default.
type Options struct {
	// PageSize is how many nodes a pager asks for per page (first:).
	// Default: 100.
	PageSize int
	// RateRetries is how many times a query answered with RATE_EXCEEDED
	// (in the GraphQL errors, or HTTP 429 still after the session's own
	// retries, which honour Retry-After) is sent again, after a backoff.
	// Default: 5; a negative value disables these retries.
	RateRetries int
	// RateBackoff is the first wait after RATE_EXCEEDED; each retry doubles
	// it, up to 30 s. Default: 1 s.
	RateBackoff time.Duration
	// Sleep waits d or until ctx is done. Tests inject it. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client sends GraphQL queries to the Metadata API of a signed-in
// [tableau.Session], through the session's retrying transport with its
// token. It implements genqlient's [graphql.Client], so the generated
// query functions of this package take it. It is safe for concurrent use.
type Client struct {
	s    *tableau.Session
	opts Options
}

var _ graphql.Client = (*Client)(nil)

// New returns a Client on a session. The session must be signed in before
// queries are sent.
func New(s *tableau.Session, opts *Options) (*Client, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: metadata: nil session", tableau.ErrInvalidArgument)
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.PageSize < 0 || o.RateBackoff < 0 {
		return nil, fmt.Errorf("%w: metadata: Options.PageSize and Options.RateBackoff must not be negative", tableau.ErrInvalidArgument)
	}
	if o.PageSize == 0 {
		o.PageSize = 100
	}
	if o.RateRetries == 0 {
		o.RateRetries = 5
	}
	if o.RateRetries < 0 {
		o.RateRetries = 0
	}
	if o.RateBackoff == 0 {
		o.RateBackoff = time.Second
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Client{s: s, opts: o}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Query sends an ad hoc query with its variables (nil for none) and
// decodes the response's data into out (a pointer, or nil to discard it).
// When the server answers with errors, Query still decodes whatever data
// came with them into out and returns an [*Errors] (see [ErrPartial]).
func (c *Client) Query(ctx context.Context, query string, variables map[string]any, out any) error {
	return c.do(ctx, "", query, variables, out, nil)
}

// MakeRequest implements genqlient's [graphql.Client]: it sends req and
// fills resp.Data. GraphQL errors come back as an [*Errors] (with the data
// that came with them decoded).
func (c *Client) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	return c.do(ctx, req.OpName, req.Query, req.Variables, resp.Data, &resp.Extensions)
}

type wireRequest struct {
	Query         string `json:"query"`
	OperationName string `json:"operationName,omitempty"`
	Variables     any    `json:"variables,omitempty"`
}

type wireResponse struct {
	Data       json.RawMessage `json:"data"`
	Errors     []GraphQLError  `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

func (c *Client) do(ctx context.Context, op, query string, vars, out any, ext *map[string]any) error {
	if ctx == nil {
		return fmt.Errorf("%w: metadata: nil context", tableau.ErrInvalidArgument)
	}
	if query == "" {
		return fmt.Errorf("%w: metadata: empty query", tableau.ErrInvalidArgument)
	}
	body, err := json.Marshal(wireRequest{Query: query, OperationName: op, Variables: vars})
	if err != nil {
		return fmt.Errorf("metadata: encoding variables: %w", err)
	}
	for attempt := 0; ; attempt++ {
		wr, err := c.send(ctx, body)
		if err != nil && attempt < c.opts.RateRetries && errors.Is(err, tableau.ErrRateLimited) {
			// Still HTTP 429 after the session's own retries.
			if err := c.backoff(ctx, op, attempt); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if ext != nil {
			*ext = wr.Extensions
		}
		var gerr *Errors
		if len(wr.Errors) > 0 {
			gerr = &Errors{Op: op, List: wr.Errors, Partial: hasData(wr.Data)}
		}
		if gerr != nil && !gerr.Partial && attempt < c.opts.RateRetries && errors.Is(gerr, ErrRateExceeded) {
			if err := c.backoff(ctx, op, attempt); err != nil {
				return err
			}
			continue
		}
		if out != nil && hasData(wr.Data) {
			if err := json.Unmarshal(wr.Data, out); err != nil {
				return fmt.Errorf("metadata: %s: decoding data: %w", opName(op), err)
			}
		}
		if gerr != nil {
			return gerr
		}
		return nil
	}
}

// backoff waits before the next attempt after RATE_EXCEEDED.
func (c *Client) backoff(ctx context.Context, op string, attempt int) error {
	wait := min(c.opts.RateBackoff<<attempt, 30*time.Second)
	if l := c.s.Logger(); l != nil {
		l.WarnContext(ctx, "metadata: rate exceeded, backing off", "op", opName(op), "wait", wait, "attempt", attempt+1)
	}
	return c.opts.Sleep(ctx, wait)
}

func hasData(d json.RawMessage) bool {
	d = bytes.TrimSpace(d)
	return len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

func opName(op string) string {
	if op == "" {
		return "query"
	}
	return op
}

// send posts one request body and decodes the response envelope.
func (c *Client) send(ctx context.Context, body []byte) (*wireResponse, error) {
	resp, err := c.s.Send(ctx, &tableau.Request{
		Method:        http.MethodPost,
		Path:          Path,
		ContentType:   "application/json",
		Header:        http.Header{"Accept": {"application/json"}},
		GetBody:       tableau.BytesBody(body),
		ContentLength: int64(len(body)),
		Idempotent:    true, // queries only read
	})
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("metadata: reading response: %w", err)
	}
	if len(data) > maxResponse {
		return nil, fmt.Errorf("metadata: response larger than %d bytes", maxResponse)
	}
	var wr wireResponse
	if err := json.Unmarshal(data, &wr); err != nil {
		return nil, fmt.Errorf("metadata: response is not GraphQL JSON (HTTP %d): %w", resp.StatusCode, err)
	}
	return &wr, nil
}
