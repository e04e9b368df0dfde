package tableautest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"
)

func (s *Server) routesAuth(rt *router) {
	rt.public("POST", "auth/signin", s.signIn)
	rt.public("POST", "auth/signout", s.signOut)
	rt.authed("POST", "auth/switchSite", "", s.switchSite)
}

// signInRequest is the body of POST /api/{v}/auth/signin.
type signInRequest struct {
	Credentials *struct {
		Name      string `xml:"name,attr"`
		Password  string `xml:"password,attr"`
		PATName   string `xml:"personalAccessTokenName,attr"`
		PATSecret string `xml:"personalAccessTokenSecret,attr"`
		JWT       string `xml:"jwt,attr"`
		Site      *struct {
			ContentURL string `xml:"contentUrl,attr"`
		} `xml:"site"`
		User *struct {
			ID string `xml:"id,attr"`
		} `xml:"user"`
	} `xml:"credentials"`
}

func secretEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// signIn answers a sign-in with a password, a personal access token or a
// connected-app JWT, optionally impersonating a user (<user id>).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	var req signInRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	c := req.Credentials
	if c == nil {
		writeError(w, r, errBadRequest("The request has no credentials element."))
		return
	}
	contentURL := ""
	if c.Site != nil {
		contentURL = c.Site.ContentURL
	}
	kinds := 0
	for _, set := range []bool{c.Name != "" || c.Password != "", c.PATName != "" || c.PATSecret != "", c.JWT != ""} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		writeError(w, r, errBadRequest("The credentials element needs exactly one of name and password, personalAccessTokenName and personalAccessTokenSecret, or jwt."))
		return
	}
	var (
		kind, jwtSub string
		scopes       []string
	)
	switch {
	case c.JWT != "":
		sub, scp, err := s.verifyJWT(c.JWT)
		if err != nil {
			s.log.Debug("tableautest: sign-in refused", "reason", err.Error())
			writeError(w, r, errSignin())
			return
		}
		kind, jwtSub, scopes = "jwt", sub, scp
	case c.PATName != "":
		if c.PATName != s.creds.PATName || !secretEqual(c.PATSecret, s.creds.PATSecret) || s.patRevoked.Load() {
			writeError(w, r, errSignin())
			return
		}
		kind = "pat"
	default:
		if c.Name != s.creds.Username || !secretEqual(c.Password, s.creds.Password) {
			writeError(w, r, errSignin())
			return
		}
		kind = "password"
	}
	s.store.mu.Lock()
	sess, aerr := func() (session, *apiError) {
		st := s.store.sites.byContentURL(contentURL)
		if st == nil {
			return session{}, errSignin()
		}
		userID := st.adminID
		if kind == "jwt" {
			u := s.store.users.byName(st.ID, jwtSub)
			if u == nil {
				return session{}, errSignin()
			}
			userID = u.ID
		}
		impersonator := ""
		if c.User != nil && c.User.ID != "" {
			if kind == "jwt" {
				return session{}, errBadRequest("A connected-app JWT sign-in cannot impersonate; put the user in sub.")
			}
			u := s.store.users.get(st.ID, c.User.ID)
			if u == nil {
				return session{}, errSignin()
			}
			impersonator, userID = userID, u.ID
		}
		sp := s.newSession(st.ID, userID, kind, scopes)
		sp.impersonatorID = impersonator
		return *sp, nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.signIns.Add(1)
	s.writeCredentials(w, r, sess, contentURL)
}

// writeCredentials answers a sign-in or switchSite.
func (s *Server) writeCredentials(w http.ResponseWriter, r *http.Request, sess session, contentURL string) {
	s.store.mu.RLock()
	if st := s.store.sites.byID[sess.siteID]; st != nil {
		contentURL = st.ContentURL
	}
	s.store.mu.RUnlock()
	writeXML(w, r, http.StatusOK, newElem("credentials").
		set("token", sess.token).
		set("estimatedTimeToExpiration", formatDurationHMS(time.Until(sess.expires))).
		add(
			newElem("site").set("id", sess.siteID).set("contentUrl", contentURL),
			newElem("user").set("id", sess.userID),
		))
}

// formatDurationHMS renders d as Tableau's estimatedTimeToExpiration, "H:MM:SS".
func formatDurationHMS(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	sec := int64((d + time.Second/2) / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// signOut ends the session of the X-Tableau-Auth token and answers 204.
// An unknown or expired token is not an error: the session is gone either way.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get(authHeader)
	if token == "" {
		writeError(w, r, newAPIError(http.StatusUnauthorized, codeNoCredentials, "Unauthorized Access",
			"No authentication credentials were provided (header "+authHeader+")."))
		return
	}
	s.store.mu.Lock()
	_, known := s.store.sessions.byToken[token]
	delete(s.store.sessions.byToken, token)
	s.store.mu.Unlock()
	if known {
		s.signOuts.Add(1)
	}
	w.WriteHeader(http.StatusNoContent)
}

// switchSiteRequest is the body of POST /api/{v}/auth/switchSite.
type switchSiteRequest struct {
	Site *struct {
		ContentURL string `xml:"contentUrl,attr"`
	} `xml:"site"`
}

// switchSite ends the session and starts one on another site for the same
// person (matched by user name). Switching to the current site answers 403
// with code 403070, which clients treat as "already there".
func (s *Server) switchSite(w http.ResponseWriter, r *http.Request, sess session) {
	var req switchSiteRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Site == nil {
		writeError(w, r, errBadRequest("The request has no site element."))
		return
	}
	if sess.kind == "jwt" {
		writeError(w, r, errForbidden("A connected-app session cannot switch sites; sign in to the other site."))
		return
	}
	s.store.mu.Lock()
	next, aerr := func() (session, *apiError) {
		target := s.store.sites.byContentURL(req.Site.ContentURL)
		if target == nil {
			return session{}, errSignin()
		}
		if target.ID == sess.siteID {
			return session{}, newAPIError(http.StatusForbidden, codeSameSite, "Forbidden",
				"The session is already signed in to this site.")
		}
		cur := s.store.users.byID[sess.userID]
		if cur == nil {
			return session{}, errSignin()
		}
		u := s.store.users.byName(target.ID, cur.Name)
		if u == nil {
			return session{}, errSignin()
		}
		delete(s.store.sessions.byToken, sess.token)
		return *s.newSession(target.ID, u.ID, sess.kind, nil), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.signIns.Add(1)
	s.writeCredentials(w, r, next, req.Site.ContentURL)
}
