package rest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// defaultProject returns the id of the site's Default project.
func defaultProject(t *testing.T, c *rest.Client) string {
	t.Helper()
	p, err := c.Projects.GetByPath(context.Background(), "Default")
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestWorkbooksPublishGetListDownloadUpdateDelete(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(0)
	ctx := context.Background()
	pid := defaultProject(t, c)
	twb := tableautest.SampleTWB("db.example.com", "Overview", "Details")
	var progressed int64
	wb, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{
		Name: "Sales", ProjectID: pid, FileName: "Sales.twb", ShowTabs: true,
		Connections: []rest.ConnectionCredentials{{ServerAddress: "db.example.com", Username: "etl", Password: "s3cret", Embed: true}},
		Progress:    func(done, total int64) { progressed = done },
	})
	if err != nil {
		t.Fatal(err)
	}
	if wb.ID == "" || wb.Name != "Sales" || !wb.ShowTabs || wb.Project.ID != pid || len(wb.Views) != 2 || wb.Views[0].Name != "Overview" {
		t.Fatalf("published %+v", wb)
	}
	if progressed != int64(len(twb)) {
		t.Fatalf("progress reported %d of %d bytes", progressed, len(twb))
	}
	got, err := c.Workbooks.Get(ctx, wb.ID)
	if err != nil || got.Name != "Sales" || len(got.Views) != 2 {
		t.Fatalf("get = %+v, %v", got, err)
	}
	// Same name without overwrite: a conflict naming the workbook.
	_, err = c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "Sales", ProjectID: pid, FileName: "Sales.twb"})
	if !errors.Is(err, tableau.ErrConflict) || !strings.Contains(err.Error(), "Sales") {
		t.Fatalf("name clash: %v", err)
	}
	// Overwrite adds a revision.
	twb2 := tableautest.SampleTWB("db.example.com", "Overview", "Details", "Trends")
	wb2, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb2), &rest.PublishOptions{Name: "Sales", ProjectID: pid, FileName: "Sales.twb", Mode: rest.PublishOverwrite})
	if err != nil || wb2.ID != wb.ID || len(wb2.Views) != 3 {
		t.Fatalf("overwrite = %+v, %v", wb2, err)
	}
	revs, err := c.Workbooks.Revisions(wb.ID, nil).Collect(ctx)
	if err != nil || len(revs) != 2 || !revs[1].Current || revs[0].SizeInBytes != int64(len(twb)) {
		t.Fatalf("revisions = %+v, %v", revs, err)
	}
	var old bytes.Buffer
	if _, err := c.Workbooks.DownloadRevision(ctx, wb.ID, revs[0].Number, &old, nil); err != nil || !bytes.Equal(old.Bytes(), twb) {
		t.Fatalf("revision 1 download: %v (%d bytes)", err, old.Len())
	}
	if err := c.Workbooks.DeleteRevision(ctx, wb.ID, revs[1].Number); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("deleting the current revision: %v", err)
	}
	if err := c.Workbooks.DeleteRevision(ctx, wb.ID, revs[0].Number); err != nil {
		t.Fatal(err)
	}
	// Download returns the same bytes.
	var buf bytes.Buffer
	d, err := c.Workbooks.Download(ctx, wb.ID, &buf, nil)
	if err != nil || !bytes.Equal(buf.Bytes(), twb2) || d.FileName != "Sales.twb" {
		t.Fatalf("download: %v, %+v, same=%v", err, d, bytes.Equal(buf.Bytes(), twb2))
	}
	dir := t.TempDir()
	p, err := c.Workbooks.DownloadFile(ctx, wb.ID, dir, nil)
	if err != nil || filepath.Base(p) != "Sales.twb" {
		t.Fatalf("download file: %q, %v", p, err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, twb2) {
		t.Fatal("downloaded file differs")
	}
	// List with a filter and a sort.
	if _, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "Marketing", ProjectID: pid, FileName: "m.twb"}); err != nil {
		t.Fatal(err)
	}
	all, err := c.Workbooks.List(&tableau.ListOptions{Sorts: []tableau.Sort{tableau.Desc("name")}}).Collect(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Sales" {
		t.Fatalf("list = %+v, %v", all, err)
	}
	only, err := c.Workbooks.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("name", "Mark*")}}).Collect(ctx)
	if err != nil || len(only) != 1 || only[0].Name != "Marketing" {
		t.Fatalf("filtered = %+v, %v", only, err)
	}
	// Update.
	name, desc := "Sales 2024", "quarterly"
	upd, err := c.Workbooks.Update(ctx, wb.ID, rest.WorkbookUpdate{Name: &name, Description: &desc})
	if err != nil || upd.Name != name || upd.Description != desc {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	// Connections: list and update.
	conns, err := c.Workbooks.Connections(ctx, wb.ID)
	if err != nil || len(conns) != 1 || conns[0].ServerAddress != "db.example.com" || conns[0].Type != "postgres" {
		t.Fatalf("connections = %+v, %v", conns, err)
	}
	srvName, port, user, pw, embed := "db2.example.com", "5433", "reader", "pw", true
	cu, err := c.Workbooks.UpdateConnection(ctx, wb.ID, conns[0].ID, rest.ConnectionUpdate{ServerAddress: &srvName, ServerPort: &port, Username: &user, Password: &pw, EmbedPassword: &embed})
	if err != nil || cu.ServerAddress != srvName || cu.ServerPort != "5433" || cu.Username != "reader" || !cu.EmbedPassword {
		t.Fatalf("update connection = %+v, %v", cu, err)
	}
	// Tags.
	tags, err := c.Workbooks.AddTags(ctx, wb.ID, "finance", "q4")
	if err != nil || !slices.Equal(tags, []string{"finance", "q4"}) {
		t.Fatalf("tags = %v, %v", tags, err)
	}
	if err := c.Workbooks.DeleteTag(ctx, wb.ID, "q4"); err != nil {
		t.Fatal(err)
	}
	tagged, err := c.Workbooks.List(&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("tags", "finance")}}).Collect(ctx)
	if err != nil || len(tagged) != 1 || !slices.Equal(tagged[0].TagLabels(), []string{"finance"}) {
		t.Fatalf("tagged = %+v, %v", tagged, err)
	}
	// Views with usage, preview, PDF, PowerPoint.
	views, err := c.Workbooks.Views(ctx, wb.ID, true)
	if err != nil || len(views) != 3 || views[0].TotalViews() != 0 {
		t.Fatalf("views = %+v, %v", views, err)
	}
	var img bytes.Buffer
	if err := c.Workbooks.PreviewImage(ctx, wb.ID, &img); err != nil || !bytes.HasPrefix(img.Bytes(), []byte("\x89PNG")) {
		t.Fatalf("preview: %v", err)
	}
	var pdf bytes.Buffer
	if err := c.Workbooks.PDF(ctx, wb.ID, &pdf, &rest.PDFOptions{PageType: "a4", Orientation: "landscape"}); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("pdf: %v", err)
	}
	var ppt bytes.Buffer
	if err := c.Workbooks.PowerPoint(ctx, wb.ID, &ppt, 0); err != nil || !bytes.HasPrefix(ppt.Bytes(), []byte("PK")) {
		t.Fatalf("powerpoint: %v", err)
	}
	// Delete.
	if err := c.Workbooks.Delete(ctx, wb.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workbooks.Get(ctx, wb.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestWorkbooksPublishTWBXWithAndWithoutExtract(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	pid := defaultProject(t, c)
	extract := tableautest.SampleHyper(4096)
	twbx := tableautest.SamplePackage("Sales.twb", tableautest.SampleTWB("db.example.com"), extract)
	path := filepath.Join(t.TempDir(), "Sales.twbx")
	if err := os.WriteFile(path, twbx, 0o600); err != nil {
		t.Fatal(err)
	}
	wb, err := c.Workbooks.PublishFile(ctx, path, &rest.PublishOptions{ProjectID: pid, SkipConnectionCheck: true})
	if err != nil || wb.Name != "Sales" {
		t.Fatalf("publish file = %+v, %v", wb, err)
	}
	var full, lean bytes.Buffer
	if _, err := c.Workbooks.Download(ctx, wb.ID, &full, nil); err != nil || !bytes.Equal(full.Bytes(), twbx) {
		t.Fatalf("full download: %v", err)
	}
	if _, err := c.Workbooks.Download(ctx, wb.ID, &lean, &rest.DownloadOptions{NoExtract: true}); err != nil {
		t.Fatal(err)
	}
	if lean.Len() >= full.Len() || bytes.Contains(lean.Bytes(), []byte("extract.hyper")) {
		t.Fatalf("download without extract still holds it (%d vs %d bytes)", lean.Len(), full.Len())
	}
}

func TestWorkbooksPublishAsJobAndRefresh(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(200 * time.Millisecond)
	ctx := context.Background()
	pid := defaultProject(t, c)
	twbx := tableautest.SamplePackage("Sales.twb", tableautest.SampleTWB("db.example.com"), tableautest.SampleHyper(64))
	job, err := c.Workbooks.PublishAsJob(ctx, bytes.NewReader(twbx), &rest.PublishOptions{Name: "Async", ProjectID: pid, FileName: "Async.twbx"})
	if err != nil || job.Type != "PublishWorkbook" || job.Finished {
		t.Fatalf("publish as job = %+v, %v", job, err)
	}
	fast := &rest.WaitOptions{Interval: 50 * time.Millisecond}
	done, err := c.Jobs.Wait(ctx, job.ID, fast)
	if err != nil || done.Status() != rest.JobSuccess || done.WorkbookID == "" {
		t.Fatalf("wait = %+v, %v", done, err)
	}
	wb, err := c.Workbooks.Get(ctx, done.WorkbookID)
	if err != nil || wb.Name != "Async" {
		t.Fatalf("published by the job: %+v, %v", wb, err)
	}
	rj, err := c.Workbooks.Refresh(ctx, wb.ID, nil)
	if err != nil || rj.Type != "RefreshExtract" || rj.WorkbookID != wb.ID {
		t.Fatalf("refresh = %+v, %v", rj, err)
	}
	if _, err := c.Jobs.Wait(ctx, rj.ID, fast); err != nil {
		t.Fatal(err)
	}
	// A .twb without extract cannot be refreshed.
	plain, err := c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.SampleTWB("db.example.com")), &rest.PublishOptions{Name: "Live", ProjectID: pid, FileName: "Live.twb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workbooks.Refresh(ctx, plain.ID, nil); !errors.Is(err, tableau.ErrBadRequest) || !strings.Contains(err.Error(), "no extract") {
		t.Fatalf("refresh without extract: %v", err)
	}
}

func TestWorkbooksPublishStreamsOneShotReader(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	pid := defaultProject(t, c)
	twb := tableautest.SampleTWB("db.example.com")
	// A reader that is not a Seeker, with its size given: one streamed request.
	r := io.MultiReader(bytes.NewReader(twb[:10]), bytes.NewReader(twb[10:]))
	wb, err := c.Workbooks.Publish(ctx, r, &rest.PublishOptions{Name: "Stream", ProjectID: pid, FileName: "Stream.twb", Size: int64(len(twb))})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := c.Workbooks.Download(ctx, wb.ID, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), twb) {
		t.Fatalf("round trip: %v", err)
	}
}
