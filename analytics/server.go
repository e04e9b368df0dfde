package analytics

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Server is an Analytics Extensions API server: an http.Handler that
// answers Tableau (and TabPy's clients) with the Go functions registered
// on it. Create it with [New]; register functions before or while serving.
// Safe for concurrent use.
type Server struct {
	opts    Options
	created time.Time
	handler http.Handler

	bufs sync.Pool // *[]byte: request bodies and responses

	mu    sync.RWMutex
	funcs map[string]*function
}

// New returns a server with no functions. opts may be nil.
func New(opts *Options) *Server {
	s := &Server{
		opts:    opts.withDefaults(),
		created: time.Now(),
		funcs:   map[string]*function{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /info", s.handleInfo)
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /endpoints", s.handleEndpoints)
	mux.HandleFunc("GET /endpoints/{name}", s.handleEndpoint)
	mux.HandleFunc("POST /evaluate", s.handleEvaluate)
	mux.HandleFunc("POST /query/{name}", s.handleQuery)
	mux.HandleFunc("GET /query/{name}", s.handleQuery)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Message: "Not found",
			Info: fmt.Sprintf("no such endpoint: %s %s", r.Method, r.URL.Path)})
	})
	s.handler = s.recoverPanics(s.authenticate(mux))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Register adds a function under name, callable from Tableau as
//
//	SCRIPT_REAL("return tabpy.query('name', _arg1, _arg2)['response']", SUM([x]), SUM([y]))
//
// and from TabPy's client as client.query('name', x, y). fn's signature is
// checked now: an optional leading context.Context (cancelled at the
// server's timeout), then column parameters of type []float64, []int64,
// []int, []string or []bool, returning one such column and an error. Before
// each call the arguments are checked (count, types, equal lengths); after
// it, the result must have one value or one per row. In []float64
// parameters Tableau's nulls arrive as NaN; NaN and infinite results are
// sent back as null. A returned *Error is answered as is; any other error
// becomes a 500 whose info is the error's text.
func (s *Server) Register(name string, fn any, opts *FunctionOptions) error {
	f, err := newFunction(name, fn, opts)
	if err != nil {
		return err
	}
	return s.add(f)
}

// RegisterTable adds a table extension under name: Tableau sends the
// input table as _arg1 and gets back the columns fn returns.
func (s *Server) RegisterTable(name string, fn TableFunc, opts *FunctionOptions) error {
	f, err := newTableFunction(name, fn, opts)
	if err != nil {
		return err
	}
	return s.add(f)
}

func (s *Server) add(f *function) error {
	f.created = time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.funcs[f.name]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicateFunction, f.name)
	}
	s.funcs[f.name] = f
	return nil
}

// Unregister removes the function of the name and reports whether it existed.
func (s *Server) Unregister(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.funcs[name]
	delete(s.funcs, name)
	return ok
}

// Functions returns the names of the registered functions, sorted.
func (s *Server) Functions() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.funcs))
	for n := range s.funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CalculatedField returns the Tableau calculated field that calls the
// function, with the field names to pass as its arguments, for example
//
//	SCRIPT_REAL("return tabpy.query('ttest', _arg1, _arg2)['response']", SUM([Sales]), SUM([Profit]))
//
// fields are Tableau expressions, one per parameter. Table extensions
// return the script to paste into the table extension editor.
func (s *Server) CalculatedField(name string, fields ...string) (string, error) {
	s.mu.RLock()
	f, ok := s.funcs[name]
	s.mu.RUnlock()
	if !ok {
		return "", fmt.Errorf("%w: no function %q", ErrNotFound, name)
	}
	if f.table != nil {
		return fmt.Sprintf("return tabpy.query('%s', _arg1)['response']", name), nil
	}
	if len(fields) != len(f.kinds) {
		return "", fmt.Errorf("%w: %s takes %d arguments, got %d fields", ErrBadRequest, name, len(f.kinds), len(fields))
	}
	call := fmt.Sprintf("return tabpy.query('%s'", name)
	for i := range fields {
		call += fmt.Sprintf(", _arg%d", i+1)
	}
	call += ")['response']"
	out := fmt.Sprintf("SCRIPT_%s(%q", f.result.tableauType(), call)
	for _, fld := range fields {
		out += ", " + fld
	}
	return out + ")", nil
}

func (s *Server) lookup(name string) (*function, bool) {
	s.mu.RLock()
	f, ok := s.funcs[name]
	s.mu.RUnlock()
	return f, ok
}
