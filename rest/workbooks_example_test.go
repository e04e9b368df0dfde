package rest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// exampleClient signs in to a fresh emulator.
func exampleClient(ctx context.Context) (*rest.Client, *tableautest.Server, error) {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		return nil, nil, err
	}
	cr := srv.Credentials()
	c, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Credentials: tableau.PersonalAccessToken{Name: cr.PATName, Secret: cr.PATSecret}})
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv, nil
}

// Publish a workbook with embedded credentials, list its views and download
// it again.
func ExampleWorkbooksService_Publish() {
	ctx := context.Background()
	c, srv, err := exampleClient(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	project, err := c.Projects.GetByPath(ctx, "Default")
	if err != nil {
		fmt.Println(err)
		return
	}
	file := tableautest.SampleTWB("db.example.com", "Overview", "Details")
	wb, err := c.Workbooks.Publish(ctx, bytes.NewReader(file), &rest.PublishOptions{
		Name: "Sales", ProjectID: project.ID, FileName: "Sales.twb",
		Connections: []rest.ConnectionCredentials{{ServerAddress: "db.example.com", Username: "reader", Password: "secret", Embed: true}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range wb.Views {
		fmt.Println("view:", v.Name)
	}
	var copy bytes.Buffer
	d, err := c.Workbooks.Download(ctx, wb.ID, &copy, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.FileName, bytes.Equal(copy.Bytes(), file))
	// Output:
	// view: Overview
	// view: Details
	// Sales.twb true
}

// Refresh a datasource's extract and wait for the job; a failed job is a
// *rest.JobError carrying the job's notes.
func ExampleJobsService_Wait() {
	ctx := context.Background()
	c, srv, err := exampleClient(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.SetJobDuration(100 * time.Millisecond)
	if _, err := srv.Seed(tableautest.SeedOptions{Datasources: 2}); err != nil {
		fmt.Println(err)
		return
	}
	srv.FailRefreshesOf("Datasource 2", "Cannot connect to the database server")
	for _, name := range []string{"Datasource 1", "Datasource 2"} {
		ds, err := c.Datasources.GetByName(ctx, name, "")
		if err != nil {
			fmt.Println(err)
			return
		}
		job, err := c.Datasources.Refresh(ctx, ds.ID, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		done, err := c.Jobs.Wait(ctx, job.ID, nil)
		var je *rest.JobError
		switch {
		case errors.As(err, &je):
			fmt.Printf("%s: %s: %s\n", name, je.Job.Status(), je.Job.Notes[0])
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Printf("%s: %s\n", name, done.Status())
		}
	}
	// Output:
	// Datasource 1: Success
	// Datasource 2: Failed: Cannot connect to the database server
}

// Export a view's data as CSV, filtered to one region.
func ExampleViewsService_CSV() {
	ctx := context.Background()
	c, srv, err := exampleClient(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	seeded, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var csv bytes.Buffer
	err = c.Views.CSV(ctx, seeded.ViewIDs[0], &csv, &rest.ExportOptions{Filters: rest.ViewFilters{"Region": "West"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	line, _ := csv.ReadString('\n')
	fmt.Print(line)
	rows := 0
	for {
		if _, err := csv.ReadString('\n'); err == io.EOF {
			break
		}
		rows++
	}
	fmt.Println(rows, "rows")
	// Output:
	// Region,Category,Sales,Profit
	// 3 rows
}
