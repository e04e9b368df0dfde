package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// OIDCConfig is a Tableau Cloud site's OpenID Connect identity provider
// configuration (API 3.22; reading and removing it need 3.24). The server
// masks ClientSecret in its answers.
type OIDCConfig struct {
	ID                    string `xml:"idpConfigurationId,attr"`
	Name                  string `xml:"idpConfigurationName,attr"`
	Enabled               bool   `xml:"enabled,attr"`
	TestLoginURL          string `xml:"testLoginUrl,attr"`
	KnownProviderAlias    string `xml:"knownProviderAlias,attr"`
	AllowEmbeddedAuth     bool   `xml:"allowEmbeddedAuthentication,attr"`
	UseFullName           bool   `xml:"useFullName,attr"`
	ClientID              string `xml:"clientId,attr"`
	ClientSecret          string `xml:"clientSecret,attr"`
	AuthorizationEndpoint string `xml:"authorizationEndpoint,attr"`
	TokenEndpoint         string `xml:"tokenEndpoint,attr"`
	UserInfoEndpoint      string `xml:"userinfoEndpoint,attr"`
	JWKSURI               string `xml:"jwksUri,attr"`
	EndSessionEndpoint    string `xml:"endSessionEndpoint,attr"`
	CustomScope           string `xml:"customScope,attr"`
	EssentialACRValues    string `xml:"essentialAcrValues,attr"`
	VoluntaryACRValues    string `xml:"voluntaryAcrValues,attr"`
	EmailMapping          string `xml:"emailMapping,attr"`
	FirstNameMapping      string `xml:"firstNameMapping,attr"`
	LastNameMapping       string `xml:"lastNameMapping,attr"`
	FullNameMapping       string `xml:"fullNameMapping,attr"`
	Prompt                string `xml:"prompt,attr"`
	ClientAuthentication  string `xml:"clientAuthentication,attr"`
}

// AuthConfig is one authentication configuration of a site, as List
// Authentication Configurations returns it (API 3.24).
type AuthConfig struct {
	AuthSetting        string `xml:"authSetting,attr"` // for example OIDC or SAML
	Enabled            bool   `xml:"enabled,attr"`
	ID                 string `xml:"idpConfigurationId,attr"`
	Name               string `xml:"idpConfigurationName,attr"`
	KnownProviderAlias string `xml:"knownProviderAlias,attr"`
}

// OIDCService manages the site's OpenID Connect configurations (Tableau
// Cloud only). c.OIDC.
type OIDCService struct{ service }

// OIDCSettings is the configuration Create and Update send. Name, ClientID,
// ClientSecret, AuthorizationEndpoint, TokenEndpoint, UserInfoEndpoint and
// JWKSURI are required; the other strings are sent when not empty.
type OIDCSettings struct {
	Name                  string
	Enabled               bool
	ClientID              string
	ClientSecret          string // never logged; the server masks it in answers
	AuthorizationEndpoint string
	TokenEndpoint         string
	UserInfoEndpoint      string
	JWKSURI               string
	// AllowEmbeddedAuth lets users sign in to embedded views. Default: false.
	AllowEmbeddedAuth bool
	// UseFullName maps the IdP's full name claim. Default: false.
	UseFullName          bool
	CustomScope          string
	Prompt               string
	ClientAuthentication string // for example client_secret_basic or client_secret_post
	EssentialACRValues   string
	VoluntaryACRValues   string
	EmailMapping         string
	FirstNameMapping     string
	LastNameMapping      string
	FullNameMapping      string
}

type oidcRequest struct {
	XMLName xml.Name `xml:"tsRequest"`
	Config  struct {
		Name                  string `xml:"name,attr"`
		ClientID              string `xml:"clientId,attr"`
		ClientSecret          string `xml:"clientSecret,attr"`
		AuthorizationEndpoint string `xml:"authorizationEndpoint,attr"`
		TokenEndpoint         string `xml:"tokenEndpoint,attr"`
		UserInfoEndpoint      string `xml:"userInfoEndpoint,attr"`
		Enabled               bool   `xml:"enabled,attr"`
		JWKSURI               string `xml:"jwksUri,attr"`
		AllowEmbeddedAuth     bool   `xml:"allowEmbeddedAuthentication,attr"`
		CustomScope           string `xml:"customScope,attr,omitempty"`
		Prompt                string `xml:"prompt,attr,omitempty"`
		ClientAuthentication  string `xml:"clientAuthentication,attr,omitempty"`
		EssentialACRValues    string `xml:"essentialAcrValues,attr,omitempty"`
		VoluntaryACRValues    string `xml:"voluntaryAcrValues,attr,omitempty"`
		EmailMapping          string `xml:"emailMapping,attr,omitempty"`
		FirstNameMapping      string `xml:"firstNameMapping,attr,omitempty"`
		LastNameMapping       string `xml:"lastNameMapping,attr,omitempty"`
		FullNameMapping       string `xml:"fullNameMapping,attr,omitempty"`
		UseFullName           bool   `xml:"useFullName,attr"`
	} `xml:"siteOIDCConfiguration"`
}

func (in OIDCSettings) request(m string) (*oidcRequest, error) {
	for _, f := range []struct{ n, v string }{
		{"Name", in.Name}, {"ClientID", in.ClientID}, {"ClientSecret", in.ClientSecret},
		{"AuthorizationEndpoint", in.AuthorizationEndpoint}, {"TokenEndpoint", in.TokenEndpoint},
		{"UserInfoEndpoint", in.UserInfoEndpoint}, {"JWKSURI", in.JWKSURI},
	} {
		if strings.TrimSpace(f.v) == "" {
			return nil, fmt.Errorf("rest.%s: %w: %s is empty", m, tableau.ErrInvalidArgument, f.n)
		}
	}
	for _, f := range []struct{ n, v string }{
		{"AuthorizationEndpoint", in.AuthorizationEndpoint}, {"TokenEndpoint", in.TokenEndpoint},
		{"UserInfoEndpoint", in.UserInfoEndpoint}, {"JWKSURI", in.JWKSURI},
	} {
		if u, err := url.Parse(f.v); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("rest.%s: %w: %s %q is not an absolute URL", m, tableau.ErrInvalidArgument, f.n, f.v)
		}
	}
	var req oidcRequest
	c := &req.Config
	c.Name, c.ClientID, c.ClientSecret = in.Name, in.ClientID, in.ClientSecret
	c.AuthorizationEndpoint, c.TokenEndpoint, c.UserInfoEndpoint, c.JWKSURI = in.AuthorizationEndpoint, in.TokenEndpoint, in.UserInfoEndpoint, in.JWKSURI
	c.Enabled, c.AllowEmbeddedAuth, c.UseFullName = in.Enabled, in.AllowEmbeddedAuth, in.UseFullName
	c.CustomScope, c.Prompt, c.ClientAuthentication = in.CustomScope, in.Prompt, in.ClientAuthentication
	c.EssentialACRValues, c.VoluntaryACRValues = in.EssentialACRValues, in.VoluntaryACRValues
	c.EmailMapping, c.FirstNameMapping, c.LastNameMapping, c.FullNameMapping = in.EmailMapping, in.FirstNameMapping, in.LastNameMapping, in.FullNameMapping
	return &req, nil
}

type oidcResponse struct {
	Config *struct {
		OIDCConfig
		UserInfoCamel string `xml:"userInfoEndpoint,attr"`
	} `xml:"siteOIDCConfiguration"`
}

func (sv *OIDCService) send(ctx context.Context, m, version string, req *oidcRequest, elem ...string) (*OIDCConfig, error) {
	if err := sv.s.RequireVersion("rest."+m, version); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, err
	}
	var r oidcResponse
	if req == nil {
		err = sv.s.Get(ctx, path, nil, &r)
	} else {
		err = sv.s.Put(ctx, path, nil, req, &r)
	}
	if err != nil {
		return nil, err
	}
	if r.Config == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <siteOIDCConfiguration>", m)
	}
	out := r.Config.OIDCConfig
	if out.UserInfoEndpoint == "" {
		out.UserInfoEndpoint = r.Config.UserInfoCamel
	}
	return &out, nil
}

// List returns the site's authentication configurations (List
// Authentication Configurations, API 3.24); get an OIDC one's details with
// Get.
func (sv *OIDCService) List(ctx context.Context) ([]AuthConfig, error) {
	const m = "OIDC.List"
	if err := sv.s.RequireVersion("rest."+m, "3.24"); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "site-auth-configurations")
	if err != nil {
		return nil, err
	}
	var r struct {
		Configs []AuthConfig `xml:"siteAuthConfigurations>siteAuthConfiguration"`
	}
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	return r.Configs, nil
}

// Get returns the OIDC configuration with id (API 3.24).
func (sv *OIDCService) Get(ctx context.Context, id string) (*OIDCConfig, error) {
	const m = "OIDC.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "3.24", nil, "site-oidc-configuration", id)
}

// Create creates the site's OIDC configuration (API 3.22).
func (sv *OIDCService) Create(ctx context.Context, in OIDCSettings) (*OIDCConfig, error) {
	const m = "OIDC.Create"
	req, err := in.request(m)
	if err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "3.22", req, "site-oidc-configuration")
}

// Update replaces the OIDC configuration with id (API 3.22). Every
// required field of in is sent again, as the REST API wants.
func (sv *OIDCService) Update(ctx context.Context, id string, in OIDCSettings) (*OIDCConfig, error) {
	const m = "OIDC.Update"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req, err := in.request(m)
	if err != nil {
		return nil, err
	}
	return sv.send(ctx, m, "3.22", req, "site-oidc-configuration", id)
}

// Delete removes the OIDC configuration with id (API 3.24). Move the users
// who sign in with OIDC to another authentication first, or they can no
// longer sign in.
func (sv *OIDCService) Delete(ctx context.Context, id string) error {
	const m = "OIDC.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	if err := sv.s.RequireVersion("rest."+m, "3.24"); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "disable-site-oidc-configuration")
	if err != nil {
		return err
	}
	return sv.s.Put(ctx, path, url.Values{"idpConfigurationId": {id}}, nil, nil)
}
