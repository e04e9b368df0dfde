package rest

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/tableau-go/sdk/tableau"
)

// PublishMode says what a publish does when the project already holds an
// item of that name.
type PublishMode int

const (
	// PublishCreateNew fails with an error matching tableau.ErrConflict
	// when the name is taken. The default.
	PublishCreateNew PublishMode = iota
	// PublishOverwrite replaces the item (a new revision).
	PublishOverwrite
	// PublishAppend appends the rows of a .hyper file to a datasource's
	// extract (datasources only).
	PublishAppend
)

// ConnectionCredentials are the credentials of a data connection in a
// published file. ServerAddress (and ServerPort, if set) pick the
// connection; for datasources, an empty ServerAddress applies to every
// connection.
type ConnectionCredentials struct {
	ServerAddress string
	ServerPort    string
	Username      string
	Password      string
	// Embed stores the password with the item. Default: false.
	Embed bool
	// OAuth says the credentials are a saved OAuth credential. Default: false.
	OAuth bool
}

// PublishOptions configure publishing a workbook or a datasource.
type PublishOptions struct {
	// Name is the item's name on the server. Required.
	Name string
	// ProjectID is the project to publish into. Required.
	ProjectID string
	// FileName names the file; its extension gives the type: .twb or .twbx
	// for workbooks, .tds, .tdsx or .hyper for datasources. Required when
	// publishing from a reader; PublishFile uses the path's base name.
	FileName string
	// Size is how many bytes the reader holds, exactly: a reader holding
	// fewer or more fails the publish. Default: 0, unknown: learned from an
	// io.Seeker (an *os.File), or else the file goes through an upload
	// session.
	Size int64
	// Description of the item. Default: "".
	Description string
	// ShowTabs shows a workbook's sheets as tabs. Default: false.
	ShowTabs bool
	// Mode says what happens when the name is taken. Default: PublishCreateNew.
	Mode PublishMode
	// SkipConnectionCheck publishes without the server testing the
	// connections. Default: false.
	SkipConnectionCheck bool
	// Connections sets credentials per connection (see ConnectionCredentials).
	// Default: none.
	Connections []ConnectionCredentials
	// ChunkThreshold is the file size from which the file goes through an
	// upload session in chunks. Default: 64 MB ([DefaultChunkThreshold]).
	ChunkThreshold int64
	// ChunkSize, ChunkRetries: see [UploadOptions]. Defaults: 5 MB and 3.
	ChunkSize    int64
	ChunkRetries int
	// Progress is told the bytes sent as the file goes out. Default: nil.
	Progress Progress
}

// publishKind describes the resource being published.
type publishKind struct {
	name  string   // "workbook" or "datasource"
	types []string // accepted file extensions
}

var (
	workbookKind   = publishKind{"workbook", []string{"twb", "twbx"}}
	datasourceKind = publishKind{"datasource", []string{"tds", "tdsx", "hyper"}}
	flowKind       = publishKind{"flow", []string{"tfl", "tflx"}}
)

// validate checks the options and returns the file type.
func (o *PublishOptions) validate(k publishKind) (string, error) {
	if o == nil {
		return "", fmt.Errorf("%w: PublishOptions are nil (Name, ProjectID and FileName are required)", tableau.ErrInvalidArgument)
	}
	if strings.TrimSpace(o.Name) == "" {
		return "", fmt.Errorf("%w: PublishOptions.Name is empty", tableau.ErrInvalidArgument)
	}
	if o.ProjectID == "" {
		return "", fmt.Errorf("%w: PublishOptions.ProjectID is empty", tableau.ErrInvalidArgument)
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(o.FileName), "."))
	if !slices.Contains(k.types, ext) {
		return "", fmt.Errorf("%w: file %q is not a %s: its extension must be .%s", tableau.ErrInvalidArgument, o.FileName, k.name, strings.Join(k.types, ", ."))
	}
	switch o.Mode {
	case PublishCreateNew, PublishOverwrite:
	case PublishAppend:
		if k.name != "datasource" || ext != "hyper" {
			return "", fmt.Errorf("%w: PublishAppend needs a .hyper datasource file", tableau.ErrInvalidArgument)
		}
	default:
		return "", fmt.Errorf("%w: unknown PublishMode %d", tableau.ErrInvalidArgument, o.Mode)
	}
	if o.ChunkSize < 0 || o.ChunkSize > MaxChunkSize {
		return "", fmt.Errorf("%w: ChunkSize %d is outside 1..%d bytes", tableau.ErrInvalidArgument, o.ChunkSize, MaxChunkSize)
	}
	if o.ChunkThreshold < 0 {
		return "", fmt.Errorf("%w: ChunkThreshold %d is negative", tableau.ErrInvalidArgument, o.ChunkThreshold)
	}
	for i, c := range o.Connections {
		if c.ServerAddress == "" && k.name != "datasource" {
			return "", fmt.Errorf("%w: Connections[%d].ServerAddress is empty", tableau.ErrInvalidArgument, i)
		}
	}
	return ext, nil
}

// payload renders the request_payload part.
func (o *PublishOptions) payload(k publishKind) ([]byte, error) {
	type creds struct {
		XMLName  xml.Name `xml:"connectionCredentials"`
		Name     string   `xml:"name,attr"`
		Password string   `xml:"password,attr"`
		Embed    bool     `xml:"embed,attr"`
		OAuth    bool     `xml:"oAuth,attr,omitempty"`
	}
	type conn struct {
		ServerAddress string `xml:"serverAddress,attr"`
		ServerPort    string `xml:"serverPort,attr,omitempty"`
		Credentials   creds
	}
	type item struct {
		XMLName     xml.Name
		Name        string  `xml:"name,attr"`
		Description string  `xml:"description,attr,omitempty"`
		ShowTabs    *bool   `xml:"showTabs,attr,omitempty"`
		Credentials *creds  `xml:"connectionCredentials,omitempty"`
		Connections *[]conn `xml:"connections>connection,omitempty"`
		Project     struct {
			ID string `xml:"id,attr"`
		} `xml:"project"`
	}
	it := item{XMLName: xml.Name{Local: k.name}, Name: o.Name, Description: o.Description}
	it.Project.ID = o.ProjectID
	if k.name == "workbook" {
		it.ShowTabs = &o.ShowTabs
	}
	var conns []conn
	for _, c := range o.Connections {
		cr := creds{Name: c.Username, Password: c.Password, Embed: c.Embed, OAuth: c.OAuth}
		if c.ServerAddress == "" {
			it.Credentials = &cr
			continue
		}
		conns = append(conns, conn{ServerAddress: c.ServerAddress, ServerPort: c.ServerPort, Credentials: cr})
	}
	if len(conns) > 0 {
		it.Connections = &conns
	}
	doc := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Item    item
	}{Item: it}
	return xml.Marshal(doc)
}

// publishResponse is the answer of a publish (workbook, datasource or
// flow): the item or, as a job, a job.
type publishResponse struct {
	Workbook   *Workbook   `xml:"workbook"`
	Datasource *Datasource `xml:"datasource"`
	Flow       *Flow       `xml:"flow"`
	Job        *jobXML     `xml:"job"`
}

// sizeOf returns how many bytes remain in r, or -1.
func sizeOf(r io.Reader, hint int64) int64 {
	if hint > 0 {
		return hint
	}
	if s, ok := r.(io.Seeker); ok {
		cur, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		end, err := s.Seek(0, io.SeekEnd)
		if err != nil {
			return -1
		}
		if _, err := s.Seek(cur, io.SeekStart); err != nil {
			return -1
		}
		return end - cur
	}
	return -1
}

// publish sends a file (small: one multipart/mixed request streamed from
// r; large or of unknown size: an upload session in chunks, then the
// publish) and decodes the answer.
func (sv service) publish(ctx context.Context, m string, k publishKind, r io.Reader, o *PublishOptions, asJob bool) (*publishResponse, error) {
	fileType, err := o.validate(k)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	if r == nil {
		return nil, fmt.Errorf("rest.%s: %w: the file reader is nil", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.sitePath(m, k.name+"s")
	if err != nil {
		return nil, err
	}
	payload, err := o.payload(k)
	if err != nil {
		return nil, fmt.Errorf("rest.%s: encoding the payload: %w", m, err)
	}
	q := url.Values{}
	switch o.Mode {
	case PublishOverwrite:
		q.Set("overwrite", "true")
	case PublishAppend:
		q.Set("append", "true")
	}
	if asJob {
		q.Set("asJob", "true")
	}
	if o.SkipConnectionCheck {
		q.Set("skipConnectionCheck", "true")
	}
	q.Set(k.name+"Type", fileType)
	size := sizeOf(r, o.Size)
	threshold := o.ChunkThreshold
	if threshold == 0 {
		threshold = DefaultChunkThreshold
	}
	req := &tableau.Request{Method: http.MethodPost, Path: path, Query: q}
	if size < 0 || size >= threshold {
		up := &FileUploadsService{sv}
		id, err := up.Upload(ctx, r, &UploadOptions{ChunkSize: o.ChunkSize, ChunkRetries: o.ChunkRetries, Size: size, Progress: o.Progress})
		if err != nil {
			return nil, err
		}
		q.Set("uploadSessionId", id)
		pre, post, ctype := mixedFrame(payload, "", "")
		body := append(pre, post...)
		req.ContentType, req.GetBody, req.ContentLength = ctype, tableau.BytesBody(body), int64(len(body))
	} else {
		if size == 0 {
			return nil, fmt.Errorf("rest.%s: %w: the file %q is empty", m, tableau.ErrInvalidArgument, o.FileName)
		}
		pre, post, ctype := mixedFrame(payload, "tableau_"+k.name, filepath.Base(o.FileName))
		req.ContentType = ctype
		req.ContentLength = int64(len(pre)) + size + int64(len(post))
		body := func(src io.Reader) io.Reader {
			var done atomic.Int64
			var file io.Reader = &exactReader{r: src, want: size, name: o.FileName}
			if o.Progress != nil {
				file = &progressReader{r: file, done: &done, total: size, fn: o.Progress}
			}
			return io.MultiReader(bytes.NewReader(pre), file, bytes.NewReader(post))
		}
		if rs, ok := r.(io.ReadSeeker); ok {
			start, err := rs.Seek(0, io.SeekCurrent)
			if err != nil {
				return nil, fmt.Errorf("rest.%s: %w", m, err)
			}
			req.GetBody = func() (io.ReadCloser, error) {
				if _, err := rs.Seek(start, io.SeekStart); err != nil {
					return nil, err
				}
				return io.NopCloser(body(rs)), nil
			}
		} else {
			req.Body = body(r)
		}
	}
	var resp publishResponse
	if err := sv.s.Do(ctx, req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// exactReader reads exactly want bytes of r: it fails when the file holds
// fewer or more bytes than announced (PublishOptions.Size), so a file is
// never published cut or truncated as if complete.
type exactReader struct {
	r    io.Reader
	want int64
	got  int64
	name string
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.got >= e.want {
		var probe [1]byte
		if n, _ := io.ReadFull(e.r, probe[:]); n > 0 {
			return 0, fmt.Errorf("rest: file %q holds more than the %d bytes announced (PublishOptions.Size)", e.name, e.want)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.want-e.got {
		p = p[:e.want-e.got]
	}
	n, err := e.r.Read(p)
	e.got += int64(n)
	if err == io.EOF {
		if e.got < e.want {
			return n, fmt.Errorf("rest: file %q ended after %d of %d bytes: %w", e.name, e.got, e.want, io.ErrUnexpectedEOF)
		}
		err = nil
	}
	return n, err
}

// openForPublish opens path and fills FileName and Size.
func openForPublish(m, path string, o *PublishOptions) (*os.File, *PublishOptions, error) {
	if o == nil {
		o = &PublishOptions{}
	}
	c := *o
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("rest.%s: %w: %w", m, tableau.ErrInvalidArgument, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("rest.%s: %w", m, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("rest.%s: %w: %s is a directory", m, tableau.ErrInvalidArgument, path)
	}
	if c.FileName == "" {
		c.FileName = filepath.Base(path)
	}
	if c.Name == "" {
		c.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	c.Size = st.Size()
	return f, &c, nil
}
