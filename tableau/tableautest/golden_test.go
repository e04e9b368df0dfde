package tableautest_test

import (
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// The golden files in testdata/golden are written from the REST API
// reference, not from the emulator (see testdata/golden/README.md).

var (
	uuidRE  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	timeRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	hmsRE   = regexp.MustCompile(`^\d+:\d{2}:\d{2}$`)
	buildRE = regexp.MustCompile(`^[0-9]{5}\.[0-9]{2}\.[0-9]{4}\.[0-9]{4}$`)
	tokenRE = regexp.MustCompile(`^\S{16,}$`)
)

// shapeRules say which generated values are compared by shape.
var shapeRules = map[string]*regexp.Regexp{
	"id":                              uuidRE,
	"parentProjectId":                 uuidRE,
	"controllingPermissionsProjectId": uuidRE,
	"createdAt":                       timeRE,
	"updatedAt":                       timeRE,
	"estimatedTimeToExpiration":       hmsRE,
	"build":                           buildRE,
	"token":                           tokenRE,
}

// textShapes say which elements' text is compared by shape.
var textShapes = map[string]*regexp.Regexp{
	"prepConductorVersion": buildRE,
	"detail":               regexp.MustCompile(`^\S.*\S$`),
}

// compareGolden reports every difference between a golden file and a response.
func compareGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", "golden", file))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "<?xml version='1.0' encoding='UTF-8'?>") {
		t.Errorf("%s: response does not start with the XML declaration:\n%s", file, got)
	}
	var w, g node
	if err := xml.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: golden file is not XML: %v", file, err)
	}
	if err := xml.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: response is not XML: %v\n%s", file, err, got)
	}
	var diffs []string
	diffNodes(&w, &g, "/"+w.XMLName.Local, &diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: response differs from the reference:\n  %s\nresponse:\n%s", file, strings.Join(diffs, "\n  "), got)
	}
}

func attrMap(n *node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue // namespace declarations are checked through XMLName.Space
		}
		key := a.Name.Local
		if a.Name.Space != "" {
			key = a.Name.Space + " " + a.Name.Local
		}
		m[key] = a.Value
	}
	return m
}

func diffNodes(w, g *node, path string, diffs *[]string) {
	add := func(format string, args ...any) {
		*diffs = append(*diffs, path+": "+sprintf(format, args...))
	}
	if w.XMLName != g.XMLName {
		add("element %v, want %v", g.XMLName, w.XMLName)
		return
	}
	wa, ga := attrMap(w), attrMap(g)
	var names []string
	for k := range wa {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		gv, ok := ga[k]
		if !ok {
			add("missing attribute %s", k)
			continue
		}
		if re := shapeRules[k]; re != nil {
			if !re.MatchString(wa[k]) {
				add("golden value %s=%q does not have its own shape %s", k, wa[k], re)
			}
			if !re.MatchString(gv) {
				add("attribute %s=%q does not match %s", k, gv, re)
			}
			continue
		}
		if strings.HasSuffix(k, "schemaLocation") {
			if !strings.HasPrefix(gv, tableautest.Namespace+" ") {
				add("schemaLocation %q does not name the namespace", gv)
			}
			continue
		}
		if gv != wa[k] {
			add("attribute %s=%q, want %q", k, gv, wa[k])
		}
	}
	for k := range ga {
		if _, ok := wa[k]; !ok {
			add("unexpected attribute %s=%q", k, ga[k])
		}
	}
	wt, gt := strings.TrimSpace(w.Text), strings.TrimSpace(g.Text)
	if re := textShapes[w.XMLName.Local]; re != nil {
		if !re.MatchString(gt) {
			add("text %q does not match %s", gt, re)
		}
	} else if wt != gt {
		add("text %q, want %q", gt, wt)
	}
	if len(w.Nodes) != len(g.Nodes) {
		var wn, gn []string
		for _, n := range w.Nodes {
			wn = append(wn, n.XMLName.Local)
		}
		for _, n := range g.Nodes {
			gn = append(gn, n.XMLName.Local)
		}
		add("children %v, want %v", gn, wn)
		return
	}
	for i := range w.Nodes {
		diffNodes(&w.Nodes[i], &g.Nodes[i], path+"/"+w.Nodes[i].XMLName.Local, diffs)
	}
}

// raw sends a request and returns status and body without parsing.
func (c *client) raw(method, path, body string, want int) []byte {
	c.t.Helper()
	status, b, h := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, status, want, b)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		c.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return b
}

func TestGoldenServerInfo(t *testing.T) {
	srv := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.24", ProductVersion: "2024.2.0"})
	compareGolden(t, "serverinfo.xml", newClient(t, srv).raw("GET", "serverinfo", "", http.StatusOK))
}

func TestGoldenSignInAndSwitchSite(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.AddSite("Marketing Team", "MarketingTeam"); err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	c := newClient(t, srv)
	compareGolden(t, "signin.xml", c.raw("POST", "auth/signin", passwordBody(cr.Username, cr.Password, ""), http.StatusOK))
	compareGolden(t, "error_401001.xml", c.raw("POST", "auth/signin", passwordBody(cr.Username, "wrong", ""), http.StatusUnauthorized))
	c.signIn(passwordBody(cr.Username, cr.Password, ""))
	compareGolden(t, "switchsite.xml", c.raw("POST", "auth/switchSite", `<tsRequest><site contentUrl="MarketingTeam"/></tsRequest>`, http.StatusOK))
	compareGolden(t, "error_401002.xml", c.raw("GET", "sites/"+c.siteID+"/projects", "", http.StatusUnauthorized))
}

func TestGoldenSites(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	id, err := srv.AddSite("Marketing Team", "MarketingTeam")
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	compareGolden(t, "query_site.xml", c.raw("GET", "sites/Marketing%20Team?key=name", "", http.StatusOK))
	compareGolden(t, "query_site.xml", c.raw("GET", "sites/MarketingTeam?key=contentUrl", "", http.StatusOK))
	compareGolden(t, "query_sites.xml", c.raw("GET", "sites", "", http.StatusOK))
	c.signIn(patBody(srv.Credentials().PATName, srv.Credentials().PATSecret, "MarketingTeam"))
	compareGolden(t, "query_site.xml", c.raw("GET", "sites/"+id, "", http.StatusOK))
	compareGolden(t, "create_site.xml", c.raw("POST", "sites",
		`<tsRequest><site name="Finance" contentUrl="Finance" adminMode="ContentAndUsers" userQuota="15" storageQuota="1000" disableSubscriptions="true"/></tsRequest>`,
		http.StatusCreated))
}

func TestGoldenProjects(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/projects"
	mkt := c.mustDo("POST", base, `<tsRequest><project name="Marketing" description="Campaign dashboards" contentPermissions="LockedToProject"/></tsRequest>`, http.StatusCreated).find("project")
	compareGolden(t, "create_project.xml", c.raw("POST", base, `<tsRequest><project name="Campaigns 2016" parentProjectId="`+mkt.attr("id")+`"/></tsRequest>`, http.StatusCreated))
	compareGolden(t, "query_projects.xml", c.raw("GET", base, "", http.StatusOK))
	compareGolden(t, "query_projects_page2.xml", c.raw("GET", base+"?pageSize=2&pageNumber=2", "", http.StatusOK))
	compareGolden(t, "error_409006.xml", c.raw("POST", base, `<tsRequest><project name="Marketing"/></tsRequest>`, http.StatusConflict))
	compareGolden(t, "error_400006.xml", c.raw("GET", base+"?pageNumber=0", "", http.StatusBadRequest))
	compareGolden(t, "error_404005.xml", c.raw("PUT", base+"/1f2f3e4e-5d6d-7c8c-9b0b-1a2a3f4f5e6e", `<tsRequest><project name="X"/></tsRequest>`, http.StatusNotFound))
	compareGolden(t, "update_project.xml", c.raw("PUT", base+"/"+mkt.attr("id"),
		`<tsRequest><project name="Marketing and Sales" description="Campaign and pipeline dashboards" contentPermissions="ManagedByOwner"/></tsRequest>`, http.StatusOK))
}

// TestGoldenComparisonCatchesDifferences makes sure the comparison fails
// on the mistakes it exists to catch.
func TestGoldenComparisonCatchesDifferences(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "golden", "query_site.xml"))
	if err != nil {
		t.Fatal(err)
	}
	mutations := map[string]func(string) string{
		"namespace": func(s string) string {
			return strings.Replace(s, `xmlns="http://tableau.com/api"`, `xmlns="http://example.com"`, 1)
		},
		"attribute name": func(s string) string { return strings.Replace(s, "contentUrl=", "contentURL=", 1) },
		"extra attr":     func(s string) string { return strings.Replace(s, "<site ", `<site extra="1" `, 1) },
		"literal value":  func(s string) string { return strings.Replace(s, `state="Active"`, `state="active"`, 1) },
		"id shape": func(s string) string {
			return strings.Replace(s, `id="1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"`, `id="42"`, 1)
		},
		"element": func(s string) string { return strings.Replace(s, "<site ", "<sites ", 1) },
	}
	for name, mutate := range mutations {
		var w, g node
		if err := xml.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal([]byte(mutate(string(want))), &g); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var diffs []string
		diffNodes(&w, &g, "/", &diffs)
		if len(diffs) == 0 {
			t.Errorf("mutation %q went unnoticed", name)
		}
	}
}
