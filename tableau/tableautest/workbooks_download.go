package tableautest

import (
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// cutFaults cuts the next downloads short, for reliability tests.
type cutFaults struct {
	mu    sync.Mutex
	n     int
	after int64
}

// CutDownloads makes the next n file downloads (workbook, datasource and
// revision content) send their headers with the full Content-Length, then
// only the first after bytes, and close the connection: the client sees a
// transfer cut half-way.
func (s *Server) CutDownloads(n int, after int64) {
	c := &s.store.content.cuts
	c.mu.Lock()
	c.n, c.after = max(n, 0), max(after, 0)
	c.mu.Unlock()
}

// takeCut reports whether this download is to be cut, and after how many bytes.
func (s *Server) takeCut() (int64, bool) {
	c := &s.store.content.cuts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == 0 {
		return 0, false
	}
	c.n--
	return c.after, true
}

// serveFileTo writes a stored file as an attachment named after the item.
func (s *Server) serveFileTo(w http.ResponseWriter, r *http.Request, fileName string, b *blob) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName}))
	w.Header().Set("Content-Length", strconv.FormatInt(b.size, 10))
	if after, cut := s.takeCut(); cut && after < b.size {
		w.WriteHeader(http.StatusOK)
		io.Copy(w, io.LimitReader(b.reader(), after)) //nolint:errcheck
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) //nolint:errcheck
			}
			conn.Close()
			return
		}
		panic(http.ErrAbortHandler)
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	io.Copy(w, b.reader()) //nolint:errcheck // the client went away
}

// downloadItem answers Download Workbook and Download Data Source.
// includeExtract=false leaves the extract out of a .twbx or .tdsx.
func (s *Server) downloadItem(kind resKind) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		id := r.PathValue("id")
		include := true
		if v := r.URL.Query().Get("includeExtract"); v != "" {
			b, aerr := optBool("includeExtract", &v)
			if aerr != nil {
				writeError(w, r, aerr)
				return
			}
			include = b
		}
		s.store.mu.RLock()
		it := s.store.contentItem(kind, sess.siteID, id)
		var data *blob
		var name, ft string
		if it != nil {
			data, name, ft = it.current().Data, it.Name, it.FileType
		}
		s.store.mu.RUnlock()
		if it == nil {
			writeError(w, r, notFoundItem(kind, id))
			return
		}
		fileName := name + "." + ft
		if !include && (ft == "twbx" || ft == "tdsx") {
			stripped := &blob{}
			if err := stripExtracts(stripped, data); err != nil {
				writeError(w, r, newAPIError(http.StatusInternalServerError, "500000", "Internal Server Error", "The stored package could not be read."))
				return
			}
			data = stripped
		}
		s.serveFileTo(w, r, fileName, data)
	}
}
