package tableautest

import (
	"fmt"
	"net/http"
	"time"
)

// session is a signed-in token. Handlers get a copy.
type session struct {
	token   string
	siteID  string
	userID  string
	kind    string   // "password", "pat" or "jwt"
	scopes  []string // connected-app scopes of a JWT session
	expires time.Time
	// impersonatorID is the admin who signed in for another user, or "".
	impersonatorID string
}

// sessionsPart holds the live sessions; guarded by store.mu.
type sessionsPart struct {
	byToken map[string]*session
}

func (p *sessionsPart) deleteSite(siteID string) {
	for t, s := range p.byToken {
		if s.siteID == siteID {
			delete(p.byToken, t)
		}
	}
}

// authHeader is the header that carries the token.
const authHeader = "X-Tableau-Auth"

// authenticate returns the request's session: 401 with code 401000 when no
// token is sent, 401002 when it is unknown or expired; 403 when a JWT
// session lacks scope ("" needs none).
func (s *Server) authenticate(r *http.Request, scope string) (session, *apiError) {
	token := r.Header.Get(authHeader)
	if token == "" {
		return session{}, newAPIError(http.StatusUnauthorized, codeNoCredentials, "Unauthorized Access",
			"No authentication credentials were provided (header "+authHeader+").")
	}
	s.store.mu.RLock()
	sp := s.store.sessions.byToken[token]
	var sess session
	if sp != nil {
		sess = *sp
	}
	s.store.mu.RUnlock()
	if sp == nil || !time.Now().Before(sess.expires) {
		return session{}, newAPIError(http.StatusUnauthorized, codeInvalidToken, "Unauthorized Access",
			"Invalid authentication credentials were provided: the token is unknown or has expired.")
	}
	if sess.kind == "jwt" && scope != "" && !hasScope(sess.scopes, scope) {
		return session{}, errForbidden(fmt.Sprintf("The connected-app token's scopes (scp) do not include '%s'.", scope))
	}
	return sess, nil
}

// newSession stores a session for a user of a site. Callers hold store.mu.
func (s *Server) newSession(siteID, userID, kind string, scopes []string) *session {
	sess := &session{
		token:   randomSecret() + randomSecret()[:8],
		siteID:  siteID,
		userID:  userID,
		kind:    kind,
		scopes:  scopes,
		expires: time.Now().Add(s.opts.SessionLifetime),
	}
	s.store.sessions.byToken[sess.token] = sess
	return sess
}
