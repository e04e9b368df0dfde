package rest_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// emulatorClient signs in to an embedded emulator for the examples.
func emulatorClient() (*rest.Client, *tableautest.Server, error) {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return nil, nil, err
	}
	cr := srv.Credentials()
	c, err := rest.SignIn(context.Background(), tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv, nil
}

// Import users in bulk as one server-side job, then list the viewers.
func ExampleUsersService_Import() {
	c, srv, err := emulatorClient()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	job, err := c.Users.Import(ctx, []rest.UserImport{
		{Name: "ana", SiteRole: rest.RoleCreator, Email: "ana@example.com"},
		{Name: "ben", SiteRole: rest.RoleViewer},
		{Name: "cy", SiteRole: rest.RoleViewer, AuthSetting: rest.AuthSAML},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("job", job.Type, "succeeded:", job.Succeeded())
	viewers := &tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("siteRole", rest.RoleViewer)}, Sorts: []tableau.Sort{tableau.Asc("name")}}
	for u, err := range c.Users.List(viewers).All(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(u.Name, u.AuthSetting)
	}
	// Output:
	// job UserImport succeeded: true
	// ben ServerDefault
	// cy SAML
}

// Give a group read access to every new workbook of a project, and see
// what the project's default permissions hold.
func ExamplePermissionsService_AddDefault() {
	c, srv, err := emulatorClient()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	p, _ := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Finance"})
	g, _ := c.Groups.Create(ctx, rest.GroupCreate{Name: "Finance readers"})
	_, err = c.Permissions.AddDefault(ctx, p.ID, rest.ContentWorkbooks, rest.Rule{
		GranteeKind: rest.GranteeGroup, GranteeID: g.ID,
		Capabilities: map[string]string{"Read": rest.Allow, "ExportData": rest.Deny},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	perms, err := c.Permissions.ListDefault(ctx, p.ID, rest.ContentWorkbooks)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range perms.Rules {
		fmt.Println(r.GranteeKind, r.GranteeID == g.ID, "Read:", r.Capabilities["Read"], "ExportData:", r.Capabilities["ExportData"])
	}
	// A capability the content type does not have fails before any request.
	_, err = c.Permissions.Add(ctx, rest.ContentDatasources, "some-id", rest.Rule{GranteeKind: rest.GranteeGroup, GranteeID: g.ID, Capabilities: map[string]string{"ExportImage": rest.Allow}})
	fmt.Println(strings.SplitN(err.Error(), "(", 2)[0])
	// Output:
	// group true Read: Allow ExportData: Deny
	// rest.Permissions.Add: tableau: invalid argument: "ExportImage" is not a capability of datasources
}

// Webhook destinations are checked before the request: Tableau delivers
// only to https (the emulator also to http://127.0.0.1, on request).
func ExampleCheckDestination() {
	for _, u := range []string{"https://hooks.example.com/tableau", "http://hooks.example.com/tableau", "http://127.0.0.1:8080/hook"} {
		err := rest.CheckDestination(u, nil)
		fmt.Println(u, err == nil)
	}
	fmt.Println(rest.CheckDestination("http://127.0.0.1:8080/hook", &rest.DestinationOptions{AllowLoopbackHTTP: true}) == nil)
	// Output:
	// https://hooks.example.com/tableau true
	// http://hooks.example.com/tableau false
	// http://127.0.0.1:8080/hook false
	// true
}
