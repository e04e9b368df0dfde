// Command docbench generates a benchmark workbook ("gen OUT.twb [wide|lean]") or
// repoints every connection of one ("repoint IN.twb OUT.twb"), for
// scripts/bench-document.sh.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tableau-go/sdk/document/internal/docbench"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "docbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	switch {
	case (len(args) == 2 || len(args) == 3) && args[0] == "gen":
		size := docbench.Size{}
		if len(args) == 3 {
			switch args[2] {
			case "wide":
			case "lean":
				size = docbench.Lean
			default:
				return fmt.Errorf("unknown shape %q (wide or lean)", args[2])
			}
		}
		f, err := os.Create(args[1])
		if err != nil {
			return err
		}
		if err := docbench.WriteWorkbook(f, size); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case len(args) == 3 && args[0] == "repoint":
		n, err := docbench.Repoint(ctx, args[1], args[2])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d connections repointed\n", n)
		return nil
	}
	return errors.New("usage: docbench gen OUT.twb [wide|lean] | docbench repoint IN.twb OUT.twb")
}
