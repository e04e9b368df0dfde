package metadata

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// ControlPath is where Tableau Server serves the Metadata API's control
// endpoints: the Backfill API (initial ingestion) and the Eventing API
// (indexing progress). They are for server administrators, on Tableau
// Server only (Tableau Cloud does not serve them).
const ControlPath = "/api/metadata/v1/control"

// maxControlResponse caps a control endpoint's answer.
const maxControlResponse = 16 << 20

// EventingStatus is the Eventing API's answer: how far Tableau Server's
// indexing of content changes for Catalog and the Metadata API has come.
type EventingStatus struct {
	// ContentType is the content type indexed most recently, for example
	// "PublishedDatasource".
	ContentType string `json:"contentType"`
	// QueueSize is how many items wait to be indexed. A queue that grows
	// over time means indexing needs more backgrounder capacity.
	QueueSize int64 `json:"queueSize"`
	// CheckpointCreatedTime is when an item was last indexed (UTC); the
	// server records it every five minutes.
	CheckpointCreatedTime time.Time `json:"checkpointCreatedTime"`
}

// EventingStatus returns the indexing progress (GET
// /api/metadata/v1/control/eventing/status, TSC's
// metadata.eventing_status). It needs a server administrator's session.
func (c *Client) EventingStatus(ctx context.Context) (*EventingStatus, error) {
	data, err := c.control(ctx, "eventing/status")
	if err != nil {
		return nil, err
	}
	var st EventingStatus
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("metadata: eventing status is not the expected JSON: %w", err)
	}
	return &st, nil
}

// BackfillStatus returns the Backfill API's answer on the initial
// ingestion of content into Catalog (GET
// /api/metadata/v1/control/backfill/status, TSC's
// metadata.backfill_status) as the JSON the server sent, after checking
// that it is a JSON object. Tableau documents its summary fields
// (backfillComplete, contentBackfillTotalDurationSeconds,
// lineageBackfillTotalDurationSeconds) and, while content is being
// indexed, details per content type whose layout varies with the server
// version; the answer is therefore not decoded here. It needs a server
// administrator's session.
func (c *Client) BackfillStatus(ctx context.Context) (json.RawMessage, error) {
	data, err := c.control(ctx, "backfill/status")
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("metadata: backfill status is not a JSON object: %w", err)
	}
	return json.RawMessage(data), nil
}

// control GETs a control endpoint and returns its body.
func (c *Client) control(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.s.Send(ctx, &tableau.Request{
		Path:   ControlPath + "/" + path,
		Header: http.Header{"Accept": {"application/json"}},
	})
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxControlResponse+1))
	if err != nil {
		return nil, fmt.Errorf("metadata: reading %s: %w", path, err)
	}
	if len(data) > maxControlResponse {
		return nil, fmt.Errorf("metadata: %s answer larger than %d bytes", path, maxControlResponse)
	}
	return data, nil
}
