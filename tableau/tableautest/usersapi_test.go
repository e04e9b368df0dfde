package tableautest_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func userBody(name, role string) string {
	return fmt.Sprintf(`<tsRequest><user name=%q siteRole=%q/></tsRequest>`, name, role)
}

func TestUsersAddGetUpdateListRemove(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/users"

	u := c.mustDo("POST", base, userBody("alice", "Explorer"), http.StatusCreated).find("user")
	if u.attr("siteRole") != "Explorer" || u.attr("authSetting") != "ServerDefault" || u.attr("id") == "" {
		t.Fatalf("added %+v", u.Attrs)
	}
	id := u.attr("id")
	c.wantError("POST", base, userBody("ALICE", "Viewer"), http.StatusConflict, "409017")
	c.wantError("POST", base, userBody("bob", "Boss"), http.StatusBadRequest, "400013")
	c.wantError("POST", base, `<tsRequest><user name="x"/></tsRequest>`, http.StatusBadRequest, "400000")

	upd := c.mustDo("PUT", base+"/"+id, `<tsRequest><user fullName="Alice A" email="alice@example.com" siteRole="Creator" authSetting="SAML"/></tsRequest>`, http.StatusOK).find("user")
	if upd.attr("fullName") != "Alice A" || upd.attr("email") != "alice@example.com" || upd.attr("siteRole") != "Creator" || upd.attr("authSetting") != "SAML" {
		t.Fatalf("updated %+v", upd.Attrs)
	}
	c.wantError("PUT", base+"/"+id, `<tsRequest><user email="not-an-email"/></tsRequest>`, http.StatusBadRequest, "400000")
	got := c.mustDo("GET", base+"/"+id, "", http.StatusOK).find("user")
	if got.attr("email") != "alice@example.com" || got.find("domain").attr("name") != "local" {
		t.Fatalf("get %+v", got.Attrs)
	}

	c.mustDo("POST", base, userBody("bob", "Viewer"), http.StatusCreated)
	// Filter, sort and fields.
	list := c.mustDo("GET", base+"?filter=siteRole:eq:Viewer", "", http.StatusOK).all("users")
	if len(list) != 1 || list[0].attr("name") != "bob" {
		t.Fatalf("filter siteRole: %+v", list)
	}
	list = c.mustDo("GET", base+"?sort=name:desc", "", http.StatusOK).all("users")
	if len(list) != 3 || list[0].attr("name") != "bob" || list[2].attr("name") != "admin" {
		t.Fatalf("sort: %v", nameList(list))
	}
	if list[0].has("email") {
		t.Errorf("email is not a default field of a user list")
	}
	list = c.mustDo("GET", base+"?fields=_all_&filter=name:eq:alice", "", http.StatusOK).all("users")
	if len(list) != 1 || list[0].attr("email") != "alice@example.com" {
		t.Fatalf("fields=_all_: %+v", list)
	}
	c.wantError("GET", base+"?filter=shoeSize:eq:9", "", http.StatusBadRequest, "400065")

	c.mustDo("DELETE", base+"/"+id, "", http.StatusNoContent)
	c.wantError("GET", base+"/"+id, "", http.StatusNotFound, "404002")
	c.wantError("DELETE", base+"/"+c.userID, "", http.StatusBadRequest, "400000")
}

func nameList(ns []node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.attr("name"))
	}
	return out
}

func TestUsersRemoveReassignsContent(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/users"
	owner := c.mustDo("POST", base, userBody("owner", "Creator"), http.StatusCreated).find("user").attr("id")
	heir := c.mustDo("POST", base, userBody("heir", "Creator"), http.StatusCreated).find("user").attr("id")
	p := c.mustDo("POST", "sites/"+c.siteID+"/projects", projectBody("Owned", ""), http.StatusCreated).find("project")
	c.mustDo("PUT", "sites/"+c.siteID+"/projects/"+p.attr("id"), `<tsRequest><project><owner id="`+owner+`"/></project></tsRequest>`, http.StatusOK)

	// A user who owns content is not removed: it becomes Unlicensed and the answer is 409.
	c.wantError("DELETE", base+"/"+owner, "", http.StatusConflict, "409003")
	if r := c.mustDo("GET", base+"/"+owner, "", http.StatusOK).find("user").attr("siteRole"); r != "Unlicensed" {
		t.Errorf("site role after refused removal: %s", r)
	}
	c.wantError("DELETE", base+"/"+owner+"?mapAssetsTo=00000000-0000-4000-8000-000000000000", "", http.StatusNotFound, "404002")
	c.mustDo("DELETE", base+"/"+owner+"?mapAssetsTo="+heir, "", http.StatusNoContent)
	got := c.mustDo("PUT", "sites/"+c.siteID+"/projects/"+p.attr("id"), `<tsRequest><project/></tsRequest>`, http.StatusOK).find("project")
	if got.find("owner").attr("id") != heir {
		t.Errorf("project owner after removal: %s, want %s", got.find("owner").attr("id"), heir)
	}
}

func TestUsersNonAdminIsRefused(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	id, err := srv.AddUser("", "viewer", "Viewer")
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	cr := srv.Credentials()
	c.signIn(fmt.Sprintf(`<tsRequest><credentials personalAccessTokenName=%q personalAccessTokenSecret=%q><site contentUrl=""/><user id=%q/></credentials></tsRequest>`, cr.PATName, cr.PATSecret, id))
	c.wantError("POST", "sites/"+c.siteID+"/users", userBody("x", "Viewer"), http.StatusForbidden, "403000")
	// A user may update its own full name, not its role.
	c.mustDo("PUT", "sites/"+c.siteID+"/users/"+id, `<tsRequest><user fullName="Vee"/></tsRequest>`, http.StatusOK)
	c.wantError("PUT", "sites/"+c.siteID+"/users/"+id, `<tsRequest><user siteRole="Creator"/></tsRequest>`, http.StatusForbidden, "403000")
}

// multipartBody builds a multipart/mixed body with the named parts.
func multipartBody(t *testing.T, parts ...[2]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="users.csv"`, p[0]))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	mw.Close()
	return b.String(), "multipart/mixed; boundary=" + mw.Boundary()
}

func (c *client) doCT(method, path, body, ct string) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("X-Tableau-Auth", c.token)
	req.Header.Set("Content-Type", ct)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func TestUsersImportAndDeleteCSV(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	base := "sites/" + c.siteID + "/users"
	csv := "carol,pw,Carol C,Creator,Site,yes,carol@example.com\n" +
		"dan,,Dan D,Explorer,None,yes,\n" +
		"erin,,,Viewer,None,no,erin@example.com\n" +
		"bad,,,Wizard,None,no,\n" +
		",,,Viewer,None,no,\n"
	body, ct := multipartBody(t, [2]string{"tableau_user_import", csv},
		[2]string{"request_payload", `<tsRequest><user name="erin" authSetting="SAML"/></tsRequest>`})
	status, out := c.doCT("POST", base+"/import", body, ct)
	if status != http.StatusAccepted {
		t.Fatalf("import: %d %s", status, out)
	}
	job := parseXML(t, out).find("job")
	if job.attr("type") != "UserImport" || job.attr("finishCode") != "1" {
		t.Fatalf("job %+v", job.Attrs)
	}
	notes := job.all("statusNotes")
	if len(notes) != 2 || !strings.Contains(notes[0].attr("text"), "line 4") || !strings.Contains(notes[1].attr("text"), "line 5") {
		t.Fatalf("notes: %+v", notes)
	}
	roles := map[string]string{}
	for _, u := range c.mustDo("GET", base+"?fields=_all_", "", http.StatusOK).all("users") {
		roles[u.attr("name")] = u.attr("siteRole") + "/" + u.attr("authSetting")
	}
	want := map[string]string{"carol": "SiteAdministratorCreator/ServerDefault", "dan": "ExplorerCanPublish/ServerDefault", "erin": "Viewer/SAML"}
	for n, r := range want {
		if roles[n] != r {
			t.Errorf("%s: %s, want %s", n, roles[n], r)
		}
	}
	if _, ok := roles["bad"]; ok {
		t.Errorf("a malformed row was imported")
	}

	body, ct = multipartBody(t, [2]string{"tableau_user_delete", "dan\nerin\nnobody\n"})
	status, out = c.doCT("POST", base+"/delete", body, ct)
	if status != http.StatusAccepted {
		t.Fatalf("delete: %d %s", status, out)
	}
	job = parseXML(t, out).find("job")
	if job.attr("finishCode") != "1" || len(job.all("statusNotes")) != 1 {
		t.Fatalf("delete job: %s", out)
	}
	left := nameList(c.mustDo("GET", base, "", http.StatusOK).all("users"))
	if strings.Join(left, ",") != "admin,carol" {
		t.Errorf("after delete: %v", left)
	}
	status, _ = c.doCT("POST", base+"/import", "not multipart", "text/plain")
	if status != http.StatusBadRequest {
		t.Errorf("import without multipart: %d", status)
	}
}
