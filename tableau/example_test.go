package tableau_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// List options become the REST API's filter, sort and fields parameters.
func ExampleListOptions() {
	opts := &tableau.ListOptions{
		Filters: []tableau.Filter{
			tableau.Eq("name", "Finance*"),
			tableau.Gt("createdAt", tableau.Time(time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC))),
			tableau.In("tags", "sales", "q1"),
		},
		Sorts:  []tableau.Sort{tableau.Desc("updatedAt"), tableau.Asc("name")},
		Fields: []string{tableau.FieldsDefault, "owner.name"},
	}
	q, err := opts.Query()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Get("filter"))
	fmt.Println(q.Get("sort"))
	fmt.Println(q.Get("fields"))
	// Output:
	// name:eq:Finance*,createdAt:gt:2024-01-31T12:00:00Z,tags:in:[sales,q1]
	// updatedAt:desc,name:asc
	// _default_,owner.name
}

// Values the REST API cannot escape are refused before any request.
func ExampleFilter_invalid() {
	_, err := (&tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("name", "R&D")}}).Query()
	fmt.Println(errors.Is(err, tableau.ErrInvalidArgument))
	// Output:
	// true
}

// Credentials print without their secrets.
func ExamplePersonalAccessToken() {
	creds := tableau.PersonalAccessToken{Name: "ci", Secret: "s3cr3t"}
	fmt.Println(creds)
	// Output:
	// PersonalAccessToken{Name: "ci", Secret: [REDACTED]}
}

// Errors from the server match sentinels and carry Tableau's code.
func ExampleError() {
	var err error = &tableau.Error{HTTPStatus: 409, Code: "409006", Summary: "Resource Conflict", Method: "POST", URL: "https://tableau.example.com/api/3.24/sites/s/projects"}
	var e *tableau.Error
	fmt.Println(errors.Is(err, tableau.ErrConflict), errors.As(err, &e) && e.Code == "409006")
	// Output:
	// true true
}

// A session against the embedded emulator: sign in, look at the state,
// sign out.
func ExampleSession() {
	srv, err := tableautest.NewServer(&tableautest.Options{APIVersion: "3.22"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	creds := srv.Credentials()

	ctx := context.Background()
	s, err := tableau.NewSession(tableau.Config{
		Server:      srv.URL(),
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.SignIn(ctx); err != nil {
		fmt.Println(err)
		return
	}
	st := s.State()
	fmt.Println(st.SignedIn, st.APIVersion, st.SiteContentURL == "")
	fmt.Println(s.RequireVersion("rest.Example.New", "3.25"))
	if err := s.SignOut(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.State().SignedIn)
	// Output:
	// true 3.22 true
	// tableau: rest.Example.New needs REST API version 3.25 or later; the session uses 3.22
	// false
}

// A pager over any page source; with Parallel it fetches pages ahead and
// still yields in order.
func ExamplePager_All() {
	fetch := func(ctx context.Context, number, size int) (tableau.Page[string], error) {
		const total = 7
		var items []string
		for i := (number - 1) * size; i < number*size && i < total; i++ {
			items = append(items, fmt.Sprintf("item%d", i))
		}
		return tableau.Page[string]{Items: items, Pagination: tableau.Pagination{PageNumber: number, PageSize: size, TotalAvailable: total}}, nil
	}
	pager := tableau.NewPager(fetch, &tableau.ListOptions{PageSize: 2, Parallel: 3})
	for item, err := range pager.All(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(item, " ")
	}
	fmt.Println()
	// Output:
	// item0 item1 item2 item3 item4 item5 item6
}

// Configuration from TABLEAU_* variables (here from a map).
func ExampleConfigFromLookup() {
	env := map[string]string{
		"TABLEAU_SERVER":     "https://tableau.example.com",
		"TABLEAU_SITE":       "finance",
		"TABLEAU_PAT_NAME":   "ci",
		"TABLEAU_PAT_SECRET": "s3cr3t",
	}
	cfg, err := tableau.ConfigFromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	fmt.Println(cfg.Server, cfg.Site, cfg.Credentials, err)
	delete(env, "TABLEAU_PAT_SECRET")
	_, err = tableau.ConfigFromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	fmt.Println(err)
	// Output:
	// https://tableau.example.com finance PersonalAccessToken{Name: "ci", Secret: [REDACTED]} <nil>
	// tableau: TABLEAU_PAT_NAME is set but TABLEAU_PAT_SECRET is not (personal access token credentials need all of TABLEAU_PAT_NAME, TABLEAU_PAT_SECRET)
}
