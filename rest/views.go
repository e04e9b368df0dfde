package rest

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/tableau-go/sdk/tableau"
)

// View is a sheet, dashboard or story of a published workbook.
type View struct {
	ID          string    `xml:"id,attr"`
	Name        string    `xml:"name,attr"`
	ContentURL  string    `xml:"contentUrl,attr"`
	ViewURLName string    `xml:"viewUrlName,attr"`
	SheetType   string    `xml:"sheetType,attr"`
	CreatedAt   time.Time `xml:"createdAt,attr"`
	UpdatedAt   time.Time `xml:"updatedAt,attr"`
	Workbook    struct {
		ID string `xml:"id,attr"`
	} `xml:"workbook"`
	Owner   Owner      `xml:"owner"`
	Project ProjectRef `xml:"project"`
	Tags    []Tag      `xml:"tags>tag"`
	// Usage is set when usage statistics were asked for.
	Usage *struct {
		TotalViewCount int `xml:"totalViewCount,attr"`
	} `xml:"usage"`
}

// TotalViews returns the view's total view count, or -1 when usage
// statistics were not asked for.
func (v *View) TotalViews() int {
	if v.Usage == nil {
		return -1
	}
	return v.Usage.TotalViewCount
}

type viewList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Views      []View             `xml:"views>view"`
}

type viewResponse struct {
	View *View `xml:"view"`
}

// ViewsService lists views and exports them as images, PDF, CSV and Excel.
// c.Views.
type ViewsService struct{ service }

// ViewListOptions are the options of [ViewsService.List].
type ViewListOptions struct {
	tableau.ListOptions
	// Usage adds each view's total view count. Default: false.
	Usage bool
}

// List returns a pager over the site's views. Filter and sort fields
// include name, viewUrlName, createdAt, updatedAt, ownerName, projectName,
// workbookName, sheetType and tags.
func (sv *ViewsService) List(opts *ViewListOptions) *tableau.Pager[View] {
	path, err := sv.sitePath("Views.List", "views")
	if err != nil {
		return tableau.ErrorPager[View](err)
	}
	var lo *tableau.ListOptions
	usage := false
	if opts != nil {
		lo, usage = &opts.ListOptions, opts.Usage
	}
	base, err := lo.Query()
	if err != nil {
		return tableau.ErrorPager[View](err)
	}
	if usage {
		base.Set("includeUsageStatistics", "true")
	}
	return fastPager[View](sv.service, path, base, lo, "views", "view")
}

// ForWorkbook returns a workbook's views (see [WorkbooksService.Views]).
func (sv *ViewsService) ForWorkbook(ctx context.Context, workbookID string, usage bool) ([]View, error) {
	return (&WorkbooksService{sv.service}).Views(ctx, workbookID, usage)
}

// Get returns a view; usage adds its total view count.
func (sv *ViewsService) Get(ctx context.Context, id string, usage bool) (*View, error) {
	const m = "Views.Get"
	path, err := sv.itemPath(m, "views", id)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if usage {
		q.Set("includeUsageStatistics", "true")
	}
	var resp viewResponse
	if err := sv.s.Get(ctx, path, q, &resp); err != nil {
		return nil, err
	}
	if resp.View == nil {
		return nil, fmt.Errorf("rest.%s: the response has no view", m)
	}
	return resp.View, nil
}

// Delete deletes a view from its workbook (API 3.27). Deleting a
// workbook's only view deletes the workbook.
func (sv *ViewsService) Delete(ctx context.Context, id string) error {
	const m = "Views.Delete"
	if err := sv.s.RequireVersion("rest."+m, "3.27"); err != nil {
		return err
	}
	path, err := sv.itemPath(m, "views", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// AddTags adds tags to a view and returns the view's tags.
func (sv *ViewsService) AddTags(ctx context.Context, id string, tags ...string) ([]string, error) {
	return sv.addTags(ctx, "Views.AddTags", "views", id, tags)
}

// DeleteTag removes a tag from a view.
func (sv *ViewsService) DeleteTag(ctx context.Context, id, tag string) error {
	return sv.deleteTag(ctx, "Views.DeleteTag", "views", id, tag)
}

// ViewFilters are view filters: field name to value, sent as vf_<field>.
// Several values of one field are comma-separated ("East,West"). A
// workbook parameter is set the same way, named "Parameters.<name>"
// (vf_Parameters.<name>, what TSC's parameter() sends).
type ViewFilters map[string]string

func (f ViewFilters) addTo(q url.Values) error {
	for k, v := range f {
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("%w: a view filter has an empty field name", tableau.ErrInvalidArgument)
		}
		q.Set("vf_"+k, v)
	}
	return nil
}

// ExportOptions are the options every view export shares. A nil pointer
// uses every default.
type ExportOptions struct {
	// Filters narrow the data (vf_ parameters). Default: none.
	Filters ViewFilters
	// MaxAge is how many minutes the server may serve a cached export.
	// Default: 0 (the server's default).
	MaxAge int
	// Language renders the export in one of the languages Tableau is
	// localized in, as a BCP 47 tag: "de", "fr-CA", "ja", "zh-TW" (TSC's
	// language option). A language without a region takes its default
	// locale. Default: "" (the user's or site's language).
	Language string
}

func (o *ExportOptions) query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	if o.MaxAge < 0 {
		return nil, fmt.Errorf("%w: MaxAge %d is negative", tableau.ErrInvalidArgument, o.MaxAge)
	}
	if o.MaxAge > 0 {
		q.Set("maxAge", strconv.Itoa(o.MaxAge))
	}
	if err := setLanguage(q, o.Language); err != nil {
		return nil, err
	}
	return q, o.Filters.addTo(q)
}

// setLanguage adds an export's language parameter when lang is set,
// refusing what is not a language tag.
func setLanguage(q url.Values, lang string) error {
	if lang == "" {
		return nil
	}
	if _, err := language.Parse(lang); err != nil {
		return fmt.Errorf("%w: Language %q is not a language tag such as de, fr-CA or ja", tableau.ErrInvalidArgument, lang)
	}
	q.Set("language", lang)
	return nil
}

// ImageOptions configure [ViewsService.Image].
type ImageOptions struct {
	ExportOptions
	// HighResolution asks for a high-resolution image. Default: false.
	HighResolution bool
	// Width and Height set the image size in pixels (REST API 3.23+:
	// vizWidth, vizHeight). Default: 0 (the server's).
	Width, Height int
	// Format is ImagePNG or ImageSVG (REST API 3.29+). Default: "" (PNG,
	// without asking).
	Format string
}

// Image formats of [ImageOptions].
const (
	ImagePNG = "PNG"
	ImageSVG = "SVG"
)

// PDFOptions configure PDF exports of views and workbooks.
type PDFOptions struct {
	ExportOptions
	// PageType is A3, A4, A5, B4, B5, Executive, Folio, Ledger, Legal,
	// Letter, Note, Quarto or Tabloid. Default: "" (the server's: Legal).
	PageType string
	// Orientation is Portrait or Landscape. Default: "" (Portrait).
	Orientation string
	// Width and Height set the size in pixels the view is rendered at
	// before it is laid out on the page (REST API 3.23+: vizWidth,
	// vizHeight); both or neither. Default: 0 (the server's).
	Width, Height int
}

// setVizSize adds vizWidth and vizHeight; both must be given when together
// is set (PDF), and neither may be negative.
func setVizSize(q url.Values, width, height int, together bool) error {
	if width < 0 || height < 0 {
		return fmt.Errorf("%w: Width and Height must not be negative", tableau.ErrInvalidArgument)
	}
	if together && (width > 0) != (height > 0) {
		return fmt.Errorf("%w: Width and Height go together", tableau.ErrInvalidArgument)
	}
	if width > 0 {
		q.Set("vizWidth", strconv.Itoa(width))
	}
	if height > 0 {
		q.Set("vizHeight", strconv.Itoa(height))
	}
	return nil
}

var pageTypes = []string{"A3", "A4", "A5", "B4", "B5", "Executive", "Folio", "Ledger", "Legal", "Letter", "Note", "Quarto", "Tabloid"}

func (o *PDFOptions) query() (url.Values, error) {
	if o == nil {
		return url.Values{}, nil
	}
	q, err := o.ExportOptions.query()
	if err != nil {
		return nil, err
	}
	if o.PageType != "" {
		i := slices.IndexFunc(pageTypes, func(p string) bool { return strings.EqualFold(p, o.PageType) })
		if i < 0 {
			return nil, fmt.Errorf("%w: PageType %q is not one of %s", tableau.ErrInvalidArgument, o.PageType, strings.Join(pageTypes, ", "))
		}
		q.Set("type", pageTypes[i])
	}
	switch strings.ToLower(o.Orientation) {
	case "":
	case "portrait":
		q.Set("orientation", "Portrait")
	case "landscape":
		q.Set("orientation", "Landscape")
	default:
		return nil, fmt.Errorf("%w: Orientation %q is not Portrait or Landscape", tableau.ErrInvalidArgument, o.Orientation)
	}
	if err := setVizSize(q, o.Width, o.Height, true); err != nil {
		return nil, err
	}
	return q, nil
}

// export GETs views/{id}/elem... with q into w.
func (sv *ViewsService) export(ctx context.Context, m, id string, q url.Values, w io.Writer, elem ...string) (*Download, error) {
	path, err := sv.itemPath(m, "views", id, elem...)
	if err != nil {
		return nil, err
	}
	return sv.fetchTo(ctx, m, path, q, w, nil)
}

// PreviewImage writes the view's thumbnail (PNG) to w (Query View Preview
// Image; TSC's views.populate_preview_image). The path names the view's
// workbook too.
func (sv *ViewsService) PreviewImage(ctx context.Context, workbookID, viewID string, w io.Writer) error {
	const m = "Views.PreviewImage"
	if err := need(m, "workbookID", workbookID); err != nil {
		return err
	}
	if err := need(m, "viewID", viewID); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "workbooks", workbookID, "views", viewID, "previewImage")
	if err != nil {
		return err
	}
	_, err = sv.fetchTo(ctx, m, path, nil, w, nil)
	return err
}

// Image writes the view as an image to w: PNG, or SVG with
// ImageOptions.Format.
func (sv *ViewsService) Image(ctx context.Context, id string, w io.Writer, opts *ImageOptions) error {
	const m = "Views.Image"
	var q url.Values
	var err error
	if opts == nil {
		q = url.Values{}
	} else {
		if q, err = opts.ExportOptions.query(); err != nil {
			return fmt.Errorf("rest.%s: %w", m, err)
		}
		if opts.HighResolution {
			q.Set("resolution", "high")
		}
		if err := setVizSize(q, opts.Width, opts.Height, false); err != nil {
			return fmt.Errorf("rest.%s: %w", m, err)
		}
		switch f := strings.ToUpper(opts.Format); f {
		case "":
		case ImagePNG, ImageSVG:
			if err := sv.s.RequireVersion("rest."+m+" (Format)", "3.29"); err != nil {
				return err
			}
			q.Set("format", f)
		default:
			return fmt.Errorf("rest.%s: %w: Format %q is not PNG or SVG", m, tableau.ErrInvalidArgument, opts.Format)
		}
	}
	_, err = sv.export(ctx, m, id, q, w, "image")
	return err
}

// PDF writes the view as a PDF to w.
func (sv *ViewsService) PDF(ctx context.Context, id string, w io.Writer, opts *PDFOptions) error {
	const m = "Views.PDF"
	q, err := opts.query()
	if err != nil {
		return fmt.Errorf("rest.%s: %w", m, err)
	}
	_, err = sv.export(ctx, m, id, q, w, "pdf")
	return err
}

// CSV writes the view's data as CSV to w.
func (sv *ViewsService) CSV(ctx context.Context, id string, w io.Writer, opts *ExportOptions) error {
	const m = "Views.CSV"
	q, err := opts.query()
	if err != nil {
		return fmt.Errorf("rest.%s: %w", m, err)
	}
	_, err = sv.export(ctx, m, id, q, w, "data")
	return err
}

// Excel writes the view's crosstab as an Excel workbook (.xlsx) to w.
func (sv *ViewsService) Excel(ctx context.Context, id string, w io.Writer, opts *ExportOptions) error {
	const m = "Views.Excel"
	q, err := opts.query()
	if err != nil {
		return fmt.Errorf("rest.%s: %w", m, err)
	}
	_, err = sv.export(ctx, m, id, q, w, "crosstab", "excel")
	return err
}
