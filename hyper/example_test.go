package hyper_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tableau-go/sdk/hyper"
)

// Create an extract in five lines (error handling aside). It needs hyperd,
// so it has no Output line; TestExamplesPrint runs it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	p, _ := hyper.Start(ctx, nil)
	defer p.Close()
	c, _ := p.Connect(ctx, filepath.Join(dir, "orders.hyper"), hyper.CreateAndReplace)
	defer c.Close()
	def := hyper.ExtractDefinition(hyper.Column{Name: "id", Type: hyper.Int(), NotNull: true}, hyper.Column{Name: "item", Type: hyper.Text()})
	_ = c.CreateTable(ctx, def, false)
	n, err := c.InsertRows(ctx, def.Name, hyper.RowsOf([][]any{{1, "pen"}, {2, "ink"}}), nil)

	fmt.Printf("inserted %d rows %v\n", n, err)
	// inserted 2 rows <nil>
}
