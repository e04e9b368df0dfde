package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Metric is a (legacy) metric tracked from a view.
type Metric struct {
	ID             string     `xml:"id,attr"`
	Name           string     `xml:"name,attr"`
	Description    string     `xml:"description,attr"`
	WebpageURL     string     `xml:"webpageUrl,attr"`
	Suspended      bool       `xml:"suspended,attr"`
	CreatedAt      time.Time  `xml:"createdAt,attr"`
	UpdatedAt      time.Time  `xml:"updatedAt,attr"`
	Project        ProjectRef `xml:"project"`
	Owner          Owner      `xml:"owner"`
	Tags           []Tag      `xml:"tags>tag"`
	UnderlyingView struct {
		ID string `xml:"id,attr"`
	} `xml:"underlyingView"`
}

// MetricsService manages metrics. c.Metrics.
type MetricsService struct{ service }

type metricList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Metrics    []Metric           `xml:"metrics>metric"`
}

type metricResponse struct {
	Metric *Metric `xml:"metric"`
}

// List returns a pager over the site's metrics.
func (sv *MetricsService) List(opts *tableau.ListOptions) *tableau.Pager[Metric] {
	path, err := sv.sitePath("Metrics.List", "metrics")
	if err != nil {
		return tableau.ErrorPager[Metric](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *metricList) ([]Metric, tableau.Pagination) {
		return r.Metrics, r.Pagination
	})
}

// Get returns the metric with id.
func (sv *MetricsService) Get(ctx context.Context, id string) (*Metric, error) {
	const m = "Metrics.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "metrics", id)
	if err != nil {
		return nil, err
	}
	var r metricResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Metric == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <metric>", m)
	}
	return r.Metric, nil
}

// MetricUpdate changes a metric; nil fields stay as they are.
type MetricUpdate struct {
	Name, Description  *string
	Suspended          *bool
	ProjectID, OwnerID *string
}

// Update changes the metric with id.
func (sv *MetricsService) Update(ctx context.Context, id string, in MetricUpdate) (*Metric, error) {
	const m = "Metrics.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Metric  struct {
			Name        *string `xml:"name,attr,omitempty"`
			Description *string `xml:"description,attr,omitempty"`
			Suspended   *string `xml:"suspended,attr,omitempty"`
			Project     *idElem `xml:"project,omitempty"`
			Owner       *idElem `xml:"owner,omitempty"`
		} `xml:"metric"`
	}{}
	req.Metric.Name, req.Metric.Description = in.Name, in.Description
	if in.Suspended != nil {
		req.Metric.Suspended = boolStrp(*in.Suspended)
	}
	if in.ProjectID != nil {
		req.Metric.Project = &idElem{ID: *in.ProjectID}
	}
	if in.OwnerID != nil {
		req.Metric.Owner = &idElem{ID: *in.OwnerID}
	}
	path, err := sv.sitePath(m, "metrics", id)
	if err != nil {
		return nil, err
	}
	var r metricResponse
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Metric == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <metric>", m)
	}
	return r.Metric, nil
}

// Delete deletes the metric with id.
func (sv *MetricsService) Delete(ctx context.Context, id string) error {
	return assetDelete(ctx, sv.service, "Metrics.Delete", "metrics", id)
}
