package tableautest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestTableauServerClientContent drives the content resources (publish,
// chunked upload sessions, views, exports, connections, refresh jobs,
// revisions, downloads) with tableauserverclient.
func TestTableauServerClientContent(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, nil)
	srv.SetJobDuration(300 * time.Millisecond)
	cr := srv.Credentials()
	dir := t.TempDir()
	files := map[string][]byte{
		"Sales.twb":   tableautest.SampleTWB("db.example.com", "Overview", "Details"),
		"Orders.tdsx": tableautest.SamplePackage("Orders.tds", tableautest.SampleTDS("db.example.com"), tableautest.SampleHyper(2048)),
		"Big.hyper":   tableautest.SampleHyper(3 << 20),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(py, "testdata/content_tsc/tsc_content.py", srv.URL(), cr.PATName, cr.PATSecret, dir)
	cmd.Env = append(os.Environ(), "TSC_FILESIZE_LIMIT_MB=1", "TSC_CHUNK_SIZE_MB=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tsc_content.py: %v\n%s", err, redact(string(out), cr))
	}
	if steps := strings.Count(string(out), "ok "); steps != 11 {
		t.Fatalf("tsc_content.py passed %d of 11 steps:\n%s", steps, redact(string(out), cr))
	}
}
