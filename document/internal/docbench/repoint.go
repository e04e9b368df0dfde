package docbench

import (
	"context"

	"github.com/tableau-go/sdk/document"
)

// Repoint opens the workbook at src, points every connection of every
// datasource at production (server, database, user) and saves it to dst:
// the operation the benchmark times against tableaudocumentapi.
func Repoint(ctx context.Context, src, dst string) (int, error) {
	w, err := document.OpenWorkbook(ctx, src, nil)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	n := 0
	for _, ds := range w.Datasources() {
		for _, c := range ds.Connections() {
			c.SetServer("prod-db.example.com")
			c.SetDBName("sales")
			c.SetUsername("svc_prod")
			n++
		}
	}
	return n, w.SaveAs(ctx, dst)
}
