package tableautest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// gqlClient posts GraphQL queries with a session token.
type gqlClient struct {
	t     *testing.T
	url   string
	token string
}

type gqlResult struct {
	status int
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (g *gqlClient) query(q string, vars map[string]any) gqlResult {
	g.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest("POST", g.url+"/api/metadata/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if g.token != "" {
		req.Header.Set("X-Tableau-Auth", g.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r gqlResult
	r.status = resp.StatusCode
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r); err != nil {
			g.t.Fatalf("response %s: %v", b, err)
		}
	}
	return r
}

func (r gqlResult) into(t *testing.T, key string, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data[key], v); err != nil {
		t.Fatalf("%s: %v (%s)", key, err, r.Data[key])
	}
}

// metadataSite starts an emulator with the metadata samples published.
func metadataSite(t *testing.T) (*tableautest.Server, *gqlClient) {
	t.Helper()
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Datasources.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleDatasource()),
		&rest.PublishOptions{Name: "Orders", ProjectID: p.ID, FileName: "orders.tds"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.MetadataSampleWorkbook()),
		&rest.PublishOptions{Name: "Sales", ProjectID: p.ID, FileName: "sales.twb"}); err != nil {
		t.Fatal(err)
	}
	return srv, &gqlClient{t: t, url: srv.URL(), token: signedIn(t, srv, "").token}
}

func TestMetadataLineage(t *testing.T) {
	_, g := metadataSite(t)
	r := g.query(`{ databases { name connectionType ... on DatabaseServer { hostName port }
	  tables { name ... on DatabaseTable { schema fullName } ... on CustomSQLTable { query }
	    columns { name remoteType referencedByFields { name datasource { name } } } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %+v", r.Errors)
	}
	var dbs []struct {
		Name, ConnectionType, HostName string
		Port                           int
		Tables                         []struct {
			Name, Schema, FullName, Query string
			Columns                       []struct {
				Name, RemoteType   string
				ReferencedByFields []struct {
					Name       string
					Datasource struct{ Name string }
				}
			}
		}
	}
	r.into(t, "databases", &dbs)
	if len(dbs) != 1 || dbs[0].Name != "sales" || dbs[0].ConnectionType != "postgres" || dbs[0].HostName != "pg.example.com" || dbs[0].Port != 5432 {
		t.Fatalf("databases %+v", dbs)
	}
	if len(dbs[0].Tables) != 2 || dbs[0].Tables[0].FullName != "[public].[orders]" || !strings.HasPrefix(dbs[0].Tables[1].Query, "SELECT id, name") {
		t.Fatalf("tables %+v", dbs[0].Tables)
	}
	amount := dbs[0].Tables[0].Columns[1]
	if amount.Name != "amount" || amount.RemoteType != "R8" || len(amount.ReferencedByFields) != 1 || amount.ReferencedByFields[0].Datasource.Name != "Orders" {
		t.Errorf("amount column %+v", amount)
	}

	r = g.query(`{ workbooks { name projectName owner { username } upstreamDatasources { name }
	  dashboards { name sheets { name } }
	  sheets { name luid containedInDashboards { name } datasourceFields { __typename name ... on DatasourceField { remoteField { name } } } } } }`, nil)
	var wbs []struct {
		Name, ProjectName   string
		Owner               struct{ Username string }
		UpstreamDatasources []struct{ Name string }
		Dashboards          []struct {
			Name   string
			Sheets []struct{ Name string }
		}
		Sheets []struct {
			Name, Luid            string
			ContainedInDashboards []struct{ Name string }
			DatasourceFields      []struct {
				Typename    string `json:"__typename"`
				Name        string
				RemoteField *struct{ Name string }
			}
		}
	}
	r.into(t, "workbooks", &wbs)
	if len(wbs) != 1 || wbs[0].Owner.Username != "admin" || len(wbs[0].UpstreamDatasources) != 1 || len(wbs[0].Dashboards) != 1 ||
		len(wbs[0].Dashboards[0].Sheets) != 2 || len(wbs[0].Sheets) != 3 {
		t.Fatalf("workbooks %+v", wbs)
	}
	rev := wbs[0].Sheets[0]
	if rev.Luid == "" || len(rev.ContainedInDashboards) != 1 || len(rev.DatasourceFields) != 2 || rev.DatasourceFields[0].Typename != "DatasourceField" ||
		rev.DatasourceFields[0].RemoteField == nil || rev.DatasourceFields[0].RemoteField.Name != "Amount" {
		t.Errorf("sheet %+v", rev)
	}

	r = g.query(`{ calc: fields(filter: {name: "Big Order"}) { __typename name ... on CalculatedField { formula fields { name } }
	  upstreamColumns { name } upstreamTables { name } downstreamSheets { name } } 
	  amount: fields(filter: {name: "Amount"}) { datasource { __typename name } downstreamSheets { name } downstreamDashboards { name } downstreamWorkbooks { name } } }`, nil)
	var calc []struct {
		Typename        string `json:"__typename"`
		Name, Formula   string
		Fields          []struct{ Name string }
		UpstreamColumns []struct{ Name string }
		UpstreamTables  []struct{ Name string }
	}
	r.into(t, "calc", &calc)
	if len(calc) != 1 || calc[0].Typename != "CalculatedField" || calc[0].Fields[0].Name != "Net Amount" || len(calc[0].UpstreamColumns) != 2 || calc[0].UpstreamTables[0].Name != "orders" {
		t.Errorf("Big Order %+v", calc)
	}
	var amounts []struct {
		Datasource           struct{ Typename, Name string }
		DownstreamSheets     []struct{ Name string }
		DownstreamDashboards []struct{ Name string }
		DownstreamWorkbooks  []struct{ Name string }
	}
	r.into(t, "amount", &amounts)
	if len(amounts) != 2 || len(amounts[0].DownstreamSheets) != 2 || len(amounts[0].DownstreamDashboards) != 1 || len(amounts[0].DownstreamWorkbooks) != 1 {
		t.Errorf("Amount fields %+v", amounts)
	}
}

func TestMetadataFiltersAndPaging(t *testing.T) {
	_, g := metadataSite(t)
	r := g.query(`{ publishedDatasources { id luid } }`, nil)
	var pds []struct{ ID, Luid string }
	r.into(t, "publishedDatasources", &pds)
	for q, want := range map[string]int{
		`{ x: publishedDatasources(filter: {luid: "` + pds[0].Luid + `"}) { name } }`:                1,
		`{ x: publishedDatasources(filter: {idWithin: ["` + pds[0].ID + `", "nope"]}) { name } }`:    1,
		`{ x: publishedDatasources(filter: {nameWithin: ["orders"]}) { name } }`:                     0, // exact, as on Tableau
		`{ x: publishedDatasources(filter: {projectName: "Default", isCertified: false}) { name } }`: 1,
		`{ x: databaseTables(filter: {schema: "public"}) { name } }`:                                 1,
		`{ x: embeddedDatasources(filter: {name: "Customers"}) { name } }`:                           1,
		`{ x: sheets(filter: {nameWithin: ["Customers", "Order Size"]}) { name } }`:                  2,
	} {
		var got []any
		g.query(q, nil).into(t, "x", &got)
		if len(got) != want {
			t.Errorf("%s: %d nodes, want %d", q, len(got), want)
		}
	}
	var names []string
	after := ""
	pages := 0
	for {
		r := g.query(`query($after: String) { fieldsConnection(first: 4, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } totalCount } }`,
			map[string]any{"after": nilIfEmpty(after)})
		var c struct {
			Nodes    []struct{ Name string }
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			TotalCount int
		}
		r.into(t, "fieldsConnection", &c)
		pages++
		for _, n := range c.Nodes {
			names = append(names, n.Name)
		}
		if c.TotalCount != 13 || len(c.Nodes) > 4 {
			t.Fatalf("page %d: %+v", pages, c)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = c.PageInfo.EndCursor
	}
	if len(names) != 13 || pages != 4 {
		t.Errorf("%d fields in %d pages", len(names), pages)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestMetadataErrors(t *testing.T) {
	srv, g := metadataSite(t)
	code := func(r gqlResult) string {
		if len(r.Errors) == 0 {
			return ""
		}
		c, _ := r.Errors[0].Extensions["code"].(string)
		return c
	}
	if r := g.query(`{ workbooksConnection(first: 1, after: "xyz") { nodes { name } } }`, nil); code(r) != "INVALID_ARGUMENT" {
		t.Errorf("bad cursor: %+v", r.Errors)
	}
	if r := g.query(`{ workbooksConnection(first: -1) { nodes { name } } }`, nil); code(r) != "INVALID_ARGUMENT" {
		t.Errorf("negative first: %+v", r.Errors)
	}
	if r := g.query(`{ nothing }`, nil); len(r.Errors) == 0 || r.Data != nil {
		t.Errorf("unknown field: %+v", r)
	}
	srv.SetMetadataNodeLimit(5)
	r := g.query(`{ fields { name } }`, nil)
	var fields []any
	r.into(t, "fields", &fields)
	if code(r) != "NODE_LIMIT_EXCEEDED" || r.Errors[0].Extensions["severity"] != "WARNING" || len(fields) != 5 {
		t.Errorf("node limit: %d fields, %+v", len(fields), r.Errors)
	}
	srv.SetMetadataNodeLimit(0)
	srv.FailMetadata("RATE_EXCEEDED", 1)
	if r := g.query(`{ fields { name } }`, nil); r.status != 429 || code(r) != "RATE_EXCEEDED" {
		t.Errorf("rate: %d %+v", r.status, r.Errors)
	}
	if r := g.query(`{ fields { name } }`, nil); r.status != 200 || len(r.Errors) != 0 {
		t.Errorf("after the fault: %d %+v", r.status, r.Errors)
	}
	g.token = ""
	if r := g.query(`{ fields { name } }`, nil); r.status != 401 {
		t.Errorf("no token: %d", r.status)
	}
	g.token = "bogus"
	if r := g.query(`{ fields { name } }`, nil); r.status != 401 {
		t.Errorf("bad token: %d", r.status)
	}
}

// TestMetadataFollowsPublishing: deleting and republishing changes the answers.
func TestMetadataFollowsPublishing(t *testing.T) {
	srv, g := metadataSite(t)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 2}); err != nil {
		t.Fatal(err)
	}
	var pds []struct{ Name string }
	g.query(`{ publishedDatasources { name } }`, nil).into(t, "publishedDatasources", &pds)
	if len(pds) != 3 {
		t.Errorf("after seeding: %+v", pds)
	}
}
