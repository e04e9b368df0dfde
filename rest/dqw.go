package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Data quality warning types, as the REST API spells them (the UI shows
// "Deprecated", "Stale data", "Under maintenance" and so on).
const (
	DQWDeprecated       = "DEPRECATED"
	DQWWarning          = "WARNING"
	DQWStaleData        = "STALE"
	DQWUnderMaintenance = "MAINTENANCE"
	DQWSensitiveData    = "SENSITIVE_DATA"
)

var dqwTypes = []string{DQWDeprecated, DQWWarning, DQWStaleData, DQWUnderMaintenance, DQWSensitiveData}
var dqwKinds = []string{"datasource", "table", "database", "flow", "virtualconnection"}

// DataQualityWarning is a warning shown on a data source, table, database,
// flow or virtual connection.
type DataQualityWarning struct {
	ID        string    `xml:"id,attr"`
	Type      string    `xml:"type,attr"`
	Message   string    `xml:"message,attr"`
	Active    bool      `xml:"isActive,attr"`
	Severe    bool      `xml:"isSevere,attr"`
	CreatedAt time.Time `xml:"createdAt,attr"`
	UpdatedAt time.Time `xml:"updatedAt,attr"`
	Owner     Owner     `xml:"owner"`
	Content   struct {
		ID   string `xml:"id,attr"`
		Type string `xml:"type,attr"`
	} `xml:"content"`
}

// DQWService manages data quality warnings. c.DataQualityWarnings.
type DQWService struct{ service }

// DQWSpec describes a warning.
type DQWSpec struct {
	Type    string // required: one of the DQW* types
	Message string
	// Inactive hides the warning. Default: false (active).
	Inactive bool
	Severe   bool
}

type dqwRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	W       struct {
		Type     string `xml:"type,attr"`
		Message  string `xml:"message,attr"`
		IsActive string `xml:"isActive,attr"`
		IsSevere string `xml:"isSevere,attr"`
	} `xml:"dataQualityWarning"`
}

func (d DQWSpec) request(m string) (dqwRequest, error) {
	var req dqwRequest
	if !slices.Contains(dqwTypes, d.Type) {
		return req, fmt.Errorf("rest.%s: %w: Type %q is not one of %s", m, tableau.ErrInvalidArgument, d.Type, strings.Join(dqwTypes, ", "))
	}
	req.W.Type, req.W.Message = d.Type, d.Message
	req.W.IsActive, req.W.IsSevere = fmt.Sprint(!d.Inactive), fmt.Sprint(d.Severe)
	return req, nil
}

func checkDQWKind(m, kind string) error {
	if !slices.Contains(dqwKinds, kind) {
		return fmt.Errorf("rest.%s: %w: kind %q is not one of %s", m, tableau.ErrInvalidArgument, kind, strings.Join(dqwKinds, ", "))
	}
	return nil
}

type dqwResponse struct {
	W    *DataQualityWarning  `xml:"dataQualityWarning"`
	List []DataQualityWarning `xml:"dataQualityWarningList>dataQualityWarning"`
}

// Add adds a warning to an item.
func (sv *DQWService) Add(ctx context.Context, kind, id string, spec DQWSpec) (*DataQualityWarning, error) {
	const m = "DataQualityWarnings.Add"
	if err := checkDQWKind(m, kind); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req, err := spec.request(m)
	if err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", kind, id)
	if err != nil {
		return nil, err
	}
	var r dqwResponse
	if err := sv.s.Post(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.W == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <dataQualityWarning>", m)
	}
	return r.W, nil
}

// List returns the warnings of an item.
func (sv *DQWService) List(ctx context.Context, kind, id string) ([]DataQualityWarning, error) {
	const m = "DataQualityWarnings.List"
	if err := checkDQWKind(m, kind); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", kind, id)
	if err != nil {
		return nil, err
	}
	var r dqwResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	return r.List, nil
}

// Get returns the warning with id.
func (sv *DQWService) Get(ctx context.Context, id string) (*DataQualityWarning, error) {
	const m = "DataQualityWarnings.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", id)
	if err != nil {
		return nil, err
	}
	var r dqwResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.W == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <dataQualityWarning>", m)
	}
	return r.W, nil
}

// Update replaces the warning with id by spec.
func (sv *DQWService) Update(ctx context.Context, id string, spec DQWSpec) (*DataQualityWarning, error) {
	const m = "DataQualityWarnings.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req, err := spec.request(m)
	if err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", id)
	if err != nil {
		return nil, err
	}
	var r dqwResponse
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.W == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <dataQualityWarning>", m)
	}
	return r.W, nil
}

// Delete deletes the warning with id.
func (sv *DQWService) Delete(ctx context.Context, id string) error {
	const m = "DataQualityWarnings.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// DeleteAll deletes every warning of an item.
func (sv *DQWService) DeleteAll(ctx context.Context, kind, id string) error {
	const m = "DataQualityWarnings.DeleteAll"
	if err := checkDQWKind(m, kind); err != nil {
		return err
	}
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "dataQualityWarnings", kind, id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
