package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// Tagged names an item for batch tagging: its kind (workbook, datasource,
// view, flow, table, database, virtualconnection, metric) and id.
type Tagged struct {
	Kind, ID string
}

var taggableKinds = []string{"workbook", "datasource", "view", "flow", "table", "database", "virtualconnection", "metric"}

// TagsService adds and removes tags on many items at once (API 3.9). c.Tags.
type TagsService struct{ service }

type tagBatchRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Batch   struct {
		Tags []struct {
			Label string `xml:"label,attr"`
		} `xml:"tags>tag"`
		Contents []struct {
			ID          string `xml:"id,attr"`
			ContentType string `xml:"contentType,attr"`
		} `xml:"contents>content"`
	} `xml:"tagBatch"`
}

func encodeTagBatch(m string, tags []string, items []Tagged) (tagBatchRequest, error) {
	var req tagBatchRequest
	if len(tags) == 0 || len(items) == 0 {
		return req, fmt.Errorf("rest.%s: %w: no tags or no items", m, tableau.ErrInvalidArgument)
	}
	for _, t := range tags {
		if strings.TrimSpace(t) == "" || strings.Contains(t, ",") {
			return req, fmt.Errorf("rest.%s: %w: tag %q is empty or has a comma", m, tableau.ErrInvalidArgument, t)
		}
		req.Batch.Tags = append(req.Batch.Tags, struct {
			Label string `xml:"label,attr"`
		}{t})
	}
	for _, it := range items {
		if !slices.Contains(taggableKinds, it.Kind) || it.ID == "" {
			return req, fmt.Errorf("rest.%s: %w: item %+v: kind must be one of %s, with an id", m, tableau.ErrInvalidArgument, it, strings.Join(taggableKinds, ", "))
		}
		req.Batch.Contents = append(req.Batch.Contents, struct {
			ID          string `xml:"id,attr"`
			ContentType string `xml:"contentType,attr"`
		}{it.ID, it.Kind})
	}
	return req, nil
}

// Add adds every tag to every item in one request (Batch Add Tags).
func (sv *TagsService) Add(ctx context.Context, tags []string, items ...Tagged) error {
	return sv.batch(ctx, "Tags.Add", "tags:batchCreate", tags, items)
}

// Remove removes every tag from every item in one request (Batch Delete Tags).
func (sv *TagsService) Remove(ctx context.Context, tags []string, items ...Tagged) error {
	return sv.batch(ctx, "Tags.Remove", "tags:batchDelete", tags, items)
}

func (sv *TagsService) batch(ctx context.Context, m, seg string, tags []string, items []Tagged) error {
	req, err := encodeTagBatch(m, tags, items)
	if err != nil {
		return err
	}
	path, err := sv.sitePath(m)
	if err != nil {
		return err
	}
	// The segment's ":" must not be escaped.
	return sv.s.Put(ctx, path+"/"+seg, nil, req, nil)
}
