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

// DataAlert is a data-driven alert on a view.
type DataAlert struct {
	ID         string    `xml:"id,attr"`
	Subject    string    `xml:"subject,attr"`
	CreatorID  string    `xml:"creatorId,attr"`
	Frequency  string    `xml:"frequency,attr"` // once, frequently, hourly, daily, weekly
	Public     bool      `xml:"public,attr"`
	CreatedAt  time.Time `xml:"createdAt,attr"`
	UpdatedAt  time.Time `xml:"updatedAt,attr"`
	Owner      Owner     `xml:"owner"`
	View       Owner     `xml:"view"` // id and name of the view
	Recipients []struct {
		ID string `xml:"id,attr"`
	} `xml:"recipients>recipient"`
}

// DataAlertsService manages data-driven alerts. c.DataAlerts.
type DataAlertsService struct{ service }

type alertList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Alerts     []DataAlert        `xml:"dataAlerts>dataAlert"`
}

type alertResponse struct {
	Alert *DataAlert `xml:"dataAlert"`
}

var alertFrequencies = []string{"once", "frequently", "hourly", "daily", "weekly"}

// List returns a pager over the site's data-driven alerts.
func (sv *DataAlertsService) List(opts *tableau.ListOptions) *tableau.Pager[DataAlert] {
	path, err := sv.sitePath("DataAlerts.List", "dataAlerts")
	if err != nil {
		return tableau.ErrorPager[DataAlert](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *alertList) ([]DataAlert, tableau.Pagination) {
		return r.Alerts, r.Pagination
	})
}

func (sv *DataAlertsService) send(ctx context.Context, m, method string, body any, elem ...string) (*DataAlert, error) {
	return sendOne(ctx, sv.service, m, method, "dataAlert", body, func(r *alertResponse) *DataAlert { return r.Alert }, elem...)
}

// Get returns the alert with id.
func (sv *DataAlertsService) Get(ctx context.Context, id string) (*DataAlert, error) {
	const m = "DataAlerts.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "GET", nil, "dataAlerts", id)
}

// DataAlertCreate describes a new alert (Create Data-Driven Alert, API 3.20).
type DataAlertCreate struct {
	ViewID    string // required
	Subject   string // required
	Condition string // required, for example "above"
	Threshold string // required, for example "1000"
	// Frequency is once, frequently, hourly, daily or weekly. Default: once.
	Frequency string
	Public    bool
}

// Create creates an alert on a view.
func (sv *DataAlertsService) Create(ctx context.Context, in DataAlertCreate) (*DataAlert, error) {
	const m = "DataAlerts.Create"
	for _, f := range []struct{ n, v string }{{"ViewID", in.ViewID}, {"Subject", in.Subject}, {"Condition", in.Condition}, {"Threshold", in.Threshold}} {
		if strings.TrimSpace(f.v) == "" {
			return nil, fmt.Errorf("rest.%s: %w: %s is empty", m, tableau.ErrInvalidArgument, f.n)
		}
	}
	if in.Frequency == "" {
		in.Frequency = "once"
	}
	if !slices.Contains(alertFrequencies, in.Frequency) {
		return nil, fmt.Errorf("rest.%s: %w: Frequency %q is not one of %s", m, tableau.ErrInvalidArgument, in.Frequency, strings.Join(alertFrequencies, ", "))
	}
	vis := "private"
	if in.Public {
		vis = "public"
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Create  struct {
			Subject    string `xml:"subject,attr"`
			Frequency  string `xml:"frequency,attr"`
			Visibility string `xml:"visibility,attr"`
			Condition  string `xml:"alertCondition,attr"`
			Threshold  string `xml:"alertThreshold,attr"`
			View       idElem `xml:"view"`
		} `xml:"dataAlertCreateAlert"`
	}{}
	c := &req.Create
	c.Subject, c.Frequency, c.Visibility, c.Condition, c.Threshold, c.View = in.Subject, in.Frequency, vis, in.Condition, in.Threshold, idElem{ID: in.ViewID}
	return sv.send(ctx, m, "POST", req, "dataAlerts")
}

// DataAlertUpdate changes an alert; nil fields stay as they are.
type DataAlertUpdate struct {
	Subject   *string
	Frequency *string
	Public    *bool
	OwnerID   *string
}

// Update changes the alert with id.
func (sv *DataAlertsService) Update(ctx context.Context, id string, in DataAlertUpdate) (*DataAlert, error) {
	const m = "DataAlerts.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if in.Frequency != nil && !slices.Contains(alertFrequencies, *in.Frequency) {
		return nil, fmt.Errorf("rest.%s: %w: Frequency %q is not one of %s", m, tableau.ErrInvalidArgument, *in.Frequency, strings.Join(alertFrequencies, ", "))
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Alert   struct {
			Subject   *string `xml:"subject,attr,omitempty"`
			Frequency *string `xml:"frequency,attr,omitempty"`
			Public    *string `xml:"public,attr,omitempty"`
			Owner     *idElem `xml:"owner,omitempty"`
		} `xml:"dataAlert"`
	}{}
	req.Alert.Subject, req.Alert.Frequency = in.Subject, in.Frequency
	if in.Public != nil {
		req.Alert.Public = boolStrp(*in.Public)
	}
	if in.OwnerID != nil {
		req.Alert.Owner = &idElem{ID: *in.OwnerID}
	}
	return sv.send(ctx, m, "PUT", req, "dataAlerts", id)
}

// Delete deletes the alert with id.
func (sv *DataAlertsService) Delete(ctx context.Context, id string) error {
	const m = "DataAlerts.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "dataAlerts", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// AddUser adds a recipient to a (public) alert.
func (sv *DataAlertsService) AddUser(ctx context.Context, id, userID string) (*DataAlert, error) {
	const m = "DataAlerts.AddUser"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := need(m, "userID", userID); err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "POST", memberRequest{User: &idElem{ID: userID}}, "dataAlerts", id, "users")
}

// RemoveUser removes a recipient from an alert.
func (sv *DataAlertsService) RemoveUser(ctx context.Context, id, userID string) error {
	const m = "DataAlerts.RemoveUser"
	if err := need(m, "id", id); err != nil {
		return err
	}
	if err := need(m, "userID", userID); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "dataAlerts", id, "users", userID)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
