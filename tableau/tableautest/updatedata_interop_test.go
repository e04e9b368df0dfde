package tableautest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
)

// TestUpdateDataTSCInterop: tableauserverclient's update_hyper_data (an
// upsert from an uploaded .hyper, then a delete by a constant) changes the
// published extract as the actions say.
func TestUpdateDataTSCInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	h := newHyperFiles(t)
	c, pid, srv := updateDataClient(t)
	id := publishBytes(t, c, pid, "Stock.hyper", h.make(map[string][]row{"Extract": startRows}, nil))
	source := filepath.Join(t.TempDir(), "changes.hyper")
	if err := os.WriteFile(source, h.make(map[string][]row{"changes": {{2, "B", 21}, {5, "e", 50}}}, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/gov_tsc/update_hyper_data.py", srv.URL(), cr.PATName, cr.PATSecret, id, source).CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("update_hyper_data.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 2 {
		t.Fatalf("update_hyper_data.py passed %d of 2 steps:\n%s", steps, text)
	}
	// Upsert: 2 updated, 5 added; delete qty < 15: 1 goes.
	if got, want := h.rows(download(t, c, id), "Extract"), []row{{2, "B", 21}, {3, "c", 30}, {4, "d", 40}, {5, "e", 50}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v, want %+v", got, want)
	}
}
