package hyper_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tableau-go/sdk/hyper"
	"github.com/tableau-go/sdk/internal/testenv"
)

// Create an extract in five lines (error handling aside). It needs hyperd,
// so it has no Output line; TestExampleRuns runs it.
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
}

func TestExampleRuns(t *testing.T) {
	testenv.Hyperd(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	Example()
	os.Stdout = stdout
	w.Close()
	out, _ := io.ReadAll(r)
	if string(out) != "inserted 2 rows <nil>\n" {
		t.Fatalf("Example printed %q", out)
	}
}
