package tableautest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func grantBody(kind, id string, caps ...string) string {
	body := fmt.Sprintf(`<tsRequest><permissions><granteeCapabilities><%s id=%q/><capabilities>`, kind, id)
	for i := 0; i+1 < len(caps); i += 2 {
		body += fmt.Sprintf(`<capability name=%q mode=%q/>`, caps[i], caps[i+1])
	}
	return body + `</capabilities></granteeCapabilities></permissions></tsRequest>`
}

func TestPermissionsProjectAndDefaults(t *testing.T) {
	srv := tableautest.NewTestServer(t, nil)
	c := signedIn(t, srv, "")
	site := "sites/" + c.siteID
	p := c.mustDo("POST", site+"/projects", `<tsRequest><project name="Sales"/></tsRequest>`, http.StatusCreated).find("project").attr("id")
	g := c.mustDo("POST", site+"/groups", `<tsRequest><group name="Readers"/></tsRequest>`, http.StatusCreated).find("group").attr("id")
	u := c.mustDo("POST", site+"/users", userBody("pat", "Creator"), http.StatusCreated).find("user").attr("id")

	perms := c.mustDo("GET", site+"/projects/"+p+"/permissions", "", http.StatusOK).find("permissions")
	if perms.find("project").attr("id") != p || perms.find("granteeCapabilities") != nil {
		t.Fatalf("a new project has no explicit rules: %+v", perms)
	}
	added := c.mustDo("PUT", site+"/projects/"+p+"/permissions", grantBody("group", g, "Read", "Allow", "Write", "Deny"), http.StatusOK)
	if n := len(added.find("permissions").find("capabilities").Nodes); n != 2 {
		t.Fatalf("answer lists %d capabilities", n)
	}
	c.mustDo("PUT", site+"/projects/"+p+"/permissions", grantBody("user", u, "ProjectLeader", "Allow"), http.StatusOK)
	// A capability set again takes the new mode.
	c.mustDo("PUT", site+"/projects/"+p+"/permissions", grantBody("group", g, "Write", "Allow"), http.StatusOK)
	all := c.mustDo("GET", site+"/projects/"+p+"/permissions", "", http.StatusOK).find("permissions")
	rules := 0
	for _, n := range all.Nodes {
		if n.XMLName.Local != "granteeCapabilities" {
			continue
		}
		rules++
		if gr := n.find("group"); gr != nil {
			modes := map[string]string{}
			for _, cp := range n.find("capabilities").Nodes {
				modes[cp.attr("name")] = cp.attr("mode")
			}
			if modes["Read"] != "Allow" || modes["Write"] != "Allow" || len(modes) != 2 {
				t.Errorf("group capabilities %v", modes)
			}
		}
	}
	if rules != 2 {
		t.Errorf("%d grantees, want 2", rules)
	}
	c.wantError("PUT", site+"/projects/"+p+"/permissions", grantBody("group", g, "ExportData", "Allow"), http.StatusBadRequest, "400009")
	c.wantError("PUT", site+"/projects/"+p+"/permissions", grantBody("group", g, "Read", "Maybe"), http.StatusBadRequest, "400009")
	c.wantError("PUT", site+"/projects/"+p+"/permissions", grantBody("user", "00000000-0000-4000-8000-000000000000", "Read", "Allow"), http.StatusNotFound, "404002")
	c.wantError("GET", site+"/projects/00000000-0000-4000-8000-000000000000/permissions", "", http.StatusNotFound, "404005")

	c.mustDo("DELETE", site+"/projects/"+p+"/permissions/groups/"+g+"/Write/Allow", "", http.StatusNoContent)
	c.wantError("DELETE", site+"/projects/"+p+"/permissions/groups/"+g+"/Write/Allow", "", http.StatusNotFound, "404017")
	c.mustDo("DELETE", site+"/projects/"+p+"/permissions/users/"+u+"/ProjectLeader/Allow", "", http.StatusNoContent)

	// Default permissions per content type.
	for _, ct := range []string{"workbooks", "datasources", "flows", "virtualconnections", "databases", "tables", "metrics", "lenses", "dataroles"} {
		c.mustDo("GET", site+"/projects/"+p+"/default-permissions/"+ct, "", http.StatusOK)
	}
	c.wantError("GET", site+"/projects/"+p+"/default-permissions/pizzas", "", http.StatusNotFound, "404035")
	c.mustDo("PUT", site+"/projects/"+p+"/default-permissions/workbooks", grantBody("group", g, "Read", "Allow", "ExportData", "Deny"), http.StatusOK)
	c.wantError("PUT", site+"/projects/"+p+"/default-permissions/datasources", grantBody("group", g, "ExportImage", "Allow"), http.StatusBadRequest, "400009")
	d := c.mustDo("GET", site+"/projects/"+p+"/default-permissions/workbooks", "", http.StatusOK)
	if n := len(d.find("capabilities").Nodes); n != 2 {
		t.Fatalf("default workbook capabilities: %d", n)
	}
	if d2 := c.mustDo("GET", site+"/projects/"+p+"/default-permissions/datasources", "", http.StatusOK); d2.find("granteeCapabilities") != nil {
		t.Errorf("datasource defaults are separate from workbook defaults")
	}
	c.mustDo("DELETE", site+"/projects/"+p+"/default-permissions/workbooks/groups/"+g+"/ExportData/Deny", "", http.StatusNoContent)
	if n := len(c.mustDo("GET", site+"/projects/"+p+"/default-permissions/workbooks", "", http.StatusOK).find("capabilities").Nodes); n != 1 {
		t.Errorf("after delete: %d", n)
	}
	// Deleting the group drops its rules.
	c.mustDo("DELETE", site+"/groups/"+g, "", http.StatusNoContent)
	if c.mustDo("GET", site+"/projects/"+p+"/default-permissions/workbooks", "", http.StatusOK).find("granteeCapabilities") != nil {
		t.Errorf("rules of a deleted group remain")
	}
}
