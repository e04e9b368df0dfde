package tableautest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestServerInfoNeedsNoAuth(t *testing.T) {
	srv := tableautest.NewTestServer(t, &tableautest.Options{APIVersion: "3.22", ProductVersion: "2023.3.0"})
	c := newClient(t, srv)
	c.base = srv.URL() + "/api/3.22/"
	n := c.mustDo("GET", "serverinfo", "", http.StatusOK)
	if got := n.find("productVersion"); got == nil || got.Text != "2023.3.0" || got.attr("build") == "" {
		t.Fatalf("productVersion = %+v", got)
	}
	if got := n.find("restApiVersion"); got == nil || got.Text != "3.22" {
		t.Fatalf("restApiVersion = %+v", got)
	}
	// A version newer than the server's is not served.
	c.base = srv.URL() + "/api/3.23/"
	c.wantError("GET", "serverinfo", "", http.StatusNotFound, "404003")
	c.base = srv.URL() + "/api/x.y/"
	c.wantError("GET", "serverinfo", "", http.StatusNotFound, "404003")
}

func TestSignInEveryCredentialKind(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	if _, err := srv.AddUser("", "alice@example.com", "Creator"); err != nil {
		t.Fatal(err)
	}
	wrongSecret := cr
	wrongSecret.SecretValue = "not-the-secret"
	good := map[string]string{
		"password": passwordBody(cr.Username, cr.Password, ""),
		"pat":      patBody(cr.PATName, cr.PATSecret, ""),
		"jwt":      jwtBody(mintJWT(t, cr, "alice@example.com", []string{"tableau:content:read"}, nil), ""),
	}
	for name, body := range good {
		t.Run("good/"+name, func(t *testing.T) {
			c := newClient(t, srv)
			n := c.signIn(body)
			cred := n.find("credentials")
			if !strings.Contains(cred.attr("estimatedTimeToExpiration"), ":") {
				t.Errorf("estimatedTimeToExpiration = %q", cred.attr("estimatedTimeToExpiration"))
			}
			if cred.find("site").attr("contentUrl") != "" {
				t.Errorf("contentUrl = %q", cred.find("site").attr("contentUrl"))
			}
			c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
		})
	}
	bad := map[string]string{
		"wrong password":     passwordBody(cr.Username, "nope", ""),
		"wrong user":         passwordBody("mallory", cr.Password, ""),
		"wrong pat secret":   patBody(cr.PATName, "nope", ""),
		"wrong pat name":     patBody("other", cr.PATSecret, ""),
		"unknown site":       patBody(cr.PATName, cr.PATSecret, "nosuchsite"),
		"jwt wrong secret":   jwtBody(mintJWT(t, wrongSecret, "alice@example.com", []string{"tableau:content:read"}, nil), ""),
		"jwt unknown user":   jwtBody(mintJWT(t, cr, "bob@example.com", []string{"tableau:content:read"}, nil), ""),
		"jwt wrong kid":      jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Header["kid"] = "other" }), ""),
		"jwt wrong iss":      jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Claims.(jwt.MapClaims)["iss"] = "other" }), ""),
		"jwt wrong aud":      jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Claims.(jwt.MapClaims)["aud"] = "other" }), ""),
		"jwt expired":        jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Claims.(jwt.MapClaims)["exp"] = time.Now().Add(-time.Minute).Unix() }), ""),
		"jwt exp too far":    jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Claims.(jwt.MapClaims)["exp"] = time.Now().Add(time.Hour).Unix() }), ""),
		"jwt no jti":         jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { delete(tok.Claims.(jwt.MapClaims), "jti") }), ""),
		"jwt no scp":         jwtBody(mintJWT(t, cr, "alice@example.com", nil, func(tok *jwt.Token) { delete(tok.Claims.(jwt.MapClaims), "scp") }), ""),
		"jwt not a jwt":      jwtBody("abc.def.ghi", ""),
		"jwt wrong iss head": jwtBody(mintJWT(t, cr, "alice@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Header["iss"] = "other" }), ""),
	}
	for name, body := range bad {
		t.Run("bad/"+name, func(t *testing.T) {
			c := newClient(t, srv)
			n := c.wantError("POST", "auth/signin", body, http.StatusUnauthorized, "401001")
			if strings.Contains(string(mustMarshal(n)), cr.SecretValue) {
				t.Fatal("secret in response")
			}
		})
	}
	// Malformed requests are 400.
	c := newClient(t, srv)
	c.wantError("POST", "auth/signin", "<tsRequest><credentials", http.StatusBadRequest, "400000")
	c.wantError("POST", "auth/signin", "<tsRequest/>", http.StatusBadRequest, "400000")
	c.wantError("POST", "auth/signin", `<tsRequest><credentials name="a" password="b" jwt="c"/></tsRequest>`, http.StatusBadRequest, "400000")
	if got := srv.Stats().SignIns; got != len(good) {
		t.Errorf("Stats().SignIns = %d, want %d", got, len(good))
	}
}

func mustMarshal(n *node) []byte {
	b, _ := xmlMarshal(n)
	return b
}

func TestJWTScopesLimitTheSession(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	if _, err := srv.AddUser("", "alice@example.com", "SiteAdministratorCreator"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	c.signIn(jwtBody(mintJWT(t, cr, "alice@example.com", []string{"tableau:content:read"}, nil), ""))
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
	c.wantError("POST", "sites/"+c.siteID+"/projects", `<tsRequest><project name="P"/></tsRequest>`, http.StatusForbidden, "403000")
	c.signIn(jwtBody(mintJWT(t, cr, "alice@example.com", []string{"tableau:projects:*"}, nil), ""))
	n := c.mustDo("POST", "sites/"+c.siteID+"/projects", `<tsRequest><project name="P"/></tsRequest>`, http.StatusCreated)
	if owner := n.find("owner").attr("id"); owner != c.userID {
		t.Errorf("owner %s, want the JWT's user %s", owner, c.userID)
	}
}

func TestImpersonation(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	uid, err := srv.AddUser("", "viewer1", "Viewer")
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	body := strings.Replace(patBody(cr.PATName, cr.PATSecret, ""), "</credentials>", `<user id="`+uid+`"/></credentials>`, 1)
	c.signIn(body)
	if c.userID != uid {
		t.Fatalf("user id %s, want the impersonated %s", c.userID, uid)
	}
	// The impersonated viewer is not a server admin.
	c.wantError("POST", "sites", `<tsRequest><site name="X" contentUrl="x"/></tsRequest>`, http.StatusForbidden, "403000")
	unknown := strings.Replace(patBody(cr.PATName, cr.PATSecret, ""), "</credentials>", `<user id="00000000-0000-4000-8000-000000000000"/></credentials>`, 1)
	c.wantError("POST", "auth/signin", unknown, http.StatusUnauthorized, "401001")
}

func TestSignOutEndsTheSession(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	c.mustDo("POST", "auth/signout", "", http.StatusNoContent)
	c.wantError("GET", "sites/"+c.siteID+"/projects", "", http.StatusUnauthorized, "401002")
	// Signing out again is harmless; without a token it is 401000.
	c.mustDo("POST", "auth/signout", "", http.StatusNoContent)
	c.token = ""
	c.wantError("POST", "auth/signout", "", http.StatusUnauthorized, "401000")
	c.wantError("GET", "sites", "", http.StatusUnauthorized, "401000")
	if got := srv.Stats().SignOuts; got != 1 {
		t.Errorf("Stats().SignOuts = %d, want 1", got)
	}
}

func TestSwitchSite(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	mkt, err := srv.AddSite("Marketing", "marketing")
	if err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, srv, "")
	old, defaultSite := c.token, c.siteID
	n := c.mustDo("POST", "auth/switchSite", `<tsRequest><site contentUrl="marketing"/></tsRequest>`, http.StatusOK)
	cr := n.find("credentials")
	if cr.find("site").attr("id") != mkt || cr.find("site").attr("contentUrl") != "marketing" {
		t.Fatalf("switched to %+v, want site %s", cr.find("site").Attrs, mkt)
	}
	newToken := cr.attr("token")
	c.wantError("GET", "sites/"+defaultSite+"/projects", "", http.StatusUnauthorized, "401002")
	c.token = newToken
	c.mustDo("GET", "sites/"+mkt+"/projects", "", http.StatusOK)
	// The old site's URLs are refused for the new session.
	c.wantError("GET", "sites/"+defaultSite+"/projects", "", http.StatusForbidden, "403000")
	c.wantError("POST", "auth/switchSite", `<tsRequest><site contentUrl="marketing"/></tsRequest>`, http.StatusForbidden, "403070")
	c.wantError("POST", "auth/switchSite", `<tsRequest><site contentUrl="nosuch"/></tsRequest>`, http.StatusUnauthorized, "401001")
	c.mustDo("POST", "auth/switchSite", `<tsRequest><site contentUrl=""/></tsRequest>`, http.StatusOK)
	if old == newToken {
		t.Error("switchSite kept the token")
	}
}

func TestSessionLifetime(t *testing.T) {
	srv := tableautest.NewTestServer(t, &tableautest.Options{SessionLifetime: 2 * time.Second})
	c := newClient(t, srv)
	cr := srv.Credentials()
	n := c.signIn(patBody(cr.PATName, cr.PATSecret, ""))
	if got := n.find("credentials").attr("estimatedTimeToExpiration"); got != "0:00:02" && got != "0:00:01" {
		t.Errorf("estimatedTimeToExpiration %q, want the 2s lifetime", got)
	}
	time.Sleep(2200 * time.Millisecond)
	c.wantError("GET", "sites/"+c.siteID+"/projects", "", http.StatusUnauthorized, "401002")
	// Signing in again gives a working token.
	c = signedIn(t, srv, "")
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
}

func TestExpireSessions(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	a, b := signedIn(t, srv, ""), signedIn(t, srv, "")
	srv.ExpireSessions()
	a.wantError("GET", "sites/"+a.siteID+"/projects", "", http.StatusUnauthorized, "401002")
	b.wantError("GET", "sites", "", http.StatusUnauthorized, "401002")
	c := signedIn(t, srv, "")
	c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
}

// TestRequestBodiesWithNamespaceAndDeclaration accepts what XML encoders
// write: a declaration and the REST API namespace on tsRequest.
func TestRequestBodiesWithNamespaceAndDeclaration(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	c := newClient(t, srv)
	c.signIn(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<tsRequest xmlns="http://tableau.com/api"><credentials personalAccessTokenName="` + cr.PATName +
		`" personalAccessTokenSecret="` + cr.PATSecret + `"><site contentUrl=""/></credentials></tsRequest>`)
	p := c.mustDo("POST", "sites/"+c.siteID+"/projects",
		`<?xml version='1.0'?><ts:tsRequest xmlns:ts="http://tableau.com/api"><ts:project name="Namespaced &amp; escaped"/></ts:tsRequest>`,
		http.StatusCreated).find("project")
	if p.attr("name") != "Namespaced & escaped" {
		t.Errorf("name %q", p.attr("name"))
	}
}
