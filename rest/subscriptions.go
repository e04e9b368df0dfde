package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Subscription is an email subscription of a user to a view or workbook.
type Subscription struct {
	ID              string `xml:"id,attr"`
	Subject         string `xml:"subject,attr"`
	Message         string `xml:"message,attr"`
	AttachImage     bool   `xml:"attachImage,attr"`
	AttachPdf       bool   `xml:"attachPdf,attr"`
	PageOrientation string `xml:"pageOrientation,attr"`
	PageSizeOption  string `xml:"pageSizeOption,attr"`
	Suspended       bool   `xml:"suspended,attr"`
	Content         struct {
		ID              string `xml:"id,attr"`
		Type            string `xml:"type,attr"` // View or Workbook
		SendIfViewEmpty bool   `xml:"sendIfViewEmpty,attr"`
	} `xml:"content"`
	// Schedule is the server schedule (ID and Name) or, on Tableau Cloud,
	// the subscription's own schedule (Frequency, NextRunAt and
	// FrequencyDetails, no ID).
	Schedule struct {
		ID               string           `xml:"id,attr"`
		Name             string           `xml:"name,attr"`
		Frequency        string           `xml:"frequency,attr"`
		NextRunAt        time.Time        `xml:"nextRunAt,attr"`
		FrequencyDetails FrequencyDetails `xml:"frequencyDetails"`
	} `xml:"schedule"`
	User struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"user"`
}

// SubscriptionsService manages subscriptions. c.Subscriptions.
type SubscriptionsService struct{ service }

type subscriptionList struct {
	Pagination    tableau.Pagination `xml:"pagination"`
	Subscriptions []Subscription     `xml:"subscriptions>subscription"`
}

type subscriptionResponse struct {
	Subscription *Subscription `xml:"subscription"`
}

// List returns a pager over the site's subscriptions.
func (sv *SubscriptionsService) List(opts *tableau.ListOptions) *tableau.Pager[Subscription] {
	path, err := sv.sitePath("Subscriptions.List", "subscriptions")
	if err != nil {
		return tableau.ErrorPager[Subscription](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *subscriptionList) ([]Subscription, tableau.Pagination) {
		return r.Subscriptions, r.Pagination
	})
}

// Get returns the subscription with id.
func (sv *SubscriptionsService) Get(ctx context.Context, id string) (*Subscription, error) {
	const m = "Subscriptions.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "GET", nil, "subscriptions", id)
}

// SubscriptionCreate describes a new subscription.
type SubscriptionCreate struct {
	Subject     string // required
	ContentType string // required: View or Workbook
	ContentID   string // required
	// ScheduleID is a server schedule of type Subscription (Tableau
	// Server). Exactly one of ScheduleID and Recurrence is required.
	ScheduleID string
	// Recurrence is the subscription's own schedule, as Tableau Cloud
	// makes them (see [DailyRecurrence] and the others).
	Recurrence  *Recurrence
	UserID      string // required
	Message     string
	AttachImage bool
	AttachPdf   bool
	// PageOrientation is PORTRAIT or LANDSCAPE (PDF attachments). Default: the server's.
	PageOrientation string
	SendIfViewEmpty bool
}

// SubscriptionUpdate changes a subscription; nil fields stay as they are.
type SubscriptionUpdate struct {
	Subject    *string
	ScheduleID *string
	// Recurrence moves the subscription to a schedule of its own (Tableau
	// Cloud). Set at most one of ScheduleID and Recurrence.
	Recurrence  *Recurrence
	Suspended   *bool
	AttachImage *bool
	AttachPdf   *bool
}

type subscriptionRequest struct {
	XMLName      xml.Name `xml:"tsRequest"`
	Subscription struct {
		Subject         *string `xml:"subject,attr,omitempty"`
		Message         *string `xml:"message,attr,omitempty"`
		AttachImage     *string `xml:"attachImage,attr,omitempty"`
		AttachPdf       *string `xml:"attachPdf,attr,omitempty"`
		PageOrientation *string `xml:"pageOrientation,attr,omitempty"`
		Suspended       *string `xml:"suspended,attr,omitempty"`
		Content         *struct {
			ID              string `xml:"id,attr,omitempty"`
			Type            string `xml:"type,attr,omitempty"`
			SendIfViewEmpty string `xml:"sendIfViewEmpty,attr,omitempty"`
		} `xml:"content,omitempty"`
		Schedule *subscriptionScheduleXML `xml:"schedule,omitempty"`
		User     *idElem                  `xml:"user,omitempty"`
	} `xml:"subscription"`
}

// subscriptionScheduleXML is a server schedule's id or a schedule of the
// subscription's own.
type subscriptionScheduleXML struct {
	ID               string            `xml:"id,attr,omitempty"`
	Frequency        string            `xml:"frequency,attr,omitempty"`
	FrequencyDetails *FrequencyDetails `xml:"frequencyDetails,omitempty"`
}

// subscriptionSchedule checks and renders a schedule id or a recurrence.
func subscriptionSchedule(m string, id *string, rec *Recurrence) (*subscriptionScheduleXML, error) {
	switch {
	case id != nil && rec != nil:
		return nil, fmt.Errorf("rest.%s: %w: set ScheduleID or Recurrence, not both", m, tableau.ErrInvalidArgument)
	case rec != nil:
		if err := rec.Check(); err != nil {
			return nil, fmt.Errorf("rest.%s: %w", m, err)
		}
		d := rec.Details
		return &subscriptionScheduleXML{Frequency: rec.Frequency, FrequencyDetails: &d}, nil
	case id != nil:
		if strings.TrimSpace(*id) == "" {
			return nil, fmt.Errorf("rest.%s: %w: ScheduleID is empty", m, tableau.ErrInvalidArgument)
		}
		return &subscriptionScheduleXML{ID: *id}, nil
	}
	return nil, nil
}

func boolStrp(b bool) *string { return strp(strconv.FormatBool(b)) }

// Create creates a subscription.
func (sv *SubscriptionsService) Create(ctx context.Context, in SubscriptionCreate) (*Subscription, error) {
	const m = "Subscriptions.Create"
	for _, f := range []struct{ n, v string }{{"Subject", in.Subject}, {"ContentID", in.ContentID}, {"UserID", in.UserID}} {
		if strings.TrimSpace(f.v) == "" {
			return nil, fmt.Errorf("rest.%s: %w: %s is empty", m, tableau.ErrInvalidArgument, f.n)
		}
	}
	if in.ContentType != "View" && in.ContentType != "Workbook" {
		return nil, fmt.Errorf("rest.%s: %w: ContentType %q is not View or Workbook", m, tableau.ErrInvalidArgument, in.ContentType)
	}
	if in.PageOrientation != "" && in.PageOrientation != "PORTRAIT" && in.PageOrientation != "LANDSCAPE" {
		return nil, fmt.Errorf("rest.%s: %w: PageOrientation %q is not PORTRAIT or LANDSCAPE", m, tableau.ErrInvalidArgument, in.PageOrientation)
	}
	var schedID *string
	if in.ScheduleID != "" {
		schedID = &in.ScheduleID
	}
	if schedID == nil && in.Recurrence == nil {
		return nil, fmt.Errorf("rest.%s: %w: set ScheduleID (Tableau Server) or Recurrence (Tableau Cloud)", m, tableau.ErrInvalidArgument)
	}
	sched, err := subscriptionSchedule(m, schedID, in.Recurrence)
	if err != nil {
		return nil, err
	}
	var req subscriptionRequest
	s := &req.Subscription
	s.Subject, s.AttachImage, s.AttachPdf = strp(in.Subject), boolStrp(in.AttachImage), boolStrp(in.AttachPdf)
	if in.Message != "" {
		s.Message = strp(in.Message)
	}
	if in.PageOrientation != "" {
		s.PageOrientation = strp(in.PageOrientation)
	}
	s.Content = &struct {
		ID              string `xml:"id,attr,omitempty"`
		Type            string `xml:"type,attr,omitempty"`
		SendIfViewEmpty string `xml:"sendIfViewEmpty,attr,omitempty"`
	}{ID: in.ContentID, Type: in.ContentType, SendIfViewEmpty: strconv.FormatBool(in.SendIfViewEmpty)}
	s.Schedule, s.User = sched, &idElem{ID: in.UserID}
	return sv.send(ctx, m, "POST", req, "subscriptions")
}

// Update changes the subscription with id.
func (sv *SubscriptionsService) Update(ctx context.Context, id string, in SubscriptionUpdate) (*Subscription, error) {
	const m = "Subscriptions.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	var req subscriptionRequest
	s := &req.Subscription
	if in.Subject != nil {
		if strings.TrimSpace(*in.Subject) == "" {
			return nil, fmt.Errorf("rest.%s: %w: Subject is empty", m, tableau.ErrInvalidArgument)
		}
		s.Subject = in.Subject
	}
	sched, err := subscriptionSchedule(m, in.ScheduleID, in.Recurrence)
	if err != nil {
		return nil, err
	}
	s.Schedule = sched
	if in.Suspended != nil {
		s.Suspended = boolStrp(*in.Suspended)
	}
	if in.AttachImage != nil {
		s.AttachImage = boolStrp(*in.AttachImage)
	}
	if in.AttachPdf != nil {
		s.AttachPdf = boolStrp(*in.AttachPdf)
	}
	return sv.send(ctx, m, "PUT", req, "subscriptions", id)
}

func (sv *SubscriptionsService) send(ctx context.Context, m, method string, body any, elem ...string) (*Subscription, error) {
	return sendOne(ctx, sv.service, m, method, "subscription", body, func(r *subscriptionResponse) *Subscription { return r.Subscription }, elem...)
}

// Delete deletes the subscription with id.
func (sv *SubscriptionsService) Delete(ctx context.Context, id string) error {
	const m = "Subscriptions.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "subscriptions", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
