package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"

	"github.com/tableau-go/sdk/tableau"
)

// SafeExtension is an entry of a site's dashboard-extension safe list.
type SafeExtension struct {
	URL             string `xml:"url"`
	FullDataAllowed bool   `xml:"fullDataAllowed"`
	PromptNeeded    bool   `xml:"promptNeeded"`
}

// SiteExtensions are a site's dashboard extension settings (API 3.21).
type SiteExtensions struct {
	Enabled             bool            `xml:"extensionsEnabled"`
	UseDefaultSetting   bool            `xml:"useDefaultSetting"`
	AllowTrusted        bool            `xml:"allowTrusted"`
	IncludeSandboxed    bool            `xml:"includeSandboxed"`
	IncludeTableauBuilt bool            `xml:"includeTableauBuilt"`
	IncludePartnerBuilt bool            `xml:"includePartnerBuilt"`
	SafeList            []SafeExtension `xml:"safeList"`
}

// ServerExtensions are the server-wide extension settings.
type ServerExtensions struct {
	Enabled   bool     `xml:"extensionsGloballyEnabled"`
	BlockList []string `xml:"blockList"`
}

// SiteSettingsService reads and changes the settings TSC exposes beyond
// the site itself: dashboard extensions. c.SiteSettings.
type SiteSettingsService struct{ service }

// Extensions returns the signed-in site's extension settings.
func (sv *SiteSettingsService) Extensions(ctx context.Context) (*SiteExtensions, error) {
	const m = "SiteSettings.Extensions"
	path, err := sv.sitePath(m, "settings", "extensions")
	if err != nil {
		return nil, err
	}
	var r struct {
		X *SiteExtensions `xml:"extensionsSiteSettings"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.X == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <extensionsSiteSettings>", m)
	}
	return r.X, nil
}

// SetExtensions replaces the signed-in site's extension settings. Safe-list
// URLs must be https.
func (sv *SiteSettingsService) SetExtensions(ctx context.Context, in SiteExtensions) (*SiteExtensions, error) {
	const m = "SiteSettings.SetExtensions"
	for _, e := range in.SafeList {
		u, err := url.Parse(e.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("rest.%s: %w: safe-list URL %q is not an https URL", m, tableau.ErrInvalidArgument, e.URL)
		}
	}
	path, err := sv.sitePath(m, "settings", "extensions")
	if err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name       `xml:"tsRequest"`
		X       SiteExtensions `xml:"extensionsSiteSettings"`
	}{X: in}
	var r struct {
		X *SiteExtensions `xml:"extensionsSiteSettings"`
	}
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.X == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <extensionsSiteSettings>", m)
	}
	return r.X, nil
}

// ServerExtensions returns the server-wide extension settings (server administrators).
func (sv *SiteSettingsService) ServerExtensions(ctx context.Context) (*ServerExtensions, error) {
	var r struct {
		X *ServerExtensions `xml:"extensionsServerSettings"`
	}
	if err := sv.s.Get(ctx, "settings/extensions", nil, &r); err != nil {
		return nil, err
	}
	if r.X == nil {
		return nil, fmt.Errorf("rest.SiteSettings.ServerExtensions: the response has no <extensionsServerSettings>")
	}
	return r.X, nil
}

// SetServerExtensions replaces the server-wide extension settings.
func (sv *SiteSettingsService) SetServerExtensions(ctx context.Context, in ServerExtensions) (*ServerExtensions, error) {
	req := struct {
		XMLName xml.Name         `xml:"tsRequest"`
		X       ServerExtensions `xml:"extensionsServerSettings"`
	}{X: in}
	var r struct {
		X *ServerExtensions `xml:"extensionsServerSettings"`
	}
	if err := sv.s.Put(ctx, "settings/extensions", nil, req, &r); err != nil {
		return nil, err
	}
	if r.X == nil {
		return nil, fmt.Errorf("rest.SiteSettings.SetServerExtensions: the response has no <extensionsServerSettings>")
	}
	return r.X, nil
}
