package rest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// quickRetries makes the session retry fast.
func quickRetries(max int) func(*tableau.Config) {
	return func(cfg *tableau.Config) {
		cfg.Retry = tableau.RetryPolicy{MaxRetries: max, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
	}
}

// onlyReader hides every method but Read, so the size is unknown.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestPublishChunkedSurvives503OnOneChunk(t *testing.T) {
	for _, tc := range []struct {
		name    string
		retries int // session retries; -1 leaves the chunk retry to the upload loop
	}{{"session retry", 3}, {"chunk retry", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newClient(t, nil, quickRetries(tc.retries))
			ctx := context.Background()
			pid := defaultProject(t, c)
			data := tableautest.SampleHyper(100_000)
			srv.Faults().OnlyPath("/fileUploads/").Status(1, 503)
			var last int64
			calls := 0
			ds, err := c.Datasources.Publish(ctx, bytes.NewReader(data), &rest.PublishOptions{
				Name: "Big", ProjectID: pid, FileName: "big.hyper",
				ChunkThreshold: 10_000, ChunkSize: 16_384,
				Progress: func(done, total int64) {
					if done < last || total != int64(len(data)) {
						t.Errorf("progress went %d -> %d of %d", last, done, total)
					}
					last, calls = done, calls+1
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if last != int64(len(data)) || calls != 7 {
				t.Fatalf("progress ended at %d after %d calls", last, calls)
			}
			var buf bytes.Buffer
			if _, err := c.Datasources.Download(ctx, ds.ID, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), data) {
				t.Fatalf("round trip after a 503: %v (%d bytes)", err, buf.Len())
			}
		})
	}
}

func TestPublishChunkedUnknownSizeAndDroppedChunk(t *testing.T) {
	c, srv := newClient(t, nil, quickRetries(3))
	ctx := context.Background()
	pid := defaultProject(t, c)
	twbx := tableautest.SamplePackage("Sales.twb", tableautest.SampleTWB("db.example.com", "A", "B"), tableautest.SampleHyper(50_000))
	srv.Faults().OnlyPath("/fileUploads/").Drop(1)
	wb, err := c.Workbooks.Publish(ctx, onlyReader{bytes.NewReader(twbx)}, &rest.PublishOptions{
		Name: "Chunked", ProjectID: pid, FileName: "Chunked.twbx", ChunkSize: 8192,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Views) != 2 {
		t.Fatalf("views of a chunked twbx: %+v", wb.Views)
	}
	var buf bytes.Buffer
	if _, err := c.Workbooks.Download(ctx, wb.ID, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), twbx) {
		t.Fatalf("round trip: %v", err)
	}
}

func TestDownloadCutHalfWayIsAnError(t *testing.T) {
	c, srv := newClient(t, nil, quickRetries(-1))
	ctx := context.Background()
	pid := defaultProject(t, c)
	data := tableautest.SampleHyper(200_000)
	ds, err := c.Datasources.Publish(ctx, bytes.NewReader(data), &rest.PublishOptions{Name: "Cut", ProjectID: pid, FileName: "cut.hyper"})
	if err != nil {
		t.Fatal(err)
	}
	srv.CutDownloads(1, 100_000)
	var buf bytes.Buffer
	_, err = c.Datasources.Download(ctx, ds.ID, &buf, nil)
	if !errors.Is(err, rest.ErrIncomplete) {
		t.Fatalf("cut download: %v (%d bytes)", err, buf.Len())
	}
	srv.CutDownloads(1, 100_000)
	dir := t.TempDir()
	target := filepath.Join(dir, "cut.hyper")
	if _, err := c.Datasources.DownloadFile(ctx, ds.ID, target, nil); !errors.Is(err, rest.ErrIncomplete) {
		t.Fatalf("cut download to file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a cut download left files: %v", entries)
	}
	// The next download is whole.
	p, err := c.Datasources.DownloadFile(ctx, ds.ID, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, data) {
		t.Fatal("whole download differs")
	}
}

func TestJobWaitSurvives429s(t *testing.T) {
	c, srv := newClient(t, nil, quickRetries(1))
	srv.SetJobDuration(30 * time.Millisecond)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 1})
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.Datasources.Refresh(ctx, seed.DatasourceIDs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	// More 429s than the session retries: Wait waits them out.
	srv.Faults().OnlyPath("/jobs/").RateLimit(5, "0")
	done, err := c.Jobs.Wait(ctx, j.ID, &rest.WaitOptions{Interval: 5 * time.Millisecond})
	if err != nil || done.Status() != rest.JobSuccess {
		t.Fatalf("wait through 429s = %+v, %v", done, err)
	}
}

func TestPublishBadInputNamesTheProblem(t *testing.T) {
	c, _ := newClient(t, nil, nil)
	ctx := context.Background()
	pid := defaultProject(t, c)
	twb := tableautest.SampleTWB("db.example.com")
	cases := []struct {
		name     string
		publish  func() error
		sentinel error
		mention  string
	}{
		{"missing file", func() error {
			_, err := c.Workbooks.PublishFile(ctx, filepath.Join(t.TempDir(), "nope.twbx"), &rest.PublishOptions{ProjectID: pid})
			return err
		}, tableau.ErrInvalidArgument, "nope.twbx"},
		{"wrong type for workbooks", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.tds"})
			return err
		}, tableau.ErrInvalidArgument, ".twb"},
		{"wrong type for datasources", func() error {
			_, err := c.Datasources.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb"})
			return err
		}, tableau.ErrInvalidArgument, ".tds"},
		{"content not a workbook", func() error {
			_, err := c.Workbooks.Publish(ctx, strings.NewReader("<datasource/>"), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb"})
			return err
		}, tableau.ErrBadRequest, "not <workbook>"},
		{"twbx not a zip", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twbx"})
			return err
		}, tableau.ErrBadRequest, "zip"},
		{"unknown project", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: "0000-missing", FileName: "x.twb"})
			return err
		}, tableau.ErrNotFound, "0000-missing"},
		{"credentials for an unknown server", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb",
				Connections: []rest.ConnectionCredentials{{ServerAddress: "other.example.com", Username: "u"}}})
			return err
		}, tableau.ErrBadRequest, "other.example.com"},
		{"connection check", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.SampleTWB("db.invalid")), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb"})
			return err
		}, tableau.ErrBadRequest, "skipConnectionCheck"},
		{"empty file", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(nil), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb"})
			return err
		}, tableau.ErrInvalidArgument, "empty"},
		{"nil options", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), nil)
			return err
		}, tableau.ErrInvalidArgument, "Name"},
		{"short reader", func() error {
			_, err := c.Workbooks.Publish(ctx, onlyReader{bytes.NewReader(twb)}, &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb", Size: int64(len(twb)) + 10})
			return err
		}, io.ErrUnexpectedEOF, "ended after"},
		{"long reader", func() error {
			_, err := c.Workbooks.Publish(ctx, onlyReader{bytes.NewReader(twb)}, &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb", Size: int64(len(twb)) - 10})
			return err
		}, nil, "more than"},
		{"append to a workbook", func() error {
			_, err := c.Workbooks.Publish(ctx, bytes.NewReader(twb), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb", Mode: rest.PublishAppend})
			return err
		}, tableau.ErrInvalidArgument, "PublishAppend"},
	}
	for _, tc := range cases {
		err := tc.publish()
		if err == nil || tc.sentinel != nil && !errors.Is(err, tc.sentinel) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: got %v, want %v mentioning %q", tc.name, err, tc.sentinel, tc.mention)
		}
	}
	// The connection check can be skipped.
	if _, err := c.Workbooks.Publish(ctx, bytes.NewReader(tableautest.SampleTWB("db.invalid")), &rest.PublishOptions{Name: "x", ProjectID: pid, FileName: "x.twb", SkipConnectionCheck: true}); err != nil {
		t.Fatal(err)
	}
}
