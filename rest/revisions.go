package rest

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Revision is one published version of a workbook or datasource.
type Revision struct {
	Number      int       `xml:"revisionNumber,attr"`
	PublishedAt time.Time `xml:"publishedAt,attr"`
	Deleted     bool      `xml:"deleted,attr"` // its file was removed
	Current     bool      `xml:"current,attr"`
	SizeInBytes int64     `xml:"sizeInBytes,attr"`
	Publisher   Owner     `xml:"publisher"`
}

type revisionList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Revisions  []Revision         `xml:"revisions>revision"`
}

func (sv service) revisions(m, plural, id string, opts *tableau.ListOptions) *tableau.Pager[Revision] {
	path, err := sv.itemPath(m, plural, id, "revisions")
	if err != nil {
		return tableau.ErrorPager[Revision](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *revisionList) ([]Revision, tableau.Pagination) {
		return r.Revisions, r.Pagination
	})
}

func (sv service) downloadRevision(ctx context.Context, m, plural, id string, n int, w io.Writer, progress Progress) (*Download, error) {
	path, err := sv.itemPath(m, plural, id, "revisions", strconv.Itoa(n), "content")
	if err != nil {
		return nil, err
	}
	return sv.fetchTo(ctx, m, path, nil, w, progress)
}

func (sv service) deleteRevision(ctx context.Context, m, plural, id string, n int) error {
	path, err := sv.itemPath(m, plural, id, "revisions", strconv.Itoa(n))
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
