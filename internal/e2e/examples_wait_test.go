package e2e_test

import (
	"path/filepath"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The examples of waiting for a wave, each installed from the mirror as a user would: the data
// source's wait on every CLI, the sms_wait action on Terraform 1.14 and later. The servers of
// the wave finish one per read, so each example waits through several polls.

// examplesDir is a folder of examples/ in the module root.
func examplesDir(t *testing.T, parts ...string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(append([]string{root, "examples"}, parts...)...)
}

// The plan waits until the wave is cut over, one server per read, and then shows every server;
// with a server in error it stops at once, naming the server.
func TestExamples_WaitDataSource(t *testing.T) {
	t.Parallel()
	h := installExample(t, examplesDir(t, "data-sources", "sms_source_servers", "wait"), "main.tf")
	vars := []string{"-var=migproject_id=" + waveProject, "-var=poll_interval=1s"}

	done := testsupport.StartEmulator(t, waveOptions(3))
	done.Play(emulator.FinishInTurn(waveTaskIDs(3), "MIGRATE_SUCCESS", 2, 1)...)
	failing := testsupport.StartEmulator(t, waveOptions(3))
	failing.Play(emulator.Step{Read: 2, Task: "t2", State: "MIGRATE_FAIL"})
	for _, c := range []struct {
		server *emulator.Server
		ok     bool
		want   []string
	}{
		{done, true, []string{`+ cut_over = [ + "web-1", + "web-2", + "web-3", ]`}},
		{failing, false, []string{"SMS Wait Failed", "sms_source_servers (wait): 1 of 3 source servers match fail_on { state = [error] }",
			"- web-2 (s2): state = error, error: current task web-2 (t2) state MIGRATE_FAIL"}},
	} {
		h.Setenv("SMS_ENDPOINT", c.server.URL())
		h.Setenv("SMS_TOKEN", testsupport.Token)
		r := h.Run(append([]string{"plan", "-no-color"}, vars...)...)
		if (r.ExitCode == 0) != c.ok {
			t.Fatalf("want success %v, got %s", c.ok, r)
		}
		mustContain(t, r, c.want...)
	}
	if reads := done.Reads(); reads < 4 {
		t.Errorf("the plan read the wave %d times; it finishes at the fourth read", reads)
	}
}

// The action example's apply runs the wait before it creates the resource the wave holds back.
func TestExamples_WaitAction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipWithoutActions(t, h)
	h = installExample(t, examplesDir(t, "actions", "sms_wait"), "action.tf")
	server := testsupport.StartEmulator(t, waveOptions(2))
	server.Play(emulator.FinishInTurn(waveTaskIDs(2), "MIGRATE_SUCCESS", 2, 1)...)
	h.Setenv("SMS_ENDPOINT", server.URL())
	h.Setenv("SMS_TOKEN", testsupport.Token)
	r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color", "-var=migproject_id="+waveProject, "-var=poll_interval=1s"))
	mustContain(t, r, "1 of 2 source servers done; waiting for web-2 (s2)", "all 2 source servers match until",
		"terraform_data.decommission_sources: Creation complete")
}
