package tableautest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	codeOIDCNotFound = "404096" // Resource Not Found: OIDC configuration (emulator's code)
	codeOIDCConflict = "409096" // Resource Conflict: an OIDC configuration of that name exists (emulator's code)
)

// oidcMask is what answers show in place of a client secret.
const oidcMask = "********"

// oidcConfig is a Tableau Cloud site's OpenID Connect IdP configuration.
// attrs holds the optional settings by their XML attribute names.
type oidcConfig struct {
	ID, SiteID, Name                      string
	Enabled, AllowEmbedded, UseFullName   bool
	ClientID, ClientSecret                string
	AuthEndpoint, TokenEndpoint, UserInfo string
	JWKSURI                               string
	attrs                                 map[string]string
}

// oidcPart holds the OIDC configurations of every site; guarded by store.mu.
type oidcPart struct {
	byID  map[string]*oidcConfig
	order []string
}

func (p *oidcPart) get(siteID, id string) *oidcConfig {
	if c := p.byID[id]; c != nil && c.SiteID == siteID {
		return c
	}
	return nil
}

// deleteSite removes a site's configurations. Callers hold store.mu.
func (p *oidcPart) deleteSite(siteID string) {
	dropSite(p.byID, &p.order, siteID, func(c *oidcConfig) string { return c.SiteID })
}

// oidcOptional are the optional attributes of a configuration, in the
// order answers write them.
var oidcOptional = []string{"customScope", "prompt", "clientAuthentication", "essentialAcrValues",
	"voluntaryAcrValues", "emailMapping", "firstNameMapping", "lastNameMapping", "fullNameMapping", "endSessionEndpoint"}

// oidcElem renders <siteOIDCConfiguration> with the secret masked.
func oidcElem(c oidcConfig, siteURL string) *elem {
	e := newElem("siteOIDCConfiguration").
		set("idpConfigurationId", c.ID).set("idpConfigurationName", c.Name).
		set("enabled", boolStr(c.Enabled)).
		set("testLoginUrl", "/sites/"+siteURL+"/oidc/test?idpConfigurationId="+url.QueryEscape(c.ID)).
		set("allowEmbeddedAuthentication", boolStr(c.AllowEmbedded)).set("useFullName", boolStr(c.UseFullName)).
		set("clientId", c.ClientID).set("clientSecret", oidcMask).
		set("authorizationEndpoint", c.AuthEndpoint).set("tokenEndpoint", c.TokenEndpoint).
		set("userinfoEndpoint", c.UserInfo).set("jwksUri", c.JWKSURI)
	for _, a := range oidcOptional {
		e.setIf(a, c.attrs[a])
	}
	return e
}

func (s *Server) routesOIDC(rt *router) {
	rt.site("GET", "site-auth-configurations", "", s.listAuthConfigs)
	rt.site("PUT", "site-oidc-configuration", "", s.createOIDC)
	rt.site("GET", "site-oidc-configuration/{idpID}", "", s.getOIDC)
	rt.site("PUT", "site-oidc-configuration/{idpID}", "", s.updateOIDC)
	rt.site("PUT", "disable-site-oidc-configuration", "", s.deleteOIDC)
}

// oidcRequest is <tsRequest><siteOIDCConfiguration .../></tsRequest>.
type oidcRequest struct {
	Config *struct {
		Name                  *string `xml:"name,attr"`
		ClientID              *string `xml:"clientId,attr"`
		ClientSecret          *string `xml:"clientSecret,attr"`
		AuthorizationEndpoint *string `xml:"authorizationEndpoint,attr"`
		TokenEndpoint         *string `xml:"tokenEndpoint,attr"`
		UserInfoEndpoint      *string `xml:"userInfoEndpoint,attr"`
		UserinfoEndpoint      *string `xml:"userinfoEndpoint,attr"`
		Enabled               *string `xml:"enabled,attr"`
		JWKSURI               *string `xml:"jwksUri,attr"`
		AllowEmbedded         *string `xml:"allowEmbeddedAuthentication,attr"`
		UseFullName           *string `xml:"useFullName,attr"`
		CustomScope           *string `xml:"customScope,attr"`
		Prompt                *string `xml:"prompt,attr"`
		ClientAuthentication  *string `xml:"clientAuthentication,attr"`
		EssentialACRValues    *string `xml:"essentialAcrValues,attr"`
		VoluntaryACRValues    *string `xml:"voluntaryAcrValues,attr"`
		EmailMapping          *string `xml:"emailMapping,attr"`
		FirstNameMapping      *string `xml:"firstNameMapping,attr"`
		LastNameMapping       *string `xml:"lastNameMapping,attr"`
		FullNameMapping       *string `xml:"fullNameMapping,attr"`
		EndSessionEndpoint    *string `xml:"endSessionEndpoint,attr"`
	} `xml:"siteOIDCConfiguration"`
}

// parseOIDC checks a create or update request, which carries every
// required attribute either way, and returns the configuration it describes.
func parseOIDC(req *oidcRequest) (*oidcConfig, *apiError) {
	in := req.Config
	if in == nil {
		return nil, errBadRequest("The request has no siteOIDCConfiguration element.")
	}
	if in.UserInfoEndpoint == nil {
		in.UserInfoEndpoint = in.UserinfoEndpoint
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	required := []struct {
		name string
		v    *string
	}{{"name", in.Name}, {"clientId", in.ClientID}, {"clientSecret", in.ClientSecret},
		{"authorizationEndpoint", in.AuthorizationEndpoint}, {"tokenEndpoint", in.TokenEndpoint},
		{"userInfoEndpoint", in.UserInfoEndpoint}, {"enabled", in.Enabled}, {"jwksUri", in.JWKSURI}}
	for _, f := range required {
		if str(f.v) == "" {
			return nil, errBadRequest(fmt.Sprintf("The siteOIDCConfiguration needs the attribute '%s'.", f.name))
		}
	}
	for _, f := range required[3:6] {
		if u, err := url.Parse(str(f.v)); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errBadRequest(fmt.Sprintf("The %s '%s' is not an absolute http(s) URL.", f.name, str(f.v)))
		}
	}
	c := &oidcConfig{Name: str(in.Name), ClientID: str(in.ClientID), ClientSecret: *in.ClientSecret,
		AuthEndpoint: str(in.AuthorizationEndpoint), TokenEndpoint: str(in.TokenEndpoint),
		UserInfo: str(in.UserInfoEndpoint), JWKSURI: str(in.JWKSURI), attrs: map[string]string{}}
	for _, b := range []struct {
		name string
		v    *string
		dst  *bool
	}{{"enabled", in.Enabled, &c.Enabled}, {"allowEmbeddedAuthentication", in.AllowEmbedded, &c.AllowEmbedded}, {"useFullName", in.UseFullName, &c.UseFullName}} {
		if b.v != nil {
			v, aerr := optBool(b.name, b.v)
			if aerr != nil {
				return nil, aerr
			}
			*b.dst = v
		}
	}
	for i, v := range []*string{in.CustomScope, in.Prompt, in.ClientAuthentication, in.EssentialACRValues,
		in.VoluntaryACRValues, in.EmailMapping, in.FirstNameMapping, in.LastNameMapping, in.FullNameMapping, in.EndSessionEndpoint} {
		if s := str(v); s != "" {
			c.attrs[oidcOptional[i]] = s
		}
	}
	if ca := c.attrs["clientAuthentication"]; ca != "" && !slices.Contains([]string{"client_secret_basic", "client_secret_post"}, strings.ToLower(ca)) {
		return nil, errBadRequest(fmt.Sprintf("The clientAuthentication '%s' is not client_secret_basic or client_secret_post.", ca))
	}
	return c, nil
}

// siteURL returns a site's content URL. Callers hold store.mu.
func (st *store) siteURL(siteID string) string {
	if site := st.sites.byID[siteID]; site != nil {
		return site.ContentURL
	}
	return ""
}

func (s *Server) listAuthConfigs(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	list := newElem("siteAuthConfigurations")
	s.store.mu.RLock()
	for _, id := range s.store.oidc.order {
		if c := s.store.oidc.byID[id]; c.SiteID == sess.siteID {
			list.add(newElem("siteAuthConfiguration").set("authSetting", "OIDC").set("enabled", boolStr(c.Enabled)).
				set("idpConfigurationId", c.ID).set("idpConfigurationName", c.Name).set("knownProviderAlias", ""))
		}
	}
	s.store.mu.RUnlock()
	writeXML(w, r, http.StatusOK, list)
}

func (s *Server) getOIDC(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.PathValue("idpID")
	s.store.mu.RLock()
	c := s.store.oidc.get(sess.siteID, id)
	var e *elem
	if c != nil {
		e = oidcElem(*c, s.store.siteURL(sess.siteID))
	}
	s.store.mu.RUnlock()
	if e == nil {
		writeError(w, r, errNotFound(codeOIDCNotFound, "OIDC configuration", id))
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

// saveOIDC creates (id "") or replaces a configuration.
func (s *Server) saveOIDC(w http.ResponseWriter, r *http.Request, sess session, id string) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req oidcRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	c, aerr := parseOIDC(&req)
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	s.store.mu.Lock()
	e, aerr := func() (*elem, *apiError) {
		p := &s.store.oidc
		for _, oid := range p.order {
			if o := p.byID[oid]; o.SiteID == sess.siteID && o.ID != id && strings.EqualFold(o.Name, c.Name) {
				return nil, errConflict(codeOIDCConflict, fmt.Sprintf("An OIDC configuration named '%s' already exists on this site.", c.Name))
			}
		}
		c.SiteID = sess.siteID
		if id == "" {
			c.ID = newID()
			p.byID[c.ID] = c
			p.order = append(p.order, c.ID)
		} else {
			old := p.get(sess.siteID, id)
			if old == nil {
				return nil, errNotFound(codeOIDCNotFound, "OIDC configuration", id)
			}
			c.ID = id
			*old = *c
		}
		return oidcElem(*c, s.store.siteURL(sess.siteID)), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, e)
}

func (s *Server) createOIDC(w http.ResponseWriter, r *http.Request, sess session) {
	s.saveOIDC(w, r, sess, "")
}

func (s *Server) updateOIDC(w http.ResponseWriter, r *http.Request, sess session) {
	s.saveOIDC(w, r, sess, r.PathValue("idpID"))
}

// deleteOIDC answers Remove OpenID Connect Configuration:
// PUT disable-site-oidc-configuration?idpConfigurationId=.
func (s *Server) deleteOIDC(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	id := r.URL.Query().Get("idpConfigurationId")
	if id == "" {
		writeError(w, r, errBadRequest("The query parameter idpConfigurationId is missing."))
		return
	}
	s.store.mu.Lock()
	p := &s.store.oidc
	found := p.get(sess.siteID, id) != nil
	if found {
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(x string) bool { return x == id })
	}
	s.store.mu.Unlock()
	if !found {
		writeError(w, r, errNotFound(codeOIDCNotFound, "OIDC configuration", id))
		return
	}
	writeXML(w, r, http.StatusOK)
}
