package tableautest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// safeURL is one entry of a site's extension safe list.
type safeURL struct {
	URL                           string
	FullDataAllowed, PromptNeeded bool
}

// siteExtensions are a site's dashboard extension settings (API 3.21).
type siteExtensions struct {
	Enabled, UseDefault                      bool
	AllowTrusted, IncludeSandboxed           bool
	IncludeTableauBuilt, IncludePartnerBuilt bool
	SafeList                                 []safeURL
}

// serverExtensions are the server-wide extension settings.
type serverExtensions struct {
	Enabled   bool
	BlockList []string
}

type settingsPart struct {
	sites  map[string]*siteExtensions
	server serverExtensions
}

func (p *settingsPart) site(siteID string) *siteExtensions {
	if p.sites[siteID] == nil {
		p.sites[siteID] = &siteExtensions{Enabled: true, UseDefault: true, IncludeSandboxed: true, IncludeTableauBuilt: true, IncludePartnerBuilt: true}
	}
	return p.sites[siteID]
}

func (s *Server) routesSiteSettings(rt *router) {
	rt.site("GET", "settings/extensions", "tableau:site_settings:read", s.getSiteExtensions)
	rt.site("PUT", "settings/extensions", "tableau:site_settings:update", s.putSiteExtensions)
	rt.authed("GET", "settings/extensions", "tableau:server_settings:read", s.getServerExtensions)
	rt.authed("PUT", "settings/extensions", "tableau:server_settings:update", s.putServerExtensions)
}

func boolElem(name string, b bool) *elem { return newElem(name).withText(boolStr(b)) }

func siteExtElem(x siteExtensions) *elem {
	e := newElem("extensionsSiteSettings").add(
		boolElem("extensionsEnabled", x.Enabled),
		boolElem("useDefaultSetting", x.UseDefault),
		boolElem("allowTrusted", x.AllowTrusted),
		boolElem("includeSandboxed", x.IncludeSandboxed),
		boolElem("includeTableauBuilt", x.IncludeTableauBuilt),
		boolElem("includePartnerBuilt", x.IncludePartnerBuilt),
	)
	for _, u := range x.SafeList {
		e.add(newElem("safeList").add(newElem("url").withText(u.URL), boolElem("fullDataAllowed", u.FullDataAllowed), boolElem("promptNeeded", u.PromptNeeded)))
	}
	return e
}

func (s *Server) getSiteExtensions(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	s.store.mu.Lock()
	x := *s.store.gov.settings.site(sess.siteID)
	s.store.mu.Unlock()
	writeXML(w, r, http.StatusOK, siteExtElem(x))
}

type siteExtRequest struct {
	X *struct {
		Enabled             *string `xml:"extensionsEnabled"`
		UseDefault          *string `xml:"useDefaultSetting"`
		AllowTrusted        *string `xml:"allowTrusted"`
		IncludeSandboxed    *string `xml:"includeSandboxed"`
		IncludeTableauBuilt *string `xml:"includeTableauBuilt"`
		IncludePartnerBuilt *string `xml:"includePartnerBuilt"`
		SafeList            []struct {
			URL             string  `xml:"url"`
			FullDataAllowed *string `xml:"fullDataAllowed"`
			PromptNeeded    *string `xml:"promptNeeded"`
		} `xml:"safeList"`
	} `xml:"extensionsSiteSettings"`
}

func textBool(name string, v *string, dst *bool) *apiError {
	if v == nil {
		return nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(*v))
	if err != nil {
		return errBadRequest(fmt.Sprintf("The %s '%s' is not true or false.", name, *v))
	}
	*dst = b
	return nil
}

func (s *Server) putSiteExtensions(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireSiteAdmin(w, r, sess) {
		return
	}
	var req siteExtRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.X
	if in == nil {
		writeError(w, r, errBadRequest("The request has no extensionsSiteSettings element."))
		return
	}
	s.store.mu.Lock()
	cur := s.store.gov.settings.site(sess.siteID)
	upd := *cur
	aerr := func() *apiError {
		for _, f := range []struct {
			n   string
			v   *string
			dst *bool
		}{{"extensionsEnabled", in.Enabled, &upd.Enabled}, {"useDefaultSetting", in.UseDefault, &upd.UseDefault},
			{"allowTrusted", in.AllowTrusted, &upd.AllowTrusted}, {"includeSandboxed", in.IncludeSandboxed, &upd.IncludeSandboxed},
			{"includeTableauBuilt", in.IncludeTableauBuilt, &upd.IncludeTableauBuilt}, {"includePartnerBuilt", in.IncludePartnerBuilt, &upd.IncludePartnerBuilt}} {
			if aerr := textBool(f.n, f.v, f.dst); aerr != nil {
				return aerr
			}
		}
		if in.SafeList != nil {
			upd.SafeList = nil
			for _, e := range in.SafeList {
				u, err := url.Parse(strings.TrimSpace(e.URL))
				if err != nil || u.Scheme != "https" || u.Host == "" {
					return errBadRequest(fmt.Sprintf("The safe-list URL '%s' is not an https URL.", e.URL))
				}
				su := safeURL{URL: u.String()}
				if aerr := textBool("fullDataAllowed", e.FullDataAllowed, &su.FullDataAllowed); aerr != nil {
					return aerr
				}
				if aerr := textBool("promptNeeded", e.PromptNeeded, &su.PromptNeeded); aerr != nil {
					return aerr
				}
				upd.SafeList = append(upd.SafeList, su)
			}
		}
		*cur = upd
		return nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, siteExtElem(upd))
}

func serverExtElem(x serverExtensions) *elem {
	e := newElem("extensionsServerSettings").add(boolElem("extensionsGloballyEnabled", x.Enabled))
	for _, b := range x.BlockList {
		e.add(newElem("blockList").withText(b))
	}
	return e
}

func (s *Server) getServerExtensions(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	s.store.mu.RLock()
	x := s.store.gov.settings.server
	x.BlockList = append([]string(nil), x.BlockList...)
	s.store.mu.RUnlock()
	writeXML(w, r, http.StatusOK, serverExtElem(x))
}

func (s *Server) putServerExtensions(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.requireServerAdmin(w, r, sess) {
		return
	}
	var req struct {
		X *struct {
			Enabled   *string  `xml:"extensionsGloballyEnabled"`
			BlockList []string `xml:"blockList"`
		} `xml:"extensionsServerSettings"`
	}
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.X == nil {
		writeError(w, r, errBadRequest("The request has no extensionsServerSettings element."))
		return
	}
	s.store.mu.Lock()
	x := s.store.gov.settings.server
	aerr := textBool("extensionsGloballyEnabled", req.X.Enabled, &x.Enabled)
	if aerr == nil {
		x.BlockList = append([]string(nil), req.X.BlockList...)
		s.store.gov.settings.server = x
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, serverExtElem(x))
}
