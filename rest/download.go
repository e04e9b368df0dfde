package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// ErrIncomplete matches a download that ended before the size the server
// announced: the bytes written so far are not the whole file.
var ErrIncomplete = errors.New("rest: download incomplete")

// DownloadOptions configure downloads of workbooks, datasources and
// revisions. A nil *DownloadOptions uses every default.
type DownloadOptions struct {
	// NoExtract leaves the extract out of a .twbx or .tdsx.
	// Default: false (the extract is included).
	NoExtract bool
	// Progress is told the bytes written as the file arrives. Default: nil.
	Progress Progress
}

// Download describes a downloaded file.
type Download struct {
	// FileName is the name the server gives the file (Content-Disposition).
	FileName string
	// Size is the number of bytes written.
	Size int64
	// ContentType is the server's Content-Type.
	ContentType string
}

// fetchTo GETs path and streams the body to w, checking that every
// announced byte arrived.
func (sv service) fetchTo(ctx context.Context, m, path string, q url.Values, w io.Writer, progress Progress) (*Download, error) {
	if w == nil {
		return nil, fmt.Errorf("rest.%s: %w: the writer is nil", m, tableau.ErrInvalidArgument)
	}
	resp, err := sv.s.Send(ctx, &tableau.Request{Method: http.MethodGet, Path: path, Query: q,
		Header: http.Header{"Accept": {"*/*"}}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	d := &Download{ContentType: resp.Header.Get("Content-Type")}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		d.FileName = filepath.Base(params["filename"])
		if d.FileName == "." || d.FileName == "/" {
			d.FileName = ""
		}
	}
	total := resp.ContentLength
	pw := &progressWriter{w: w, total: total, fn: progress}
	n, err := io.Copy(pw, resp.Body)
	d.Size = n
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || total >= 0 && n < total {
			return d, fmt.Errorf("rest.%s: %w: got %d of %d bytes: %w", m, ErrIncomplete, n, total, err)
		}
		return d, fmt.Errorf("rest.%s: after %d bytes: %w", m, n, err)
	}
	if total >= 0 && n != total {
		return d, fmt.Errorf("rest.%s: %w: got %d of %d bytes", m, ErrIncomplete, n, total)
	}
	return d, nil
}

// toFile runs fetch into a temporary file beside path and renames it to
// path only when the whole file arrived, so a failed download never leaves
// a short file under the final name. If path is an existing directory, the
// file goes into it under the server's file name (fallback: fallback).
func toFile(m, path, fallback string, fetch func(w io.Writer) (*Download, error)) (string, *Download, error) {
	dir, final := filepath.Dir(path), path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		dir, final = path, ""
	}
	tmp, err := os.CreateTemp(dir, ".tableau-download-*")
	if err != nil {
		return "", nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	d, err := fetch(tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("rest.%s: %w", m, cerr)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", d, err
	}
	if final == "" {
		name := d.FileName
		if name == "" || strings.ContainsAny(name, `/\`) {
			name = fallback
		}
		final = filepath.Join(dir, name)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return "", d, fmt.Errorf("rest.%s: %w", m, err)
	}
	return final, d, nil
}
