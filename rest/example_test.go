package rest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// Sign in to the embedded emulator, create nested projects and list them.
func Example() {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	creds := srv.Credentials()

	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{
		Server:      srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Session.SignOut(ctx)

	finance, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Finance"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Projects.Create(ctx, rest.ProjectCreate{Name: "Reports", ParentProjectID: finance.ID}); err != nil {
		fmt.Println(err)
		return
	}
	opts := &tableau.ListOptions{Sorts: []tableau.Sort{tableau.Asc("name")}}
	for p, err := range c.Projects.List(opts).All(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s top-level=%t\n", p.Name, p.TopLevel)
	}
	// Output:
	// Default top-level=true
	// Finance top-level=true
	// Reports top-level=false
}

// Errors match the tableau package's sentinels.
func ExampleProjectsService_Create_conflict() {
	srv, _ := tableautest.NewServer(nil)
	defer srv.Close()
	creds := srv.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(),
		Credentials: tableau.Password{Username: creds.Username, Password: creds.Password}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Projects.Create(ctx, rest.ProjectCreate{Name: "Default"})
	var e *tableau.Error
	fmt.Println(errors.Is(err, tableau.ErrConflict), errors.As(err, &e) && e.HTTPStatus == 409)
	// Output:
	// true true
}

// Server administrators manage sites.
func ExampleSitesService_Create() {
	srv, _ := tableautest.NewServer(nil)
	defer srv.Close()
	creds := srv.Credentials()
	ctx := context.Background()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}})
	if err != nil {
		fmt.Println(err)
		return
	}
	site, err := c.Sites.Create(ctx, rest.SiteCreate{Name: "Sales", ContentURL: "sales"})
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := c.Sites.GetByContentURL(ctx, "sales")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Name, got.State, got.ID == site.ID)
	// Output:
	// Sales Active true
}
