package tableau

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServerInfo is the answer of GET /api/{version}/serverinfo.
type ServerInfo struct {
	ProductVersion string // for example "2024.2.0"
	Build          string // the product build, for example "20242.24.0711.1636"
	RESTAPIVersion string // the newest REST API version the server supports
}

type serverInfoResponse struct {
	ServerInfo struct {
		ProductVersion struct {
			Value string `xml:",chardata"`
			Build string `xml:"build,attr"`
		} `xml:"productVersion"`
		RESTAPIVersion string `xml:"restApiVersion"`
	} `xml:"serverInfo"`
}

// ServerInfo asks the server for its product and newest REST API version.
// It needs no sign-in. Without a pinned version it asks with version 2.4,
// the first to have Server Info, and from then on the session uses the
// version the server reports.
func (s *Session) ServerInfo(ctx context.Context) (*ServerInfo, error) {
	var doc serverInfoResponse
	if err := s.Do(ctx, &Request{Method: http.MethodGet, Path: "serverinfo", NoAuth: true}, &doc); err != nil {
		return nil, err
	}
	info := &ServerInfo{
		ProductVersion: strings.TrimSpace(doc.ServerInfo.ProductVersion.Value),
		Build:          strings.TrimSpace(doc.ServerInfo.ProductVersion.Build),
		RESTAPIVersion: strings.TrimSpace(doc.ServerInfo.RESTAPIVersion),
	}
	if _, _, err := parseVersion(info.RESTAPIVersion); err != nil {
		return nil, fmt.Errorf("tableau: server info: %w", err)
	}
	s.mu.Lock()
	s.serverInfo = info
	if s.pinned == "" {
		s.version = info.RESTAPIVersion
	}
	s.mu.Unlock()
	return info, nil
}

type signInRequest struct {
	XMLName     xml.Name `xml:"tsRequest"`
	Credentials struct {
		credentialAttrs
		Site struct {
			ContentURL string `xml:"contentUrl,attr"`
		} `xml:"site"`
		User *idAttr `xml:"user,omitempty"`
	} `xml:"credentials"`
}

type idAttr struct {
	ID string `xml:"id,attr"`
}

type credentialsResponse struct {
	Credentials *struct {
		Token      string `xml:"token,attr"`
		Expiration string `xml:"estimatedTimeToExpiration,attr"`
		Site       struct {
			ID         string `xml:"id,attr"`
			ContentURL string `xml:"contentUrl,attr"`
		} `xml:"site"`
		User idAttr `xml:"user"`
	} `xml:"credentials"`
}

// SignIn signs in with the session's credentials to its site, learning the
// server's REST API version first unless one is pinned. It keeps the token,
// site id and content URL, user id and expiry. Tableau Cloud may redirect
// the sign-in to the pod that hosts the site: the session follows (same
// scheme, same registrable domain only) and talks to that pod from then on.
// Calling SignIn again replaces the token.
func (s *Session) SignIn(ctx context.Context) error {
	if s.APIVersion() == "" {
		if _, err := s.ServerInfo(ctx); err != nil {
			return fmt.Errorf("tableau: learning the REST API version: %w", err)
		}
	}
	attrs, err := s.creds.attrs(s.now())
	if err != nil {
		return err
	}
	if _, ok := s.creds.(ConnectedApp); ok {
		s.rememberMinted(attrs.JWT)
	}
	s.mu.RLock()
	site := s.site
	s.mu.RUnlock()
	var body signInRequest
	body.Credentials.credentialAttrs = attrs
	body.Credentials.Site.ContentURL = site
	if s.impersonate != "" {
		body.Credentials.User = &idAttr{ID: s.impersonate}
	}
	get, n, err := XMLBody(body)
	if err != nil {
		return err
	}
	r := &Request{Method: http.MethodPost, Path: "auth/signin", GetBody: get, ContentLength: n, NoAuth: true, Idempotent: true}
	resp, err := s.send(ctx, r, "", true)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return s.errorFrom(resp)
	}
	if err := s.takeCredentials(resp, "sign in"); err != nil {
		return err
	}
	s.logInfo(ctx, "tableau: signed in", "server", s.Server(), "site", site, "credentials", s.creds.kind(), "api_version", s.APIVersion())
	return nil
}

// takeCredentials reads a <credentials> response and stores it.
func (s *Session) takeCredentials(resp *http.Response, what string) error {
	defer resp.Body.Close()
	var doc credentialsResponse
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return fmt.Errorf("tableau: %s: decoding response: %w", what, err)
	}
	c := doc.Credentials
	if c == nil || c.Token == "" {
		return fmt.Errorf("tableau: %s: the response has no credentials token", what)
	}
	var expires time.Time
	if d, ok := parseExpiration(c.Expiration); ok {
		expires = s.now().Add(d)
	}
	s.mu.Lock()
	s.token = c.Token
	s.siteID = c.Site.ID
	s.site = c.Site.ContentURL
	s.userID = c.User.ID
	s.expires = expires
	s.mu.Unlock()
	return nil
}

// parseExpiration reads estimatedTimeToExpiration: "HHH:MM:SS" or seconds.
// Values beyond maxExpiration are refused.
func parseExpiration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	const limit = int64(maxExpiration / time.Second)
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > limit {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	parts := strings.Split(v, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var total int64
	for _, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || n > limit {
			return 0, false
		}
		total = total*60 + n
		if total > limit {
			return 0, false
		}
	}
	return time.Duration(total) * time.Second, true
}

// maxExpiration bounds a session lifetime the session believes (a year).
const maxExpiration = 365 * 24 * time.Hour

// SignOut ends the session on the server and forgets the token. Signing out
// a session that is not signed in does nothing.
func (s *Session) SignOut(ctx context.Context) error {
	token := s.currentToken()
	if token == "" {
		return nil
	}
	resp, err := s.send(ctx, &Request{Method: http.MethodPost, Path: "auth/signout", Idempotent: true}, token, false)
	s.mu.Lock()
	if s.token == token {
		s.token, s.siteID, s.userID, s.expires = "", "", "", time.Time{}
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := s.errorFrom(resp)
		if e.HTTPStatus == http.StatusUnauthorized {
			return nil // the token had expired already: the session is over anyway
		}
		return e
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	return nil
}

type switchSiteRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Site    struct {
		ContentURL string `xml:"contentUrl,attr"`
	} `xml:"site"`
}

// SwitchSite moves the signed-in session to the site with content URL
// contentURL ("" is the Default site) without signing in again (Tableau
// Server only). The session gets a new token; a later re-sign-in goes to
// the new site.
func (s *Session) SwitchSite(ctx context.Context, contentURL string) error {
	token := s.currentToken()
	if token == "" {
		return fmt.Errorf("tableau: switch site: %w", ErrNotSignedIn)
	}
	var body switchSiteRequest
	body.Site.ContentURL = contentURL
	get, n, err := XMLBody(body)
	if err != nil {
		return err
	}
	r := &Request{Method: http.MethodPost, Path: "auth/switchSite", GetBody: get, ContentLength: n}
	resp, err := s.Send(ctx, r)
	if err != nil {
		return err
	}
	return s.takeCredentials(resp, "switch site")
}
