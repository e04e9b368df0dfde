package tableautest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestGroupsLocalMembersBulk(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	var ids []string
	for _, n := range []string{"u1", "u2", "u3"} {
		ids = append(ids, c.mustDo("POST", site+"/users", userBody(n, "Viewer"), http.StatusCreated).find("user").attr("id"))
	}
	groups := c.mustDo("GET", site+"/groups", "", http.StatusOK).all("groups")
	if len(groups) != 1 || groups[0].attr("name") != "All Users" {
		t.Fatalf("a site starts with All Users: %v", nameList(groups))
	}
	allID := groups[0].attr("id")
	if n := len(c.mustDo("GET", site+"/groups/"+allID+"/users", "", http.StatusOK).all("users")); n != 4 {
		t.Errorf("All Users has %d members, want 4", n)
	}
	c.wantError("DELETE", site+"/groups/"+allID, "", http.StatusForbidden, "403013")

	g := c.mustDo("POST", site+"/groups", `<tsRequest><group name="Analysts" minimumSiteRole="Explorer"/></tsRequest>`, http.StatusCreated).find("group")
	gid := g.attr("id")
	if g.attr("minimumSiteRole") != "Explorer" || g.find("domain").attr("name") != "local" {
		t.Fatalf("created %+v", g.Attrs)
	}
	c.wantError("POST", site+"/groups", `<tsRequest><group name="analysts"/></tsRequest>`, http.StatusConflict, "409009")

	// One user: <user> in, <user> out; the minimum site role applies.
	one := c.mustDo("POST", site+"/groups/"+gid+"/users", `<tsRequest><user id="`+ids[0]+`"/></tsRequest>`, http.StatusOK).find("user")
	if one.attr("id") != ids[0] || one.attr("siteRole") != "Explorer" {
		t.Fatalf("add one: %+v", one.Attrs)
	}
	c.wantError("POST", site+"/groups/"+gid+"/users", `<tsRequest><user id="`+ids[0]+`"/></tsRequest>`, http.StatusConflict, "409011")
	// Bulk: all or nothing.
	bulk := fmt.Sprintf(`<tsRequest><users><user id=%q/><user id=%q/></users></tsRequest>`, ids[1], ids[0])
	c.wantError("POST", site+"/groups/"+gid+"/users", bulk, http.StatusConflict, "409011")
	bulk = fmt.Sprintf(`<tsRequest><users><user id=%q/><user id=%q/></users></tsRequest>`, ids[1], ids[2])
	added := c.mustDo("POST", site+"/groups/"+gid+"/users", bulk, http.StatusOK).all("users")
	if len(added) != 2 {
		t.Fatalf("bulk add answered %d users", len(added))
	}
	members := c.mustDo("GET", site+"/groups/"+gid+"/users?sort=name:asc", "", http.StatusOK).all("users")
	if strings.Join(nameList(members), ",") != "u1,u2,u3" {
		t.Fatalf("members %v", nameList(members))
	}
	// The user's groups.
	ug := c.mustDo("GET", site+"/users/"+ids[2]+"/groups", "", http.StatusOK).all("groups")
	if strings.Join(nameList(ug), ",") != "All Users,Analysts" {
		t.Errorf("user's groups %v", nameList(ug))
	}
	c.mustDo("PUT", site+"/groups/"+gid+"/users/remove", fmt.Sprintf(`<tsRequest><users><user id=%q/><user id=%q/></users></tsRequest>`, ids[0], ids[1]), http.StatusNoContent)
	c.mustDo("DELETE", site+"/groups/"+gid+"/users/"+ids[2], "", http.StatusNoContent)
	c.wantError("DELETE", site+"/groups/"+gid+"/users/"+ids[2], "", http.StatusNotFound, "404002")
	if n := len(c.mustDo("GET", site+"/groups/"+gid+"/users", "", http.StatusOK).all("users")); n != 0 {
		t.Errorf("%d members left", n)
	}

	upd := c.mustDo("PUT", site+"/groups/"+gid, `<tsRequest><group name="Analysts EU" minimumSiteRole="Viewer"/></tsRequest>`, http.StatusOK).find("group")
	if upd.attr("name") != "Analysts EU" || upd.attr("minimumSiteRole") != "Viewer" {
		t.Fatalf("updated %+v", upd.Attrs)
	}
	list := c.mustDo("GET", site+"/groups?filter=name:eq:Analysts*&fields=_all_", "", http.StatusOK).all("groups")
	if len(list) != 1 || list[0].attr("userCount") != "0" {
		t.Fatalf("filtered groups %+v", list)
	}
	c.mustDo("DELETE", site+"/groups/"+gid, "", http.StatusNoContent)
	c.wantError("PUT", site+"/groups/"+gid, `<tsRequest><group name="x"/></tsRequest>`, http.StatusNotFound, "404012")
}

func TestGroupsActiveDirectoryImport(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	srv.SetDirectoryGroup("example.com", "Sales", "ann", "ben")
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	ad := `<tsRequest><group name="Sales"><import source="ActiveDirectory" domainName="example.com" siteRole="Explorer" grantLicenseMode="onSync"/></group></tsRequest>`
	job := c.mustDo("POST", site+"/groups?asJob=true", ad, http.StatusAccepted).find("job")
	if job.attr("type") != "GroupImport" || job.attr("finishCode") != "0" {
		t.Fatalf("job %+v", job.Attrs)
	}
	groups := c.mustDo("GET", site+"/groups?filter=domainName:eq:example.com", "", http.StatusOK).all("groups")
	if len(groups) != 1 || groups[0].find("import").attr("siteRole") != "Explorer" {
		t.Fatalf("AD group %+v", groups)
	}
	gid := groups[0].attr("id")
	members := c.mustDo("GET", site+"/groups/"+gid+"/users?sort=name:asc", "", http.StatusOK).all("users")
	if strings.Join(nameList(members), ",") != `example.com\ann,example.com\ben` || members[0].attr("siteRole") != "Explorer" {
		t.Fatalf("members %v %+v", nameList(members), members)
	}
	// Synchronizing picks up directory changes.
	srv.SetDirectoryGroup("example.com", "Sales", "ben", "cat")
	c.mustDo("PUT", site+"/groups/"+gid, `<tsRequest><group name="Sales"><import source="ActiveDirectory" domainName="example.com" siteRole="Explorer" grantLicenseMode="onSync"/></group></tsRequest>`, http.StatusOK)
	members = c.mustDo("GET", site+"/groups/"+gid+"/users?sort=name:asc", "", http.StatusOK).all("users")
	if strings.Join(nameList(members), ",") != `example.com\ben,example.com\cat` {
		t.Fatalf("after sync %v", nameList(members))
	}
	c.wantError("POST", site+"/groups", `<tsRequest><group name="Ghosts"><import source="ActiveDirectory" domainName="example.com"/></group></tsRequest>`, http.StatusNotFound, "404013")
	c.wantError("POST", site+"/groups?asJob=true", `<tsRequest><group name="Local"/></tsRequest>`, http.StatusBadRequest, "400000")
}

func TestGroupSets(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	g1 := c.mustDo("POST", site+"/groups", `<tsRequest><group name="A"/></tsRequest>`, http.StatusCreated).find("group").attr("id")
	g2 := c.mustDo("POST", site+"/groups", `<tsRequest><group name="B"/></tsRequest>`, http.StatusCreated).find("group").attr("id")
	gs := c.mustDo("POST", site+"/groupsets", `<tsRequest><groupSet name="Both"/></tsRequest>`, http.StatusCreated).find("groupSet")
	id := gs.attr("id")
	if gs.attr("groupCount") != "0" {
		t.Fatalf("new group set %+v", gs.Attrs)
	}
	c.wantError("POST", site+"/groupsets", `<tsRequest><groupSet name="both"/></tsRequest>`, http.StatusConflict, "409040")
	c.mustDo("PUT", site+"/groupsets/"+id+"/groups/"+g1, "", http.StatusOK)
	c.mustDo("PUT", site+"/groupsets/"+id+"/groups/"+g2, "", http.StatusOK)
	got := c.mustDo("GET", site+"/groupsets/"+id, "", http.StatusOK).find("groupSet")
	if got.attr("groupCount") != "2" || len(got.Nodes) != 2 {
		t.Fatalf("group set %+v", got)
	}
	c.mustDo("DELETE", site+"/groupsets/"+id+"/groups/"+g1, "", http.StatusNoContent)
	c.mustDo("PUT", site+"/groupsets/"+id, `<tsRequest><groupSet name="Only B"/></tsRequest>`, http.StatusOK)
	list := c.mustDo("GET", site+"/groupsets", "", http.StatusOK).all("groupSets")
	if len(list) != 1 || list[0].attr("name") != "Only B" || list[0].attr("groupCount") != "1" {
		t.Fatalf("list %+v", list)
	}
	// Deleting a group takes it out of its sets.
	c.mustDo("DELETE", site+"/groups/"+g2, "", http.StatusNoContent)
	if n := c.mustDo("GET", site+"/groupsets/"+id, "", http.StatusOK).find("groupSet").attr("groupCount"); n != "0" {
		t.Errorf("groupCount after group deletion: %s", n)
	}
	c.mustDo("DELETE", site+"/groupsets/"+id, "", http.StatusNoContent)
	c.wantError("GET", site+"/groupsets/"+id, "", http.StatusNotFound, "404040")
}
