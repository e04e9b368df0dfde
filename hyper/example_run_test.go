package hyper_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
)

// examples are this package's Example functions, by name. They need
// hyperd and so carry no Output line (go test would run them on machines
// without it); TestExamplesPrint runs them instead.
var examples = map[string]func(){
	"Example":                   Example,
	"ExampleConn_NewInserter":   ExampleConn_NewInserter,
	"ExampleConn_Query":         ExampleConn_Query,
	"ExampleCollect":            ExampleCollect,
	"ExampleConn_Upsert":        ExampleConn_Upsert,
	"ExampleConn_RollingWindow": ExampleConn_RollingWindow,
	"ExampleConn_CopyFromFile":  ExampleConn_CopyFromFile,
	"ExampleConn_QueryArrow":    ExampleConn_QueryArrow,
}

// TestExamplesPrint runs every Example function of the package and checks
// what it prints against the comment lines that end its body, which play
// the part of an Output section.
func TestExamplesPrint(t *testing.T) {
	testenv.Hyperd(t)
	want := exampleOutputs(t, "example_test.go", "example_more_test.go")
	for name := range want {
		if examples[name] == nil {
			t.Errorf("%s is not in the examples table", name)
		}
	}
	for name, fn := range examples {
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("%s has no expected output in its comments", name)
			}
			if got := captureStdout(t, fn); got != w {
				t.Errorf("%s printed\n%s\nwant\n%s", name, got, w)
			}
		})
	}
}

// exampleOutputs reads the Example functions of files and returns, for
// each, the text of the comment lines after its last statement.
func exampleOutputs(t *testing.T, files ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fd.Name.Name, "Example") || fd.Body == nil || len(fd.Body.List) == 0 {
				continue
			}
			last := fd.Body.List[len(fd.Body.List)-1].End()
			var lines []string
			for _, cg := range f.Comments {
				if cg.Pos() > last && cg.End() < fd.Body.Rbrace {
					for _, c := range cg.List {
						lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), " "))
					}
				}
			}
			if len(lines) == 0 {
				t.Errorf("%s: %s ends with no expected output", name, fd.Name.Name)
				continue
			}
			out[fd.Name.Name] = strings.Join(lines, "\n") + "\n"
		}
	}
	return out
}

// captureStdout runs fn with os.Stdout sent to a pipe and returns what it
// wrote.
func captureStdout(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	stdout := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = stdout }()
	fn()
	os.Stdout = stdout
	w.Close()
	return <-read
}
