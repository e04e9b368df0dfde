package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// CustomView is a user's saved state of a view.
type CustomView struct {
	ID        string    `xml:"id,attr"`
	Name      string    `xml:"name,attr"`
	Shared    bool      `xml:"shared,attr"`
	CreatedAt time.Time `xml:"createdAt,attr"`
	UpdatedAt time.Time `xml:"updatedAt,attr"`
	View      Owner     `xml:"view"`     // id and name
	Workbook  Owner     `xml:"workbook"` // id and name
	Owner     Owner     `xml:"owner"`
}

// CustomViewsService manages custom views. c.CustomViews.
type CustomViewsService struct{ service }

type customViewList struct {
	Pagination  tableau.Pagination `xml:"pagination"`
	CustomViews []CustomView       `xml:"customViews>customView"`
}

type customViewResponse struct {
	CustomView *CustomView `xml:"customView"`
}

// List returns a pager over the custom views the user can see. Filter
// fields: name, viewId, workbookId, ownerId, shared.
func (sv *CustomViewsService) List(opts *tableau.ListOptions) *tableau.Pager[CustomView] {
	path, err := sv.sitePath("CustomViews.List", "customviews")
	if err != nil {
		return tableau.ErrorPager[CustomView](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *customViewList) ([]CustomView, tableau.Pagination) {
		return r.CustomViews, r.Pagination
	})
}

func (sv *CustomViewsService) one(ctx context.Context, m string, req *tableau.Request) (*CustomView, error) {
	var r customViewResponse
	if err := sv.s.Do(ctx, req, &r); err != nil {
		return nil, err
	}
	if r.CustomView == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <customView>", m)
	}
	return r.CustomView, nil
}

// Get returns the custom view with id.
func (sv *CustomViewsService) Get(ctx context.Context, id string) (*CustomView, error) {
	const m = "CustomViews.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "customviews", id)
	if err != nil {
		return nil, err
	}
	return sv.one(ctx, m, &tableau.Request{Path: path})
}

// CustomViewPublish describes a custom view to publish (API 3.21).
type CustomViewPublish struct {
	Name       string // required
	WorkbookID string // required
	// OwnerID owns the custom view. Default: the signed-in user.
	OwnerID string
	Shared  bool
	// Definition is the custom view file, as Download returns it. Default: none.
	Definition []byte
}

// Publish publishes a custom view of a workbook.
func (sv *CustomViewsService) Publish(ctx context.Context, in CustomViewPublish) (*CustomView, error) {
	const m = "CustomViews.Publish"
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: Name is empty", m, tableau.ErrInvalidArgument)
	}
	if err := need(m, "WorkbookID", in.WorkbookID); err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		CV      struct {
			Name     string  `xml:"name,attr"`
			Shared   string  `xml:"shared,attr"`
			Owner    *idElem `xml:"owner,omitempty"`
			Workbook idElem  `xml:"workbook"`
		} `xml:"customView"`
	}{}
	req.CV.Name, req.CV.Shared, req.CV.Workbook = in.Name, strconv.FormatBool(in.Shared), idElem{ID: in.WorkbookID}
	if in.OwnerID != "" {
		req.CV.Owner = &idElem{ID: in.OwnerID}
	}
	x, err := xml.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	body, ct, err := multipartMixed(
		mpPart{name: "request_payload", contentType: "text/xml", data: x},
		mpPart{name: "tableau_customview", filename: "customview.json", contentType: "application/octet-stream", data: in.Definition})
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the request: %w", m, err)
	}
	path, err := sv.sitePath(m, "customviews")
	if err != nil {
		return nil, err
	}
	return sv.one(ctx, m, &tableau.Request{Method: "POST", Path: path, GetBody: tableau.BytesBody(body), ContentLength: int64(len(body)), ContentType: ct})
}

// CustomViewUpdate changes a custom view; nil fields stay as they are.
type CustomViewUpdate struct {
	Name    *string
	OwnerID *string
}

// Update renames a custom view or gives it to another owner.
func (sv *CustomViewsService) Update(ctx context.Context, id string, in CustomViewUpdate) (*CustomView, error) {
	const m = "CustomViews.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		CV      struct {
			Name  *string `xml:"name,attr,omitempty"`
			Owner *idElem `xml:"owner,omitempty"`
		} `xml:"customView"`
	}{}
	req.CV.Name = in.Name
	if in.OwnerID != nil {
		req.CV.Owner = &idElem{ID: *in.OwnerID}
	}
	body, n, err := tableau.XMLBody(req)
	if err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "customviews", id)
	if err != nil {
		return nil, err
	}
	return sv.one(ctx, m, &tableau.Request{Method: "PUT", Path: path, GetBody: body, ContentLength: n})
}

// Delete deletes the custom view with id.
func (sv *CustomViewsService) Delete(ctx context.Context, id string) error {
	const m = "CustomViews.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "customviews", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// CustomViewImageOptions are the options of [CustomViewsService.Image].
type CustomViewImageOptions struct {
	// Width and Height in pixels. Default: the server's.
	Width, Height int
	// Language renders the image in one of Tableau's languages, as for
	// [ExportOptions.Language]. Default: "" (the user's or site's).
	Language string
}

func (sv *CustomViewsService) bytes(ctx context.Context, m, id, sub string, q url.Values, max int64) ([]byte, error) {
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "customviews", id, sub)
	if err != nil {
		return nil, err
	}
	resp, err := sv.s.Send(ctx, &tableau.Request{Path: path, Query: q})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("rest.%s: reading the response: %w", m, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("rest.%s: the response is larger than %d bytes", m, max)
	}
	return b, nil
}

// maxExport bounds the custom view exports held in memory.
const maxExport = 256 << 20

// Image returns the custom view rendered as a PNG image.
func (sv *CustomViewsService) Image(ctx context.Context, id string, opts *CustomViewImageOptions) ([]byte, error) {
	const m = "CustomViews.Image"
	q := url.Values{}
	if opts != nil {
		if opts.Width < 0 || opts.Height < 0 {
			return nil, fmt.Errorf("rest.%s: %w: negative image size", m, tableau.ErrInvalidArgument)
		}
		if opts.Width > 0 {
			q.Set("vizWidth", strconv.Itoa(opts.Width))
		}
		if opts.Height > 0 {
			q.Set("vizHeight", strconv.Itoa(opts.Height))
		}
		if err := setLanguage(q, opts.Language); err != nil {
			return nil, fmt.Errorf("rest.%s: %w", m, err)
		}
	}
	return sv.bytes(ctx, m, id, "image", q, maxExport)
}

// Data returns the custom view's data as CSV.
func (sv *CustomViewsService) Data(ctx context.Context, id string) ([]byte, error) {
	return sv.bytes(ctx, "CustomViews.Data", id, "data", nil, maxExport)
}

// CustomViewPDFOptions are the options of [CustomViewsService.PDF].
type CustomViewPDFOptions struct {
	// PageType is A3, A4, A5, B4, B5, Executive, Folio, Ledger, Legal,
	// Letter, Note, Quarto or Tabloid. Default: the server's (Legal).
	PageType string
	// Orientation is Portrait or Landscape. Default: Portrait.
	Orientation string
	// Language renders the PDF in one of Tableau's languages, as for
	// [ExportOptions.Language]. Default: "" (the user's or site's).
	Language string
}

// PDF returns the custom view rendered as a PDF document.
func (sv *CustomViewsService) PDF(ctx context.Context, id string, opts *CustomViewPDFOptions) ([]byte, error) {
	const m = "CustomViews.PDF"
	q := url.Values{}
	if opts != nil {
		if opts.PageType != "" {
			q.Set("type", opts.PageType)
		}
		if opts.Orientation != "" {
			if opts.Orientation != "Portrait" && opts.Orientation != "Landscape" {
				return nil, fmt.Errorf("rest.%s: %w: Orientation %q is not Portrait or Landscape", m, tableau.ErrInvalidArgument, opts.Orientation)
			}
			q.Set("orientation", opts.Orientation)
		}
		if err := setLanguage(q, opts.Language); err != nil {
			return nil, fmt.Errorf("rest.%s: %w", m, err)
		}
	}
	return sv.bytes(ctx, m, id, "pdf", q, maxExport)
}

// Download returns the custom view's definition file.
func (sv *CustomViewsService) Download(ctx context.Context, id string) ([]byte, error) {
	return sv.bytes(ctx, "CustomViews.Download", id, "content", nil, maxExport)
}
