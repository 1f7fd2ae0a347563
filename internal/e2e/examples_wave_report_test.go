package e2e_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// TestExamples_WaveReport plans examples/wave-report against a fleet and checks that its report
// names every server of the wave once, with the error code of each failed one, and nothing of
// another wave; a wave name that names no project stops the plan at the module's precondition.
func TestExamples_WaveReport(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	h := installExample(t, filepath.Join(root, "examples", "wave-report"), "main.tf")
	fleet := emulator.GenerateFleet(60, 3)
	r, out, _ := planWith(t, h, fleet.Options(), nil)
	mustSucceed(t, r)
	report := testsupport.DecodeJSON[string](t, out["wave_report"])
	lines := strings.Split(report, "\n")
	if !strings.HasPrefix(lines[0], "Wave wave-1 ("+emulator.MigrationProjects[0]+"): ") {
		t.Fatalf("report header = %q", lines[0])
	}
	inWave, failed := 0, 0
	for _, s := range decodeServers(t, fleet.Servers) {
		name, id := testsupport.Str(s.Name), testsupport.Str(s.ID)
		line := "  " + name + " "
		if fleet.ServerProjects[id] != emulator.MigrationProjects[0] {
			if strings.Contains(report, line) {
				t.Errorf("the report lists %s of another wave", name)
			}
			continue
		}
		inWave++
		if strings.Count(report, line) != 1 {
			t.Errorf("the report lists %s %d times, want once:\n%s", name, strings.Count(report, line), report)
		}
		if testsupport.Str(s.State) == "error" {
			failed++
			if !strings.Contains(report, "error "+emulator.MigrationErrorCode(id)+": ") {
				t.Errorf("the report lacks the error code of failed server %s:\n%s", name, report)
			}
		}
	}
	if inWave == 0 || failed == 0 {
		t.Fatalf("the fleet needs servers and failed servers in wave-1: %d servers, %d failed", inWave, failed)
	}
	if got := testsupport.DecodeJSON[[]string](t, out["wave_servers_with_errors"]); len(got) != failed {
		t.Errorf("wave_servers_with_errors = %v, want %d servers", got, failed)
	}

	r, _ = planOnly(t, h, fleet.Options(), nil, "-var=wave=wave-9")
	mustFail(t, r)
	mustContain(t, r, "Resource precondition failed")
	if !strings.Contains(oneLine(r), `exactly one migration project named "wave-9"; found 0`) {
		t.Errorf("the plan for wave-9 did not stop at the precondition:\n%s", r.Output())
	}
}
