// Package rest is the Tableau REST API: one service per resource on a
// [Client] built over a signed-in [tableau.Session].
//
//	c, err := rest.SignIn(ctx, tableau.Config{
//		Server:      "https://tableau.example.com",
//		Credentials: tableau.PersonalAccessToken{Name: "ci", Secret: secret},
//	})
//	if err != nil { ... }
//	defer c.Session.SignOut(ctx)
//	for p, err := range c.Projects.List(nil).All(ctx) {
//		if err != nil { ... }
//		fmt.Println(p.Name)
//	}
//
// Every method takes a context first; options structs may be nil. Lists
// return a [tableau.Pager] (All for an iter.Seq2, Page for one page) and
// take [tableau.ListOptions] for filters, sorts, fields, page size and
// parallel fetching. Errors are [*tableau.Error] values that match
// [tableau.ErrNotFound], [tableau.ErrConflict] and the other sentinels;
// arguments are checked before any request (errors matching
// [tableau.ErrInvalidArgument]), and a method that needs a newer REST API
// version than the session uses fails with [tableau.ErrUnsupportedVersion]
// before any request.
//
// Services are fields of [Client], one per resource: c.Sites
// ([SitesService]), c.Projects ([ProjectsService]), c.Workbooks,
// c.Datasources, c.Views, c.Jobs, c.FileUploads, c.Users, c.Groups and the
// others listed on [Client].
//
// # Adding a service
//
// Each resource lives in its own file, rest/<resource>.go, holding its
// types (struct fields tagged for the REST API's XML attributes), its
// service type embedding service, and its methods built on the session's
// helpers (Get, Post, Put, Delete, Send, SitePath) and on
// [tableau.PagedList] for lists. Register it with a field on [Client] and
// one line in [NewClient].
package rest
