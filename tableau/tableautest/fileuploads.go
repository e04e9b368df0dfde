package tableautest

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// maxSinglePublish is the largest file the REST API takes in one publish
// request; larger files go through an upload session.
const maxSinglePublish = 64 << 20

// blobChunk is the size of the pieces a blob keeps, so storing a large file
// never copies it into one growing buffer.
const blobChunk = 1 << 20

// blob is stored file content: a list of chunks.
type blob struct {
	chunks [][]byte
	size   int64
}

// write appends p, copying it.
func (b *blob) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == blobChunk {
			b.chunks = append(b.chunks, make([]byte, 0, min(blobChunk, max(len(p), 4096))))
		}
		last := &b.chunks[len(b.chunks)-1]
		room := blobChunk - len(*last)
		take := min(room, len(p))
		*last = append(*last, p[:take]...)
		p = p[take:]
		b.size += int64(take)
	}
	return n, nil
}

// appendBlob appends another blob's content (sharing its chunks' bytes).
func (b *blob) appendBlob(o *blob) {
	for _, c := range o.chunks {
		b.Write(c) //nolint:errcheck // never fails
	}
}

// reader returns a reader over the whole content.
func (b *blob) reader() io.Reader { return io.NewSectionReader(b, 0, b.size) }

// ReadAt implements io.ReaderAt, for archive/zip.
func (b *blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("tableautest: negative offset")
	}
	n := 0
	for len(p) > 0 {
		if off >= b.size {
			return n, io.EOF
		}
		// Chunks are blobChunk long except the last.
		ci := int(off / blobChunk)
		co := int(off % blobChunk)
		c := b.chunks[ci]
		k := copy(p, c[co:])
		n += k
		p = p[k:]
		off += int64(k)
	}
	return n, nil
}

// readBlob reads r into a new blob, failing past limit bytes (0: no limit).
func readBlob(r io.Reader, limit int64) (*blob, error) {
	b := &blob{}
	buf := make([]byte, 256<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			b.Write(buf[:n]) //nolint:errcheck
			if limit > 0 && b.size > limit {
				return nil, errTooLarge
			}
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

var errTooLarge = errors.New("too large")

// megabytes renders a byte count as the REST API's whole megabytes.
func megabytes(n int64) string { return strconv.FormatInt((n+(1<<20)-1)>>20, 10) }

// mixedReader checks that a request is multipart/mixed and returns a reader
// over its parts.
func mixedReader(r *http.Request) (*multipart.Reader, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		return nil, newAPIError(http.StatusUnsupportedMediaType, codeUnsupportedMedia, "Unsupported Media Type",
			fmt.Sprintf("The request's Content-Type '%s' is not multipart/mixed with a boundary.", r.Header.Get("Content-Type")))
	}
	return multipart.NewReader(r.Body, params["boundary"]), nil
}

// partNames returns the name and filename of a part's Content-Disposition.
// Tableau's documented form is `name="request_payload"` without a
// disposition type; clients such as TSC send `form-data; name=...`. Both work.
func partNames(p *multipart.Part) (name, filename string) {
	cd := p.Header.Get("Content-Disposition")
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		_, params, err = mime.ParseMediaType("form-data; " + cd)
		if err != nil {
			return "", ""
		}
	}
	return params["name"], params["filename"]
}

func (s *Server) routesFileUploads(rt *router) {
	rt.site("POST", "fileUploads", "tableau:file_uploads:create", s.initiateUpload)
	rt.site("PUT", "fileUploads/{uploadID}", "tableau:file_uploads:create", s.appendUpload)
}

func uploadElem(u *upload, size int64) *elem {
	return newElem("fileUpload").set("uploadSessionId", u.ID).set("fileSize", megabytes(size))
}

func (s *Server) initiateUpload(w http.ResponseWriter, r *http.Request, sess session) {
	u := &upload{ID: newID(), SiteID: sess.siteID, UserID: sess.userID, Data: &blob{}, Created: s.now()}
	s.store.mu.Lock()
	s.store.content.init()
	s.store.content.uploads[u.ID] = u
	s.store.mu.Unlock()
	writeXML(w, r, http.StatusCreated, uploadElem(u, 0))
}

// appendUpload appends the tableau_file part of a multipart/mixed request
// to an upload session.
func (s *Server) appendUpload(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("uploadID")
	s.store.mu.RLock()
	u := s.store.content.uploads[id]
	ok := u != nil && u.SiteID == sess.siteID && !u.used
	s.store.mu.RUnlock()
	if !ok {
		writeError(w, r, errNotFound(codeUploadNotFound, "Upload session", id))
		return
	}
	mr, aerr := mixedReader(r)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	var chunk *blob
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeError(w, r, errBadRequest(fmt.Sprintf("The multipart body is malformed: %v.", err)))
			return
		}
		name, _ := partNames(p)
		switch name {
		case "request_payload":
			io.Copy(io.Discard, io.LimitReader(p, 1<<20)) //nolint:errcheck
		case "tableau_file":
			if chunk, err = readBlob(p, maxSinglePublish); err != nil {
				detail := fmt.Sprintf("The file part could not be read: %v.", err)
				if errors.Is(err, errTooLarge) {
					detail = "A chunk of an upload session may hold at most 64 MB."
				}
				writeError(w, r, newAPIError(http.StatusBadRequest, codePublishFailed, "Bad Request", detail))
				return
			}
		default:
			writeError(w, r, errBadRequest(fmt.Sprintf("The multipart body has a part named '%s'; want request_payload and tableau_file.", name)))
			return
		}
	}
	if chunk == nil {
		writeError(w, r, errBadRequest("The multipart body has no tableau_file part."))
		return
	}
	s.store.mu.Lock()
	var size int64
	if u.used {
		aerr = errNotFound(codeUploadNotFound, "Upload session", id)
	} else {
		u.Data.appendBlob(chunk)
		size = u.Data.size
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, uploadElem(u, size))
}

// takeUpload returns the content of an upload session of the site and marks
// it used. Callers hold store.mu for writing.
func (st *store) takeUpload(siteID, id string) (*blob, *apiError) {
	u := st.content.uploads[id]
	if u == nil || u.SiteID != siteID || u.used {
		return nil, errNotFound(codeUploadNotFound, "Upload session", id)
	}
	if u.Data.size == 0 {
		return nil, newAPIError(http.StatusBadRequest, codePublishFailed, "Bad Request",
			fmt.Sprintf("Upload session '%s' is empty: append the file before publishing.", id))
	}
	u.used = true
	delete(st.content.uploads, id)
	return u.Data, nil
}

// fileExt returns the lower-case extension of a file name without the dot.
func fileExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}
