package tableautest_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestSeedListsPagesFiltersAndSorts(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	res, err := srv.Seed(tableautest.SeedOptions{Projects: 3, Workbooks: 250, Datasources: 7, ViewsPerWorkbook: 3, ViewCount: 2, Age: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ProjectIDs) != 3 || len(res.WorkbookIDs) != 250 || len(res.DatasourceIDs) != 7 || len(res.ViewIDs) != 750 {
		t.Fatalf("seeded %d %d %d %d", len(res.ProjectIDs), len(res.WorkbookIDs), len(res.DatasourceIDs), len(res.ViewIDs))
	}
	c := signedIn(t, srv, "")
	n := c.mustDo("GET", "sites/"+c.siteID+"/workbooks?pageSize=100&pageNumber=3", "", http.StatusOK)
	if p := n.find("pagination"); p.attr("totalAvailable") != "250" || len(n.all("workbooks")) != 50 {
		t.Fatalf("page 3: total %s, %d items", p.attr("totalAvailable"), len(n.all("workbooks")))
	}
	n = c.mustDo("GET", "sites/"+c.siteID+"/workbooks?filter=projectName:eq:Project%202&sort=name:desc&pageSize=1000", "", http.StatusOK)
	items := n.all("workbooks")
	if len(items) != 83 || items[0].find("project").attr("name") != "Project 2" {
		t.Fatalf("filtered %d items", len(items))
	}
	n = c.mustDo("GET", "sites/"+c.siteID+"/views?includeUsageStatistics=true&filter=name:eq:Sheet%203&pageSize=5", "", http.StatusOK)
	if v := n.all("views"); len(v) != 5 || v[0].find("usage").attr("totalViewCount") != "2" || n.find("pagination").attr("totalAvailable") != "250" {
		t.Fatalf("views: %+v", n)
	}
	n = c.mustDo("GET", "sites/"+c.siteID+"/datasources?fields=name,hasExtracts", "", http.StatusOK)
	if d := n.all("datasources"); len(d) != 7 || len(d[0].Attrs) != 2 || d[0].attr("hasExtracts") != "true" {
		t.Fatalf("datasources fields: %+v", d[0])
	}
	old := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	n = c.mustDo("GET", "sites/"+c.siteID+"/workbooks?filter=createdAt:lt:"+old, "", http.StatusOK)
	if n.find("pagination").attr("totalAvailable") != "250" {
		t.Fatal("Age did not date the items")
	}
	c.wantError("GET", "sites/"+c.siteID+"/workbooks?filter=color:eq:red", "", http.StatusBadRequest, "400065")
	if _, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1}); err == nil {
		t.Fatal("a second seed of the same names was accepted")
	}
	if _, err := srv.Seed(tableautest.SeedOptions{SiteContentURL: "nope", Workbooks: 1}); err == nil {
		t.Fatal("unknown site accepted")
	}
}

func TestContentGoneWithProjectAndSite(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.AddSite("Other", "other"); err != nil {
		t.Fatal(err)
	}
	res, err := srv.Seed(tableautest.SeedOptions{Projects: 2, Workbooks: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Seed(tableautest.SeedOptions{SiteContentURL: "other", Datasources: 2}); err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	c.mustDo("DELETE", "sites/"+c.siteID+"/projects/"+res.ProjectIDs[0], "", http.StatusNoContent)
	n := c.mustDo("GET", "sites/"+c.siteID+"/workbooks", "", http.StatusOK)
	if n.find("pagination").attr("totalAvailable") != "2" {
		t.Fatalf("after deleting a project: %s workbooks", n.find("pagination").attr("totalAvailable"))
	}
	c.wantError("GET", "sites/"+c.siteID+"/workbooks/"+res.WorkbookIDs[0], "", http.StatusNotFound, "404006")
	c.wantError("GET", "sites/"+c.siteID+"/views/"+res.ViewIDs[0], "", http.StatusNotFound, "404007")
	o := signedIn(t, srv, "other")
	if n := o.mustDo("GET", "sites/"+o.siteID+"/datasources", "", http.StatusOK); len(n.all("datasources")) != 2 {
		t.Fatal("other site's datasources missing")
	}
	// Content of another site is not reachable from this one.
	c.wantError("GET", "sites/"+o.siteID+"/datasources", "", http.StatusForbidden, "403000")
	// Deleting the site removes its content with it.
	o.mustDo("DELETE", "sites/"+o.siteID, "", http.StatusNoContent)
	if _, err := srv.Seed(tableautest.SeedOptions{SiteContentURL: "other", Datasources: 1}); err == nil {
		t.Fatal("seeded a deleted site")
	}
}

// pdfObjects checks a PDF's cross-reference table: every offset must point
// at "N 0 obj".
func checkPDF(t *testing.T, doc []byte) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("%PDF-1.")) || !bytes.HasSuffix(doc, []byte("%%EOF\n")) {
		t.Fatal("not a PDF")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("no startxref")
	}
	x, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(doc[x:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", x)
	}
	lines := strings.Split(string(doc[x:]), "\n")
	count, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < count; i++ {
		off, _ := strconv.Atoi(strings.Fields(lines[2+i])[0])
		if want := fmt.Sprintf("%d 0 obj", i); !bytes.HasPrefix(doc[off:], []byte(want)) {
			t.Fatalf("object %d: offset %d points at %q", i, off, doc[off:off+10])
		}
	}
}

func TestExportsAreValidFiles(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	res, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1, ViewsPerWorkbook: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	get := func(path string) ([]byte, http.Header) {
		status, b, h := c.do("GET", "sites/"+c.siteID+"/"+path, "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, status, b)
		}
		return b, h
	}
	v := res.ViewIDs[0]
	doc, h := get("views/" + v + "/pdf?type=A4&orientation=Landscape&vf_Region=East")
	if h.Get("Content-Type") != "application/pdf" || !bytes.Contains(doc, []byte("/MediaBox [0 0 842 595]")) || bytes.Contains(doc, []byte("(West")) {
		t.Fatalf("view pdf:\n%s", doc)
	}
	checkPDF(t, doc)
	wbPDF, _ := get("workbooks/" + res.WorkbookIDs[0] + "/pdf")
	checkPDF(t, wbPDF)
	if !bytes.Contains(wbPDF, []byte("/Count 2")) {
		t.Fatal("workbook pdf should have a page per view")
	}
	ppt, h := get("workbooks/" + res.WorkbookIDs[0] + "/powerpoint")
	if !strings.Contains(h.Get("Content-Type"), "presentationml") {
		t.Fatalf("pptx content type %q", h.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader(ppt), int64(len(ppt)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]bool{}
	for _, f := range zr.File {
		parts[f.Name] = true
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			var probe struct{ XMLName xml.Name }
			if err := xml.Unmarshal(b, &probe); err != nil {
				t.Fatalf("%s is not XML: %v", f.Name, err)
			}
		}
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml", "ppt/slides/slide2.xml", "ppt/media/image2.png", "ppt/theme/theme1.xml", "ppt/slideMasters/slideMaster1.xml"} {
		if !parts[p] {
			t.Errorf("pptx lacks %s", p)
		}
	}
	c.wantError("GET", "sites/"+c.siteID+"/views/"+v+"/pdf?type=A0", "", http.StatusBadRequest, "400000")
	c.wantError("GET", "sites/"+c.siteID+"/views/"+v+"/image?resolution=ultra", "", http.StatusBadRequest, "400000")
	c.wantError("GET", "sites/"+c.siteID+"/views/"+v+"/image?vizWidth=99999", "", http.StatusBadRequest, "400000")
	c.wantError("GET", "sites/"+c.siteID+"/views/"+v+"/data?maxAge=0", "", http.StatusBadRequest, "400000")
	csv, _ := get("views/" + v + "/data?vf_Category=Technology")
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); len(lines) != 5 || lines[0] != "Region,Category,Sales,Profit" {
		t.Fatalf("csv:\n%s", csv)
	}
}

func TestRevisionLimitAndUploadAppend(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(0)
	c := signedIn(t, srv, "")
	c.mustDo("PUT", "sites/"+c.siteID, `<tsRequest><site revisionLimit="2"/></tsRequest>`, http.StatusOK)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 1}); err != nil {
		t.Fatal(err)
	}
	pid := c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK).all("projects")[0].attr("id")
	// Publish three times through upload sessions; only two revisions stay.
	for i := 0; i < 3; i++ {
		up := c.mustDo("POST", "sites/"+c.siteID+"/fileUploads", "", http.StatusCreated).find("fileUpload").attr("uploadSessionId")
		for _, chunk := range [][]byte{tableautest.SampleHyper(100), []byte("more bytes")} {
			body, ct := mixed(t, "", "tableau_file", "file", chunk)
			status, b, _ := c.doContent("PUT", "sites/"+c.siteID+"/fileUploads/"+up, ct, body)
			if status != http.StatusOK {
				t.Fatalf("append: %d %s", status, b)
			}
		}
		body, ct := mixed(t, `<tsRequest><datasource name="Big"><project id="`+pid+`"/></datasource></tsRequest>`, "", "", nil)
		status, b, _ := c.doContent("POST", "sites/"+c.siteID+"/datasources?overwrite=true&datasourceType=hyper&uploadSessionId="+up, ct, body)
		if status != http.StatusCreated {
			t.Fatalf("publish %d: %d %s", i, status, b)
		}
	}
	n := c.mustDo("GET", "sites/"+c.siteID+"/datasources?filter=name:eq:Big", "", http.StatusOK)
	id := n.all("datasources")[0].attr("id")
	revs := c.mustDo("GET", "sites/"+c.siteID+"/datasources/"+id+"/revisions", "", http.StatusOK).all("revisions")
	if len(revs) != 2 || revs[0].attr("revisionNumber") != "2" || revs[1].attr("current") != "true" || revs[1].attr("sizeInBytes") != "110" {
		t.Fatalf("revisions: %+v", revs)
	}
}

// mixed builds a multipart/mixed body with a payload and an optional file part.
func mixed(t *testing.T, payload, part, file string, data []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	boundary := "b0undary" + strconv.Itoa(len(data))
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: name=\"request_payload\"\r\nContent-Type: text/xml\r\n\r\n%s\r\n", boundary, payload)
	if part != "" {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: name=%q; filename=%q\r\nContent-Type: application/octet-stream\r\n\r\n", boundary, part, file)
		b.Write(data)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.String(), "multipart/mixed; boundary=" + boundary
}

// doContent is do with a Content-Type.
func (c *client) doContent(method, path, ctype, body string) (int, []byte, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("X-Tableau-Auth", c.token)
	req.Header.Set("Content-Type", ctype)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}
