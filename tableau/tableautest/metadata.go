package tableautest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"github.com/tableau-go/sdk/metadata/schema"
)

// This file serves the Metadata API: POST /api/metadata/graphql with the
// X-Tableau-Auth token, on the schema of package metadata/schema, answered
// from the files published to the session's site (see lineage.go).

// DefaultMetadataNodeLimit is the number of nodes one Metadata API query may
// return before the answer is cut short with NODE_LIMIT_EXCEEDED, as on
// Tableau Server. Change it with [Server.SetMetadataNodeLimit].
const DefaultMetadataNodeLimit = 20000

// metadataPath is where the Metadata API is served.
const metadataPath = "/api/metadata/graphql"

// metadataHandler serves the Metadata API of one Server. Its state lives
// here (it is registered on the server's mux, where [Server.metadata] finds
// it again).
type metadataHandler struct {
	s        *Server
	once     sync.Once
	schema   *graphql.Schema
	schemaEr error
	requests atomic.Int64

	mu        sync.Mutex
	nodeLimit int
	faults    []mdFault
	parsed    map[*blob]*parsedDoc // nil value: the file could not be read
	graphs    map[string]cachedGraph
}

type cachedGraph struct {
	key string
	g   *lgGraph
}

// mdFault makes the next requests fail with a Metadata API error code.
type mdFault struct {
	code      string
	remaining int
}

// routesMetadata registers the Metadata API.
func (s *Server) routesMetadata(rt *router) {
	h := &metadataHandler{s: s, nodeLimit: DefaultMetadataNodeLimit, parsed: map[*blob]*parsedDoc{}, graphs: map[string]cachedGraph{}}
	rt.mux.Handle("POST "+metadataPath, h)
}

// metadata returns the server's Metadata API handler.
func (s *Server) metadata() *metadataHandler {
	r, _ := http.NewRequest(http.MethodPost, metadataPath, nil)
	h, _ := s.mux.Handler(r)
	mh, _ := h.(*metadataHandler)
	return mh
}

// SetMetadataNodeLimit sets how many nodes one Metadata API query may return
// before the answer is cut short with a NODE_LIMIT_EXCEEDED warning and
// partial data; n <= 0 restores [DefaultMetadataNodeLimit]. Set it low to
// test paging.
func (s *Server) SetMetadataNodeLimit(n int) {
	h := s.metadata()
	if h == nil {
		return
	}
	if n <= 0 {
		n = DefaultMetadataNodeLimit
	}
	h.mu.Lock()
	h.nodeLimit = n
	h.mu.Unlock()
}

// FailMetadata makes the next times Metadata API requests fail with the
// error code, one of "RATE_EXCEEDED" (HTTP 429 with Retry-After: 1 and a
// GraphQL error body), "TIME_LIMIT_EXCEEDED" (a GraphQL error, no data) or
// any other code (a GraphQL error of severity ERROR, no data).
func (s *Server) FailMetadata(code string, times int) {
	h := s.metadata()
	if h == nil || times <= 0 {
		return
	}
	h.mu.Lock()
	h.faults = append(h.faults, mdFault{code: code, remaining: times})
	h.mu.Unlock()
}

// MetadataRequests returns how many Metadata API requests the server has
// answered (page counts for benchmarks and tests).
func (s *Server) MetadataRequests() int {
	if h := s.metadata(); h != nil {
		return int(h.requests.Load())
	}
	return 0
}

// gqlRequest is the body of a GraphQL request.
type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// gqlError builds an error in the Metadata API's shape.
func gqlError(code, severity, message string, props map[string]any) *gqlerrors.QueryError {
	ext := map[string]any{"code": code, "severity": severity}
	if props != nil {
		ext["properties"] = props
	}
	return &gqlerrors.QueryError{Message: message, Extensions: ext}
}

func writeGQL(w http.ResponseWriter, status int, resp *graphql.Response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

func (h *metadataHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sess, aerr := h.s.authenticate(r, "tableau:content:read")
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	h.requests.Add(1)
	h.once.Do(func() {
		h.schema, h.schemaEr = graphql.ParseSchema(schema.SDL, &mdRoot{}, graphql.UseFieldResolvers(), graphql.MaxDepth(30))
	})
	if h.schemaEr != nil {
		writeGQL(w, http.StatusInternalServerError, &graphql.Response{Errors: []*gqlerrors.QueryError{
			gqlError("INTERNAL_ERROR", "ERROR", "tableautest: metadata schema: "+h.schemaEr.Error(), nil)}})
		return
	}
	var req gqlRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || strings.TrimSpace(req.Query) == "" {
		msg := "The request body must be JSON with a non-empty \"query\"."
		if err != nil {
			msg = "The request body is not valid JSON: " + err.Error()
		}
		writeGQL(w, http.StatusBadRequest, &graphql.Response{Errors: []*gqlerrors.QueryError{gqlError("INVALID_ARGUMENT", "ERROR", msg, nil)}})
		return
	}
	if code := h.takeFault(); code != "" {
		switch code {
		case "RATE_EXCEEDED":
			w.Header().Set("Retry-After", "1")
			writeGQL(w, http.StatusTooManyRequests, &graphql.Response{Errors: []*gqlerrors.QueryError{
				gqlError(code, "ERROR", "Rate limit exceeded: too many Metadata API requests. Try again later.", nil)}})
		case "TIME_LIMIT_EXCEEDED":
			writeGQL(w, http.StatusOK, &graphql.Response{Errors: []*gqlerrors.QueryError{
				gqlError(code, "ERROR", "The query took longer than the time limit. Use pagination, additional filtering, or both in the query to adjust results.", nil)}})
		default:
			writeGQL(w, http.StatusOK, &graphql.Response{Errors: []*gqlerrors.QueryError{gqlError(code, "ERROR", "Injected failure "+code+".", nil)}})
		}
		return
	}
	g, err := h.graph(r.Context(), sess.siteID)
	if err != nil {
		writeGQL(w, http.StatusInternalServerError, &graphql.Response{Errors: []*gqlerrors.QueryError{gqlError("INTERNAL_ERROR", "ERROR", err.Error(), nil)}})
		return
	}
	h.mu.Lock()
	limit := h.nodeLimit
	h.mu.Unlock()
	q := &mdQuery{g: g, limit: limit}
	ctx := context.WithValue(r.Context(), mdQueryKey{}, q)
	resp := h.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	if q.exceeded.Load() {
		resp.Errors = append(resp.Errors, gqlError("NODE_LIMIT_EXCEEDED", "WARNING",
			"Showing partial results. The request exceeded the "+strconv.Itoa(limit)+" node limit. Use pagination, additional filtering, or both in the query to adjust results.",
			map[string]any{"nodeLimit": limit}))
	}
	writeGQL(w, http.StatusOK, resp)
}

func (h *metadataHandler) takeFault() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.faults) > 0 {
		f := &h.faults[0]
		if f.remaining > 0 {
			f.remaining--
			return f.code
		}
		h.faults = h.faults[1:]
	}
	return ""
}

// graph returns the lineage graph of a site, rebuilt when what was
// published changed.
func (h *metadataHandler) graph(ctx context.Context, siteID string) (*lgGraph, error) {
	items, blobs, key := h.snapshot(siteID)
	h.mu.Lock()
	if c, ok := h.graphs[siteID]; ok && c.key == key {
		h.mu.Unlock()
		return c.g, nil
	}
	h.mu.Unlock()
	for i := range items {
		b := blobs[i]
		if b == nil {
			continue
		}
		h.mu.Lock()
		doc, ok := h.parsed[b]
		h.mu.Unlock()
		if !ok {
			data, err := io.ReadAll(b.reader())
			if err != nil {
				return nil, fmt.Errorf("tableautest: metadata: reading %s %q: %w", items[i].kind, items[i].name, err)
			}
			doc, err = parseDoc(ctx, data)
			if err != nil {
				h.s.log.Debug("tableautest: metadata: file not read", "item", items[i].id, "error", err)
				doc = nil
			}
			h.mu.Lock()
			h.parsed[b] = doc
			h.mu.Unlock()
		}
		items[i].doc = doc
	}
	g := buildGraph(items)
	live := h.liveBlobs()
	h.mu.Lock()
	h.graphs[siteID] = cachedGraph{key: key, g: g}
	for b := range h.parsed {
		if !live[b] {
			delete(h.parsed, b) // a replaced revision or a deleted item
		}
	}
	h.mu.Unlock()
	return g, nil
}

// liveBlobs returns the current files of every item on every site.
func (h *metadataHandler) liveBlobs() map[*blob]bool {
	st := h.s.store
	st.mu.RLock()
	defer st.mu.RUnlock()
	live := map[*blob]bool{}
	for _, it := range st.content.items {
		if len(it.Revisions) > 0 {
			live[it.current().Data] = true
		}
	}
	return live
}

// snapshot copies what the graph needs of a site's items out of the store,
// with a key that changes whenever any of it does.
func (h *metadataHandler) snapshot(siteID string) ([]mdItem, []*blob, string) {
	st := h.s.store
	st.mu.RLock()
	defer st.mu.RUnlock()
	siteURL := ""
	if si := st.sites.byID[siteID]; si != nil {
		siteURL = si.ContentURL
	}
	users := map[string]*lgUser{}
	userOf := func(id string) *lgUser {
		if u := users[id]; u != nil {
			return u
		}
		u := &lgUser{id: lid("user", id), luid: id}
		if su := st.users.byID[id]; su != nil {
			u.username, u.name = su.Name, su.Name
		}
		users[id] = u
		return u
	}
	views := map[string]map[string]string{}
	for _, v := range st.content.vorder[siteID] {
		if views[v.WorkbookID] == nil {
			views[v.WorkbookID] = map[string]string{}
		}
		views[v.WorkbookID][v.Name] = v.ID
	}
	var items []mdItem
	var blobs []*blob
	var key strings.Builder
	for _, kind := range []resKind{resDatasource, resWorkbook} {
		for _, it := range st.contentItems(kind, siteID) {
			project := ""
			if p := st.projects.byID[it.ProjectID]; p != nil {
				project = p.Name
			}
			var b *blob
			if len(it.Revisions) > 0 {
				b = it.current().Data
			}
			owner := userOf(it.OwnerID)
			items = append(items, mdItem{kind: kind, id: it.ID, name: it.Name, desc: it.Description, project: project,
				contentURL: it.ContentURL, siteURL: siteURL, owner: owner, certified: it.Certified, certNote: it.CertNote,
				hasExtracts: it.HasExtracts, views: views[it.ID]})
			blobs = append(blobs, b)
			fmt.Fprintf(&key, "%s|%d|%p|%s|%s|%s|%s|%t|%s|%s;", it.ID, len(it.Revisions), b, it.Name, it.Description, project,
				owner.username, it.Certified, it.CertNote, it.ContentURL)
		}
	}
	return items, blobs, key.String()
}
