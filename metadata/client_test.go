package metadata_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
	"github.com/tableau-go/sdk/tableau"
)

func newClient(t *testing.T, st *mdtest.Site, opts *metadata.Options) *metadata.Client {
	t.Helper()
	c, err := metadata.New(st.Session, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestQueryRaw(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	var out struct {
		PublishedDatasources []struct {
			Name        string
			Luid        string
			ProjectName string
			Owner       struct{ Username string }
			Fields      []struct {
				Typename string `json:"__typename"`
				Name     string
				Formula  string
			}
		}
	}
	q := `query($n: [String]) { publishedDatasources(filter: {nameWithin: $n}) { name luid projectName owner { username }
	  fields { __typename name ... on CalculatedField { formula } } } }`
	if err := c.Query(context.Background(), q, map[string]any{"n": []string{"Orders"}}, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.PublishedDatasources) != 1 {
		t.Fatalf("got %d datasources, want 1", len(out.PublishedDatasources))
	}
	ds := out.PublishedDatasources[0]
	if ds.Name != "Orders" || ds.ProjectName != "Default" || ds.Owner.Username != "admin" || ds.Luid == "" {
		t.Errorf("datasource = %+v", ds)
	}
	formulas := map[string]string{}
	for _, f := range ds.Fields {
		formulas[f.Name] = f.Typename + ":" + f.Formula
	}
	if formulas["Net Amount"] != "CalculatedField:[amount] - [discount]" || formulas["Amount"] != "ColumnField:" {
		t.Errorf("fields = %v", formulas)
	}
}

func TestQueryErrors(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	err := c.Query(context.Background(), `{ publishedDatasources { nope } }`, nil, nil)
	var gerr *metadata.Errors
	if !errors.As(err, &gerr) || !errors.Is(err, metadata.ErrInvalidQuery) || errors.Is(err, metadata.ErrPartial) {
		t.Fatalf("err = %v, want invalid query *Errors", err)
	}
	err = c.Query(context.Background(), `{ workbooksConnection(first: 1, after: "bogus") { nodes { name } } }`, nil, nil)
	if !errors.Is(err, metadata.ErrInvalidQuery) {
		t.Fatalf("bad cursor: err = %v", err)
	}
	if err := c.Query(context.Background(), "", nil, nil); err == nil {
		t.Fatal("empty query: no error")
	}
}

func TestPartialDataWithNodeLimit(t *testing.T) {
	st := mdtest.New(t)
	st.Server.SetMetadataNodeLimit(3)
	c := newClient(t, st, nil)
	var out struct{ Fields []struct{ Name string } }
	err := c.Query(context.Background(), `{ fields { name } }`, nil, &out)
	var gerr *metadata.Errors
	if !errors.As(err, &gerr) || !errors.Is(err, metadata.ErrNodeLimitExceeded) || !errors.Is(err, metadata.ErrPartial) || !gerr.Warnings() {
		t.Fatalf("err = %v, want a partial node-limit warning", err)
	}
	if len(out.Fields) != 3 {
		t.Errorf("got %d fields with the partial data, want 3", len(out.Fields))
	}
}

func TestConnectionPagerShrinksPages(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, &metadata.Options{PageSize: 50})
	q := `query($first: Int, $after: String) { fieldsConnection(first: $first, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } totalCount } }`
	all, err := c.Connection(q, nil, "fieldsConnection").Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.Server.SetMetadataNodeLimit(4)
	p := c.Connection(q, nil, "fieldsConnection")
	limited, err := p.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(limited) != len(all) || len(all) < 10 {
		t.Fatalf("limited walk got %d nodes, unlimited %d", len(limited), len(all))
	}
	seen := map[string]bool{}
	for _, n := range limited {
		var f struct{ ID string }
		_ = json.Unmarshal(n, &f)
		if seen[f.ID] {
			t.Fatalf("node %s twice", f.ID)
		}
		seen[f.ID] = true
	}
	if p.TotalCount() != len(all) || p.Requests() < len(all)/4 {
		t.Errorf("totalCount %d, requests %d", p.TotalCount(), p.Requests())
	}
}

func TestRateExceededBacksOff(t *testing.T) {
	st := mdtest.New(t)
	var waits []time.Duration
	c := newClient(t, st, &metadata.Options{RateBackoff: time.Millisecond, Sleep: func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}})
	st.Server.FailMetadata("TIME_LIMIT_EXCEEDED", 1)
	err := c.Query(context.Background(), `{ workbooks { name } }`, nil, nil)
	if !errors.Is(err, metadata.ErrTimeLimitExceeded) {
		t.Fatalf("err = %v, want time limit", err)
	}
	before := st.Server.MetadataRequests()
	// A RATE_EXCEEDED answered with HTTP 429 is retried by the session's
	// transport (after Retry-After: 1); then the query succeeds.
	st.Server.FailMetadata("RATE_EXCEEDED", 1)
	var out struct{ Workbooks []struct{ Name string } }
	if err := c.Query(context.Background(), `{ workbooks { name } }`, nil, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Workbooks) != 1 || st.Server.MetadataRequests()-before != 2 {
		t.Errorf("workbooks %v after %d requests", out.Workbooks, st.Server.MetadataRequests()-before)
	}
}

// TestRateExceededAfterSessionRetries: with the session's retries off, the
// client itself backs off on RATE_EXCEEDED and tries again.
func TestRateExceededAfterSessionRetries(t *testing.T) {
	st := mdtest.New(t)
	cr := st.Server.Credentials()
	s, err := tableau.NewSession(tableau.Config{Server: st.Server.URL(), Retry: tableau.RetryPolicy{MaxRetries: -1},
		Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	c, err := metadata.New(s, &metadata.Options{RateBackoff: 10 * time.Millisecond, Sleep: sleep})
	if err != nil {
		t.Fatal(err)
	}
	st.Server.FailMetadata("RATE_EXCEEDED", 2)
	var out struct{ Workbooks []struct{ Name string } }
	if err := c.Query(context.Background(), `{ workbooks { name } }`, nil, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Workbooks) != 1 || len(waits) != 2 || waits[0] != 10*time.Millisecond || waits[1] != 20*time.Millisecond {
		t.Errorf("workbooks %v, waits %v", out.Workbooks, waits)
	}
	c, _ = metadata.New(s, &metadata.Options{RateRetries: -1})
	st.Server.FailMetadata("RATE_EXCEEDED", 1)
	if err := c.Query(context.Background(), `{ workbooks { name } }`, nil, nil); !errors.Is(err, tableau.ErrRateLimited) {
		t.Errorf("no retries: %v", err)
	}
}

// TestGeneratedOperations calls the genqlient-generated functions directly.
func TestGeneratedOperations(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	ctx := context.Background()
	r, err := metadata.PublishedDatasourcesPage(ctx, c, 10, "", &metadata.PublishedDatasource_Filter{Name: "Orders"})
	if err != nil {
		t.Fatal(err)
	}
	conn := r.PublishedDatasourcesConnection
	if conn.TotalCount != 1 || len(conn.Nodes) != 1 || conn.PageInfo.HasNextPage {
		t.Fatalf("connection %+v", conn)
	}
	kinds := map[string]int{}
	for _, f := range conn.Nodes[0].Fields {
		kinds[f.GetTypename()]++
		if cf, ok := f.(*metadata.PublishedDatasourcesPagePublishedDatasourcesConnectionNodesPublishedDatasourceFieldsCalculatedField); ok && cf.Formula == "" {
			t.Errorf("calculated field %q without formula", cf.Name)
		}
	}
	if kinds["ColumnField"] != 4 || kinds["CalculatedField"] != 2 {
		t.Errorf("field kinds %v", kinds)
	}
	e, err := metadata.EmbeddedDatasourcesPage(ctx, c, 1, "", nil)
	if err != nil || len(e.EmbeddedDatasourcesConnection.Nodes) != 1 || !e.EmbeddedDatasourcesConnection.PageInfo.HasNextPage {
		t.Fatalf("embedded page: %v %+v", err, e)
	}
}
