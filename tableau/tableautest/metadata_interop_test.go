package tableautest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
)

// TestMetadataTSCInterop runs TSC's server.metadata.query and
// paginated_query against the emulator's Metadata API, and its
// eventing_status and backfill_status against the control endpoints.
func TestMetadataTSCInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv, _ := metadataSite(t)
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/metadata_tsc.py", srv.URL(), cr.PATName, cr.PATSecret).CombinedOutput()
	if err != nil {
		t.Fatalf("metadata_tsc.py: %v\n%s", err, redact(string(out), cr))
	}
	if n := strings.Count(string(out), "ok "); n != 4 {
		t.Fatalf("metadata_tsc.py passed %d of 4 steps:\n%s", n, redact(string(out), cr))
	}
}
