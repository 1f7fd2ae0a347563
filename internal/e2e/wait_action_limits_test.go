package e2e_test

import (
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The action stops at its timeout, saying how many servers are done and which are not, and at
// once on a wave that selects nothing, as the data source's wait does.
func TestE2E_WaitActionTimesOutAndFindsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipWithoutActions(t, h)

	slow := testsupport.StartEmulator(t, waveOptions(2))
	slow.Play(emulator.Step{Read: 1, Task: "t1", State: "MIGRATE_SUCCESS"})
	h.Write("main.tf", waitAction(slow, `timeout = "2s"`))
	r := mustFail(t, h.Run("apply", "-invoke=action.sms_wait.wave", "-auto-approve", "-no-color"))
	mustContain(t, r, "SMS Wait Timed Out", "sms_wait: waited 2s (timeout 2s,",
		"1 of 2 source servers match until { migration_cycle = [cutovered] }", "Not done yet: - web-2 (s2)")

	empty := testsupport.StartEmulator(t, emulator.Options{})
	h.Write("main.tf", waitAction(empty, ""))
	r = mustFail(t, h.Run("apply", "-invoke=action.sms_wait.wave", "-auto-approve", "-no-color"))
	mustContain(t, r, "SMS Wait Found Nothing", "nothing matches these filters")
	if reads := empty.Stats().Requests; reads != 1 {
		t.Errorf("%d requests for an empty wave, want 1: it fails at the first poll", reads)
	}
}
