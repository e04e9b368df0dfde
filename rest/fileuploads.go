package rest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// Upload-session defaults.
const (
	// DefaultChunkThreshold is the file size from which publishing goes
	// through an upload session: the REST API takes at most 64 MB in one
	// request.
	DefaultChunkThreshold = 64 << 20
	// DefaultChunkSize is the size of one appended chunk (as TSC sends).
	DefaultChunkSize = 5 << 20
	// MaxChunkSize is the largest chunk the REST API takes.
	MaxChunkSize = 64 << 20
	// DefaultChunkRetries is how many more times a failed chunk is sent.
	DefaultChunkRetries = 3
)

// FileUploadsService manages upload sessions (fileUploads): the way to send
// files of 64 MB or more, in chunks, before publishing them or updating a
// datasource's data. Publish and UpdateData use it by themselves. c.FileUploads.
type FileUploadsService struct{ service }

// UploadOptions configure [FileUploadsService.Upload]. A nil *UploadOptions
// uses every default.
type UploadOptions struct {
	// ChunkSize is the size of each appended chunk, 1 byte to 64 MB; the
	// client holds one chunk in memory at a time. Default: 5 MB.
	ChunkSize int64
	// ChunkRetries is how many more times a chunk is sent after a failure
	// that may pass (5xx, 429, a reset connection), on top of the
	// session's own retries. Default: 3. Negative: none.
	ChunkRetries int
	// Size is the number of bytes the reader holds, for progress; 0 or
	// less means unknown. Default: unknown.
	Size int64
	// Progress is told the bytes sent after every chunk. Default: nil.
	Progress Progress
}

func (o *UploadOptions) chunkSize() (int64, error) {
	if o == nil || o.ChunkSize == 0 {
		return DefaultChunkSize, nil
	}
	if o.ChunkSize < 0 || o.ChunkSize > MaxChunkSize {
		return 0, fmt.Errorf("%w: ChunkSize %d is outside 1..%d bytes", tableau.ErrInvalidArgument, o.ChunkSize, MaxChunkSize)
	}
	return o.ChunkSize, nil
}

func (o *UploadOptions) retries() int {
	switch {
	case o == nil || o.ChunkRetries == 0:
		return DefaultChunkRetries
	case o.ChunkRetries < 0:
		return 0
	}
	return o.ChunkRetries
}

type fileUploadResponse struct {
	FileUpload *struct {
		ID       string `xml:"uploadSessionId,attr"`
		FileSize int64  `xml:"fileSize,attr"`
	} `xml:"fileUpload"`
}

// Initiate starts an upload session and returns its id.
func (sv *FileUploadsService) Initiate(ctx context.Context) (string, error) {
	const m = "FileUploads.Initiate"
	path, err := sv.sitePath(m, "fileUploads")
	if err != nil {
		return "", err
	}
	var resp fileUploadResponse
	if err := sv.s.Post(ctx, path, nil, nil, &resp); err != nil {
		return "", err
	}
	if resp.FileUpload == nil || resp.FileUpload.ID == "" {
		return "", fmt.Errorf("rest.%s: the response has no uploadSessionId", m)
	}
	return resp.FileUpload.ID, nil
}

// Append sends one chunk to an upload session. The chunk is sent from
// memory, so the session may retry it.
func (sv *FileUploadsService) Append(ctx context.Context, uploadID string, chunk []byte) error {
	const m = "FileUploads.Append"
	if err := need(m, "uploadID", uploadID); err != nil {
		return err
	}
	if len(chunk) == 0 {
		return fmt.Errorf("rest.%s: %w: the chunk is empty", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.sitePath(m, "fileUploads", uploadID)
	if err != nil {
		return err
	}
	pre, post, ctype := mixedFrame([]byte{}, "tableau_file", "file")
	size := int64(len(pre) + len(chunk) + len(post))
	req := &tableau.Request{
		Method:      http.MethodPut,
		Path:        path,
		ContentType: ctype,
		GetBody: func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(bytes.NewReader(pre), bytes.NewReader(chunk), bytes.NewReader(post))), nil
		},
		ContentLength: size,
	}
	return sv.s.Do(ctx, req, nil)
}

// Upload sends everything r holds through a new upload session, one chunk
// in memory at a time, and returns the session id to publish from. A chunk
// that fails in a way that may pass is sent again (see UploadOptions).
func (sv *FileUploadsService) Upload(ctx context.Context, r io.Reader, opts *UploadOptions) (string, error) {
	const m = "FileUploads.Upload"
	if r == nil {
		return "", fmt.Errorf("rest.%s: %w: the reader is nil", m, tableau.ErrInvalidArgument)
	}
	chunkSize, err := opts.chunkSize()
	if err != nil {
		return "", fmt.Errorf("rest.%s: %w", m, err)
	}
	id, err := sv.Initiate(ctx)
	if err != nil {
		return "", err
	}
	var total int64 = -1
	var progress Progress
	if opts != nil {
		progress = opts.Progress
		if opts.Size > 0 {
			total = opts.Size
		}
	}
	buf := make([]byte, chunkSize)
	var done int64
	for n := 1; ; n++ {
		k, rerr := io.ReadFull(r, buf)
		if k > 0 {
			if err := sv.appendRetrying(ctx, id, buf[:k], opts.retries()); err != nil {
				return "", fmt.Errorf("rest.%s: chunk %d (bytes %d to %d): %w", m, n, done, done+int64(k), err)
			}
			done += int64(k)
			if progress != nil {
				progress(done, total)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return "", fmt.Errorf("rest.%s: reading the file after %d bytes: %w", m, done, rerr)
		}
	}
	if done == 0 {
		return "", fmt.Errorf("rest.%s: %w: the file is empty", m, tableau.ErrInvalidArgument)
	}
	return id, nil
}

// appendRetrying sends a chunk, again after failures that may pass.
func (sv *FileUploadsService) appendRetrying(ctx context.Context, id string, chunk []byte, retries int) error {
	wait := 500 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := sv.Append(ctx, id, chunk)
		if err == nil || attempt >= retries || !transient(err) || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(wait*2, 10*time.Second)
	}
}

// transient reports whether an error may pass on a retry: a 5xx, a 429 or
// a transport failure (no HTTP response).
func transient(err error) bool {
	var apiErr *tableau.Error
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatus >= 500 || apiErr.HTTPStatus == http.StatusTooManyRequests
	}
	return !errors.Is(err, tableau.ErrInvalidArgument) && !errors.Is(err, tableau.ErrNotSignedIn) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

// mixedFrame returns what goes before and after a file in a multipart/mixed
// publish body: the request_payload part (payload) and the headers of the
// file part named partName, then the closing boundary. The Content-Type
// carries the boundary. fileName "" leaves the file part out (publishing
// from an upload session).
func mixedFrame(payload []byte, partName, fileName string) (pre, post []byte, contentType string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `name="request_payload"`)
	h.Set("Content-Type", "text/xml")
	pw, _ := w.CreatePart(h)
	pw.Write(payload) //nolint:errcheck // bytes.Buffer never fails
	if fileName != "" {
		h = textproto.MIMEHeader{}
		h.Set("Content-Disposition", `name="`+partName+`"; filename="`+quoteEscaper.Replace(fileName)+`"`)
		h.Set("Content-Type", "application/octet-stream")
		w.CreatePart(h) //nolint:errcheck
	}
	pre = bytes.Clone(b.Bytes())
	b.Reset()
	w.Close() //nolint:errcheck
	post = bytes.Clone(b.Bytes())
	return pre, post, "multipart/mixed; boundary=" + w.Boundary()
}
