package rest

// contentServices are the content services of a [Client]: workbooks,
// datasources, views, jobs and upload sessions. Client embeds it, so they
// are used as c.Workbooks, c.Datasources, c.Views, c.Jobs and c.FileUploads.
type contentServices struct {
	// Workbooks publishes, lists, downloads, refreshes and exports workbooks.
	Workbooks *WorkbooksService
	// Datasources publishes, lists, downloads and refreshes datasources.
	Datasources *DatasourcesService
	// Views lists views and exports them.
	Views *ViewsService
	// Jobs reads, lists, cancels and waits for jobs.
	Jobs *JobsService
	// FileUploads sends large files in chunks.
	FileUploads *FileUploadsService
}

func newContentServices(base service) contentServices {
	return contentServices{
		Workbooks:   &WorkbooksService{base},
		Datasources: &DatasourcesService{base},
		Views:       &ViewsService{base},
		Jobs:        &JobsService{base},
		FileUploads: &FileUploadsService{base},
	}
}
