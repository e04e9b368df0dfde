package tableautest

import "net/http"

func (s *Server) routesAdminTokens(rt *router) {
	rt.authed("POST", "auth/revokeAllServerAdminTokens", "", s.revokeAdminTokens)
}

// revokeAdminTokens answers Revoke Administrator Personal Access Tokens
// (API 3.10, server administrators only): the server administrator's
// personal access token (Credentials.PATName) stops signing in. Sessions
// already signed in with it go on until they end.
func (s *Server) revokeAdminTokens(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	s.patRevoked.Store(true)
	w.WriteHeader(http.StatusNoContent)
}
