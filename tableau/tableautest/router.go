package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// router registers REST API routes under /api/{v}/. Each resource file has
// a routesXxx(r *router) method, called from routes in routes.go.
type router struct {
	s   *Server
	mux *http.ServeMux
}

// sessionHandler handles a request made with a valid session.
type sessionHandler func(w http.ResponseWriter, r *http.Request, sess session)

func (rt *router) pattern(method, path string) string {
	return method + " /api/{v}/" + path
}

// public registers a route that needs no sign-in (serverinfo, auth/signin).
func (rt *router) public(method, path string, h http.HandlerFunc) {
	rt.mux.HandleFunc(rt.pattern(method, path), func(w http.ResponseWriter, r *http.Request) {
		if !rt.s.checkVersion(w, r) {
			return
		}
		h(w, r)
	})
}

// authed registers a route that needs a valid X-Tableau-Auth token. scope
// is the connected-app scope a JWT session needs ("" for none), for example
// "tableau:sites:read".
func (rt *router) authed(method, path, scope string, h sessionHandler) {
	rt.mux.HandleFunc(rt.pattern(method, path), func(w http.ResponseWriter, r *http.Request) {
		if !rt.s.checkVersion(w, r) {
			return
		}
		sess, aerr := rt.s.authenticate(r, scope)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		h(w, r, sess)
	})
}

// site registers a route under sites/{siteID}/ (path is relative to it):
// it needs a valid token signed in to that site.
func (rt *router) site(method, path, scope string, h sessionHandler) {
	rt.authed(method, "sites/{siteID}/"+path, scope, func(w http.ResponseWriter, r *http.Request, sess session) {
		if aerr := rt.s.checkSite(r.PathValue("siteID"), sess); aerr != nil {
			writeError(w, r, aerr)
			return
		}
		h(w, r, sess)
	})
}

// checkSite reports whether a session may use the site in the path.
func (s *Server) checkSite(siteID string, sess session) *apiError {
	s.store.mu.RLock()
	site := s.store.sites.byID[siteID]
	s.store.mu.RUnlock()
	if site == nil {
		return errNotFound(codeSiteNotFound, "Site", siteID)
	}
	if siteID != sess.siteID {
		return errForbidden(fmt.Sprintf("The session is signed in to site '%s', not to site '%s'; use switchSite.", sess.siteID, siteID))
	}
	return nil
}

// checkVersion answers 404 (code 404003) for an API version the server does
// not serve and reports whether the request may go on.
func (s *Server) checkVersion(w http.ResponseWriter, r *http.Request) bool {
	v := r.PathValue("v")
	if !s.serves(v) {
		writeError(w, r, newAPIError(http.StatusNotFound, codeVersionNotFound, "Resource Not Found",
			fmt.Sprintf("REST API version '%s' is not served; versions 2.0 to %s are.", v, s.opts.APIVersion)))
		return false
	}
	return true
}

// versionAtLeast reports whether the request's REST API version is min or
// later (for parameters newer versions add).
func (s *Server) versionAtLeast(r *http.Request, min string) bool {
	v, ok := parseVersion(r.PathValue("v"))
	m, _ := parseVersion(min)
	return ok && v >= m
}

// serves reports whether v is a version from 2.0 up to Options.APIVersion.
func (s *Server) serves(v string) bool {
	n, ok := parseVersion(v)
	newest, _ := parseVersion(s.opts.APIVersion)
	return ok && n >= 2000 && n <= newest
}

// notFound answers requests no route matches: 405 when the path exists for
// another method, else 404 with code 404001.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		if m == r.Method {
			continue
		}
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pat := s.mux.Handler(r2); pat != "/" && pat != "" {
			writeError(w, r, newAPIError(http.StatusMethodNotAllowed, codeMethodNotAllowed, "Method Not Allowed",
				fmt.Sprintf("%s is not allowed on %s.", r.Method, r.URL.Path)))
			return
		}
	}
	writeError(w, r, newAPIError(http.StatusNotFound, codeResourceNotFound, "Resource Not Found",
		fmt.Sprintf("No REST API method answers %s %s.", r.Method, r.URL.Path)))
}

// middleware counts requests, applies Latency and fault injection, and logs.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		version := s.opts.APIVersion
		if parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3); len(parts) >= 2 && parts[0] == "api" && s.serves(parts[1]) {
			version = parts[1]
		}
		r = r.WithContext(withVersion(r.Context(), version))
		if d := s.opts.Latency; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if s.faults.intercept(w, r) {
			s.log.Debug("tableautest: fault", "method", r.Method, "path", r.URL.Path)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.log.Debug("tableautest: request", "method", r.Method, "path", r.URL.Path, "status", rec.status)
	})
}

// statusRecorder remembers the status code for the log line.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// hasScope reports whether a connected-app scope list grants want. A scope
// ending in "*" grants every scope with that prefix ("tableau:projects:*").
func hasScope(granted []string, want string) bool {
	return slices.ContainsFunc(granted, func(g string) bool {
		if p, ok := strings.CutSuffix(g, "*"); ok {
			return strings.HasPrefix(want, p)
		}
		return g == want
	})
}
