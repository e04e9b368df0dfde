package tableau_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tableau-go/sdk/tableau"
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
