package tableautest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestGovernanceTSCInterop drives users, groups, group sets, permissions,
// webhooks, schedules, tasks, favorites and subscriptions with
// tableauserverclient: TSC's requests and parsers, which real servers have
// exercised, agree with the emulator.
func TestGovernanceTSCInterop(t *testing.T) {
	py := testenv.Python(t)
	if err := exec.Command(py, "-c", "import tableauserverclient").Run(); err != nil {
		if testenv.PeersRequired() {
			t.Fatalf("PEERS_REQUIRED=1 but tableauserverclient does not import: %v", err)
		}
		t.Skipf("tableauserverclient is not installed: %v", err)
	}
	srv := tableautest.NewTestServer(t, nil)
	srv.SetWebhookRetry(1, 0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	rc := newReceiver(t, 0)
	cr := srv.Credentials()
	out, err := exec.Command(py, "testdata/gov_tsc/gov_interop.py", srv.URL(), cr.PATName, cr.PATSecret, seed.WorkbookIDs[0], rc.URL+"/hook").CombinedOutput()
	text := strings.ReplaceAll(string(out), cr.PATSecret, "[redacted]")
	if err != nil {
		t.Fatalf("gov_interop.py: %v\n%s", err, text)
	}
	if steps := strings.Count(text, "ok "); steps != 8 {
		t.Fatalf("gov_interop.py passed %d of 8 steps:\n%s", steps, text)
	}
}
