package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// tagsOf returns the tags of an item that has tags, or nil. Callers hold store.mu.
func (st *store) tagsOf(siteID, kind, id string) *[]string {
	switch kind {
	case "workbook", "datasource":
		rk := resWorkbook
		if kind == "datasource" {
			rk = resDatasource
		}
		if it := st.contentItem(rk, siteID, id); it != nil {
			return &it.Tags
		}
	case "view":
		if v := st.content.views[id]; v != nil && v.SiteID == siteID {
			return &v.Tags
		}
	}
	return st.gov.ownTags(siteID, kind, id)
}

// tagBatchRequest is <tsRequest><tagBatch><tags><tag label/></tags>
// <contents><content id contentType/></contents></tagBatch></tsRequest>.
type tagBatchRequest struct {
	Batch *struct {
		Tags []struct {
			Label string `xml:"label,attr"`
		} `xml:"tags>tag"`
		Contents []struct {
			ID          string `xml:"id,attr"`
			ContentType string `xml:"contentType,attr"`
		} `xml:"contents>content"`
	} `xml:"tagBatch"`
}

func (s *Server) routesTags(rt *router) {
	rt.site("PUT", "tags:batchCreate", "tableau:tags:update", s.tagBatch(true))
	rt.site("PUT", "tags:batchDelete", "tableau:tags:update", s.tagBatch(false))
}

// tagBatch adds (or removes) every tag to (from) every item, all or nothing.
func (s *Server) tagBatch(add bool) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		var req tagBatchRequest
		if aerr := readRequest(r, &req); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		b := req.Batch
		if b == nil || len(b.Tags) == 0 || len(b.Contents) == 0 {
			writeError(w, r, errBadRequest("The tagBatch needs tags and contents."))
			return
		}
		for _, t := range b.Tags {
			if strings.TrimSpace(t.Label) == "" || strings.ContainsAny(t.Label, ",") {
				writeError(w, r, errBadRequest(fmt.Sprintf("The tag label '%s' is empty or has a comma.", t.Label)))
				return
			}
		}
		s.store.mu.Lock()
		aerr := func() *apiError {
			var targets []*[]string
			for _, c := range b.Contents {
				kind := strings.ToLower(c.ContentType)
				tags := s.store.tagsOf(sess.siteID, kind, c.ID)
				if tags == nil {
					if kind == "" {
						return errBadRequest("A content element has no contentType.")
					}
					return contentNotFound(kind, c.ID)
				}
				targets = append(targets, tags)
			}
			for _, tags := range targets {
				for _, t := range b.Tags {
					i := slices.IndexFunc(*tags, func(x string) bool { return strings.EqualFold(x, t.Label) })
					switch {
					case add && i < 0:
						*tags = append(*tags, t.Label)
					case !add && i >= 0:
						*tags = slices.Delete(*tags, i, i+1)
					}
				}
			}
			return nil
		}()
		s.store.mu.Unlock()
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		out := newElem("tagBatch")
		tags := newElem("tags")
		for _, t := range b.Tags {
			tags.add(newElem("tag").set("label", t.Label))
		}
		contents := newElem("contents")
		for _, c := range b.Contents {
			contents.add(newElem("content").set("id", c.ID).set("contentType", c.ContentType))
		}
		writeXML(w, r, http.StatusOK, out.add(tags, contents))
	}
}

// readTagLabels reads the labels of an Add Tags request
// (<tsRequest><tags><tag label="..."/>...</tags></tsRequest>): at least
// one, none empty.
func readTagLabels(r *http.Request) ([]string, *apiError) {
	var req struct {
		Tags []struct {
			Label string `xml:"label,attr"`
		} `xml:"tags>tag"`
	}
	if aerr := readRequest(r, &req); aerr != nil {
		return nil, aerr
	}
	if len(req.Tags) == 0 {
		return nil, errBadRequest("The request has no tags>tag elements.")
	}
	labels := make([]string, len(req.Tags))
	for i, t := range req.Tags {
		if strings.TrimSpace(t.Label) == "" {
			return nil, errBadRequest("A tag label is empty.")
		}
		labels[i] = t.Label
	}
	return labels, nil
}

// mergeTags adds to tags the labels it does not hold yet (tags compare
// without case) and returns a copy of the result. Callers hold store.mu.
func mergeTags(tags *[]string, labels []string) []string {
	for _, l := range labels {
		if !slices.ContainsFunc(*tags, func(x string) bool { return strings.EqualFold(x, l) }) {
			*tags = append(*tags, l)
		}
	}
	return slices.Clone(*tags)
}
