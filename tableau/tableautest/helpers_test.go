package tableautest_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

const apiVersion = "3.24"

// node is a generic XML tree for assertions on raw responses.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) has(name string) bool {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return true
		}
	}
	return false
}

// find returns the first descendant with that local name (depth first), or nil.
func (n *node) find(name string) *node {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
		if f := n.Nodes[i].find(name); f != nil {
			return f
		}
	}
	return nil
}

// all returns the children of the first descendant called list.
func (n *node) all(list string) []node {
	if l := n.find(list); l != nil {
		return l.Nodes
	}
	return nil
}

func parseXML(t *testing.T, body []byte) *node {
	t.Helper()
	var n node
	if err := xml.Unmarshal(body, &n); err != nil {
		t.Fatalf("response is not XML: %v\n%s", err, body)
	}
	if n.XMLName.Space != tableautest.Namespace || n.XMLName.Local != "tsResponse" {
		t.Fatalf("root is %v, want tsResponse in %s", n.XMLName, tableautest.Namespace)
	}
	return &n
}

// client is a raw REST client for the tests: it sends exactly what it is
// given, so tests see the emulator's bytes.
type client struct {
	t      *testing.T
	base   string
	token  string
	siteID string
	userID string
	hc     *http.Client
}

func newClient(t *testing.T, srv *tableautest.Server) *client {
	return &client{t: t, base: srv.URL() + "/api/" + apiVersion + "/", hc: &http.Client{Timeout: 30 * time.Second}}
}

// do sends a request and returns status, body and headers.
func (c *client) do(method, path, body string) (int, []byte, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("X-Tableau-Auth", c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/xml")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// mustDo sends a request and fails unless the status is want; it returns the parsed body.
func (c *client) mustDo(method, path, body string, want int) *node {
	c.t.Helper()
	status, b, _ := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, status, want, b)
	}
	if len(b) == 0 {
		return nil
	}
	return parseXML(c.t, b)
}

// wantError checks an error response's status and Tableau code.
func (c *client) wantError(method, path, body string, status int, code string) *node {
	c.t.Helper()
	got, b, _ := c.do(method, path, body)
	if got != status {
		c.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, got, status, b)
	}
	n := parseXML(c.t, b)
	e := n.find("error")
	if e == nil || e.attr("code") != code {
		c.t.Fatalf("%s %s: want error code %s, got\n%s", method, path, code, b)
	}
	if e.find("summary") == nil || e.find("detail") == nil {
		c.t.Fatalf("error without summary or detail:\n%s", b)
	}
	return n
}

func passwordBody(user, password, site string) string {
	return fmt.Sprintf(`<tsRequest><credentials name=%q password=%q><site contentUrl=%q/></credentials></tsRequest>`, user, password, site)
}

func patBody(name, secret, site string) string {
	return fmt.Sprintf(`<tsRequest><credentials personalAccessTokenName=%q personalAccessTokenSecret=%q><site contentUrl=%q/></credentials></tsRequest>`, name, secret, site)
}

func jwtBody(token, site string) string {
	return fmt.Sprintf(`<tsRequest><credentials jwt=%q><site contentUrl=%q/></credentials></tsRequest>`, token, site)
}

// signIn signs c in with a body and keeps the token, site and user ids.
func (c *client) signIn(body string) *node {
	c.t.Helper()
	c.token = ""
	n := c.mustDo("POST", "auth/signin", body, http.StatusOK)
	cr := n.find("credentials")
	c.token = cr.attr("token")
	c.siteID = cr.find("site").attr("id")
	c.userID = cr.find("user").attr("id")
	if c.token == "" || c.siteID == "" || c.userID == "" {
		c.t.Fatalf("sign-in response lacks token, site id or user id")
	}
	return n
}

// signedIn returns a client signed in as the admin with the PAT on a site.
func signedIn(t *testing.T, srv *tableautest.Server, site string) *client {
	c := newClient(t, srv)
	cr := srv.Credentials()
	c.signIn(patBody(cr.PATName, cr.PATSecret, site))
	return c
}

// mintJWT makes a connected-app JWT as a client would.
func mintJWT(t *testing.T, cr tableautest.Credentials, sub string, scopes []string, mutate func(tok *jwt.Token)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"iss": cr.ClientID,
		"sub": sub,
		"aud": "tableau",
		"exp": time.Now().Add(5 * time.Minute).Unix(),
		"jti": fmt.Sprintf("jti-%d", time.Now().UnixNano()),
		"scp": scopes,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = cr.SecretID
	tok.Header["iss"] = cr.ClientID
	if mutate != nil {
		mutate(tok)
	}
	s, err := tok.SignedString([]byte(cr.SecretValue))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func xmlMarshal(n *node) ([]byte, error) { return xml.Marshal(n) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func xmlUnmarshal(b []byte, v any) error { return xml.Unmarshal(b, v) }
