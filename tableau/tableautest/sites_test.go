package tableautest_test

import (
	"net/http"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestSitesCreateGetUpdateDelete(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")

	created := c.mustDo("POST", "sites", `<tsRequest><site name="Finance" contentUrl="finance"/></tsRequest>`, http.StatusCreated).find("site")
	id := created.attr("id")
	if created.attr("adminMode") != "ContentAndUsers" || created.attr("state") != "Active" || created.has("userQuota") {
		t.Fatalf("created %+v", created.Attrs)
	}
	c.wantError("POST", "sites", `<tsRequest><site name="Finance" contentUrl="other"/></tsRequest>`, http.StatusConflict, "409001")
	c.wantError("POST", "sites", `<tsRequest><site name="Other" contentUrl="FINANCE"/></tsRequest>`, http.StatusConflict, "409002")
	c.wantError("POST", "sites", `<tsRequest><site name="Bad" contentUrl="a b"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("POST", "sites", `<tsRequest><site name="NoURL"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("POST", "sites", `<tsRequest><site name="Q" contentUrl="q" userQuota="many"/></tsRequest>`, http.StatusBadRequest, "400000")

	// Query Site by id, Update Site and Delete Site need a session on that site.
	c.wantError("GET", "sites/"+id, "", http.StatusForbidden, "403000")
	c.wantError("PUT", "sites/"+id, `<tsRequest><site name="X"/></tsRequest>`, http.StatusForbidden, "403000")
	c.wantError("DELETE", "sites/"+id, "", http.StatusForbidden, "403000")
	// By name or content URL a server admin may query any site.
	for _, path := range []string{"sites/Finance?key=name", "sites/finance?key=contentUrl"} {
		if got := c.mustDo("GET", path, "", http.StatusOK).find("site").attr("id"); got != id {
			t.Errorf("GET %s: id %s, want %s", path, got, id)
		}
	}
	c.wantError("GET", "sites/nosuch?key=name", "", http.StatusNotFound, "404000")
	c.wantError("GET", "sites/00000000-0000-4000-8000-000000000000", "", http.StatusNotFound, "404000")
	c.wantError("GET", "sites/x?key=bogus", "", http.StatusBadRequest, "400000")
	c.wantError("POST", "sites", `<tsRequest><site name="CO" contentUrl="co" adminMode="ContentOnly" userQuota="5"/></tsRequest>`, http.StatusBadRequest, "400000")

	defaultSite := c.siteID
	c.signIn(patBody(srv.Credentials().PATName, srv.Credentials().PATSecret, "finance"))
	if got := c.mustDo("GET", "sites/"+id, "", http.StatusOK).find("site").attr("id"); got != id {
		t.Errorf("Query Site by id: %s, want %s", got, id)
	}
	upd := c.mustDo("PUT", "sites/"+id, `<tsRequest><site name="Finance EU" contentUrl="finance-eu" state="Suspended" adminMode="ContentOnly" revisionLimit="5"/></tsRequest>`, http.StatusOK).find("site")
	if upd.attr("name") != "Finance EU" || upd.attr("contentUrl") != "finance-eu" || upd.attr("state") != "Suspended" ||
		upd.attr("adminMode") != "ContentOnly" || upd.attr("revisionLimit") != "5" {
		t.Fatalf("updated %+v", upd.Attrs)
	}
	c.wantError("PUT", "sites/"+id, `<tsRequest><site userQuota="10"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("PUT", "sites/"+id, `<tsRequest><site name="Default"/></tsRequest>`, http.StatusConflict, "409001")
	c.wantError("PUT", "sites/"+id, `<tsRequest><site state="Sleeping"/></tsRequest>`, http.StatusBadRequest, "400000")
	c.wantError("PUT", "sites/"+id, `<tsRequest><site contentUrl=""/></tsRequest>`, http.StatusBadRequest, "400000")

	list := c.mustDo("GET", "sites", "", http.StatusOK)
	if n := len(list.all("sites")); n != 2 || list.find("pagination").attr("totalAvailable") != "2" {
		t.Fatalf("sites list has %d sites", n)
	}

	// Deleting the site signed in to ends every session on it.
	other := signedIn(t, srv, "finance-eu")
	c.mustDo("DELETE", "sites/"+id, "", http.StatusNoContent)
	c.wantError("GET", "sites/"+id+"/projects", "", http.StatusUnauthorized, "401002")
	other.wantError("GET", "sites", "", http.StatusUnauthorized, "401002")
	c = signedIn(t, srv, "")
	c.wantError("DELETE", "sites/"+defaultSite, "", http.StatusForbidden, "403000")
	if n := len(c.mustDo("GET", "sites", "", http.StatusOK).all("sites")); n != 1 {
		t.Errorf("%d sites after the delete", n)
	}
}

func TestSitesNeedServerAdmin(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	other, err := srv.AddSite("Other", "other")
	if err != nil {
		t.Fatal(err)
	}
	uid, err := srv.AddUser("", "creator", "Creator")
	if err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	c := newClient(t, srv)
	c.signIn(`<tsRequest><credentials personalAccessTokenName="` + cr.PATName + `" personalAccessTokenSecret="` + cr.PATSecret + `"><site contentUrl=""/><user id="` + uid + `"/></credentials></tsRequest>`)
	// A site user sees only the site signed in to.
	if sites := c.mustDo("GET", "sites", "", http.StatusOK).all("sites"); len(sites) != 1 || sites[0].attr("id") != c.siteID {
		t.Fatalf("a non-admin listed %d sites", len(sites))
	}
	c.mustDo("GET", "sites/"+c.siteID, "", http.StatusOK)
	c.wantError("GET", "sites/"+other, "", http.StatusForbidden, "403000")
	c.wantError("POST", "sites", `<tsRequest><site name="X" contentUrl="x"/></tsRequest>`, http.StatusForbidden, "403000")
	c.wantError("PUT", "sites/"+other, `<tsRequest><site name="Y"/></tsRequest>`, http.StatusForbidden, "403000")
	c.wantError("DELETE", "sites/"+other, "", http.StatusForbidden, "403000")
}

func TestAddSiteAndAddUserValidate(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	if _, err := srv.AddSite("Default", "again"); err == nil {
		t.Error("AddSite accepted a duplicate name")
	}
	if _, err := srv.AddSite("X", ""); err == nil {
		t.Error("AddSite accepted a second empty content URL")
	}
	if _, err := srv.AddSite("", "y"); err == nil {
		t.Error("AddSite accepted an empty name")
	}
	if _, err := srv.AddUser("nosuch", "u", "Viewer"); err == nil {
		t.Error("AddUser accepted an unknown site")
	}
	if _, err := srv.AddUser("", "u", "Boss"); err == nil {
		t.Error("AddUser accepted an unknown site role")
	}
	if _, err := srv.AddUser("", "admin", "Viewer"); err == nil {
		t.Error("AddUser accepted the admin's name again")
	}
	if _, err := tableautest.NewServer(&tableautest.Options{APIVersion: "three"}); err == nil {
		t.Error("NewServer accepted a malformed APIVersion")
	}
}
