package rest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

// TestFlowsPublishChunked publishes a .tflx through an upload session in
// chunks (a small threshold stands in for 64 MB), with progress, then a
// reader of unknown size; the downloads are byte for byte what was sent.
func TestFlowsPublishChunked(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	proj, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Prep"})
	if err != nil {
		t.Fatal(err)
	}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	fw, _ := zw.Create("flow")
	fw.Write([]byte(`{"nodes":{"n1":{"name":"` + strings.Repeat("x", 20000) + `"}},"connections":{}}`)) //nolint:errcheck
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file := zb.Bytes()
	var calls int
	var last int64
	f, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Big flow", ProjectID: proj.ID, FileName: "big.tflx",
		ChunkThreshold: 64, ChunkSize: 100, Progress: func(done, total int64) { calls++; last = done }},
		bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	wantChunks := (len(file) + 99) / 100
	if f.FileType != "tflx" || calls != wantChunks || last != int64(len(file)) {
		t.Fatalf("flow %+v; progress called %d times (want %d, one per chunk), last %d of %d", f, calls, wantChunks, last, len(file))
	}
	var got bytes.Buffer
	if _, err := c.Flows.Download(ctx, f.ID, &got); err != nil || !bytes.Equal(got.Bytes(), file) {
		t.Fatalf("download: %d bytes, %v", got.Len(), err)
	}

	// A reader of unknown size goes through an upload session too.
	tflText := `{"nodes":{},"connections":{},"v":3}`
	f2, err := c.Flows.Publish(ctx, rest.FlowPublish{Name: "Streamed", ProjectID: proj.ID, FileName: "s.tfl"},
		io.MultiReader(strings.NewReader(tflText)))
	if err != nil {
		t.Fatal(err)
	}
	got.Reset()
	if _, err := c.Flows.Download(ctx, f2.ID, &got); err != nil || got.String() != tflText {
		t.Fatalf("download of the streamed flow: %q %v", got.String(), err)
	}

	// Invalid arguments fail before any request.
	for name, in := range map[string]rest.FlowPublish{
		"extension":   {Name: "x", ProjectID: proj.ID, FileName: "x.twb"},
		"chunk size":  {Name: "x", ProjectID: proj.ID, FileName: "x.tfl", ChunkSize: rest.MaxChunkSize + 1},
		"connection":  {Name: "x", ProjectID: proj.ID, FileName: "x.tfl", Connections: []rest.FlowConnectionCredentials{{UserName: "u"}}},
		"no name":     {ProjectID: proj.ID, FileName: "x.tfl"},
		"no project":  {Name: "x", FileName: "x.tfl"},
		"overwrite+?": {Name: "x", FileName: "x.tfl", Overwrite: true},
	} {
		if _, err := c.Flows.Publish(ctx, in, strings.NewReader(tflText)); !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
}
