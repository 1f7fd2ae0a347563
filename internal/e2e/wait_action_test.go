package e2e_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The sms_wait action through the Terraform CLI, which runs actions from Terraform 1.14 on: by
// `terraform apply -invoke`, and from an action_trigger that must hold a resource back until the
// wave is ready. `make testacc-actions` runs these tests on the newest Terraform the project
// pins; on an older CLI they skip, saying so.

const waveProject = "wave-1"

// waveOptions is a wave of n running tasks web-1 … web-n (ids t1 … tn), each migrating its own
// source server s1 … sn of migration project wave-1.
func waveOptions(n int) emulator.Options {
	opts := emulator.Options{ServerProjects: map[string]string{}}
	for i := 1; i <= n; i++ {
		opts.Tasks = append(opts.Tasks, json.RawMessage(fmt.Sprintf(
			`{"id":"t%d","name":"web-%d","state":"RUNNING","error_json":"","source_server":{"id":"s%d"}}`, i, i, i)))
		opts.Servers = append(opts.Servers, json.RawMessage(fmt.Sprintf(`{"id":"s%d","name":"web-%d","state":"replicate",`+
			`"migration_cycle":"replicating","totalsize":1000,"replicatesize":%d,`+
			`"current_task":{"id":"t%d","name":"web-%d","state":"RUNNING","remain_seconds":%d}}`, i, i, 300*i, i, i, 60*i)))
		opts.ServerProjects[fmt.Sprintf("s%d", i)] = waveProject
	}
	return opts
}

func waveTaskIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i+1)
	}
	return ids
}

// skipWithoutActions skips, naming the CLI and how to run the test, when the CLI under test
// cannot run actions (Terraform before 1.14, OpenTofu).
func skipWithoutActions(t *testing.T, h *tfHarness) {
	t.Helper()
	cli, major, minor := cliVersion(t, h)
	if cli != "Terraform" || major == 1 && minor < 14 {
		t.Skipf("actions need Terraform 1.14 or later, and the CLI under test is %s %d.%d; run "+
			"`make testacc-actions` (the newest pinned Terraform) or set TF_ACC_TERRAFORM_PATH to a newer CLI", cli, major, minor)
	}
}

// waitAction is an sms_wait action named wave over the servers of the wave project.
func waitAction(server *emulator.Server, settings string) string {
	return smsVersions + testsupport.ProviderBlock(server, "max_retries = 0") + `
action "sms_wait" "wave" {
  config {
    source_servers = { migproject_id = "` + waveProject + `" }
    until          = { migration_cycle = ["cutovered"] }
    interval       = "1s"
    ` + settings + `
  }
}
`
}

// `terraform apply -invoke` runs the action: it polls until every server of the wave is cut
// over, one finishing per read, and each poll's progress reaches the person watching.
func TestE2E_WaitActionInvoke(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipWithoutActions(t, h)
	server := testsupport.StartEmulator(t, waveOptions(3))
	server.Play(emulator.FinishInTurn(waveTaskIDs(3), "MIGRATE_SUCCESS", 2, 1)...)
	h.Write("main.tf", waitAction(server, ""))

	r := mustSucceed(t, h.Run("apply", "-invoke=action.sms_wait.wave", "-auto-approve", "-no-color"))
	// Times depend on the machine's load; the lines must match but for them.
	r.Stdout = regexp.MustCompile(`\b\d+s\b`).ReplaceAllString(r.Stdout, "Ns")
	mustContain(t, r, "poll 1 after Ns: 0 of 3 source servers done; waiting for web-1 (s1); web-2 (s2); web-3 (s3); 60% along; "+
		"the API estimates 3m0s more; next poll in Ns",
		"poll 3 after Ns: 2 of 3 source servers done; waiting for web-3 (s3)",
		"all 3 source servers match until")
	if reads := server.Reads(); reads < 4 {
		t.Errorf("the emulator saw %d listing reads; the wave finishes at the fourth", reads)
	}
}

// An action_trigger holds a resource back until the wave is ready: with a server failing, the
// action fails, naming it, and the resource is not created; once the wave is done, it is.
func TestE2E_WaitActionTriggerHoldsTheResource(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipWithoutActions(t, h)
	failing := testsupport.StartEmulator(t, waveOptions(3))
	failing.Play(emulator.Step{Read: 2, Task: "t3", State: "MIGRATE_FAIL", ErrorJSON: `{"error_code":"SMS.3802"}`})
	trigger := `
resource "terraform_data" "cutover" {
  input = "go"
  lifecycle {
    action_trigger {
      events  = [before_create]
      actions = [action.sms_wait.wave]
    }
  }
}
`
	h.Write("main.tf", waitAction(failing, "")+trigger)
	r := mustFail(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "SMS Wait Failed", "sms_wait: 1 of 3 source servers match fail_on { state = [error] } (poll 2,",
		"- web-3 (s3): state = error, error: current task web-3 (t3) state MIGRATE_FAIL")
	var state struct {
		Resources []struct {
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if raw := h.Read("terraform.tfstate"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &state); err != nil {
			t.Fatal(err)
		}
	}
	for _, res := range state.Resources {
		if len(res.Instances) > 0 {
			t.Errorf("the resource was created although its wave failed: %s", res.Instances)
		}
	}

	done := testsupport.StartEmulator(t, waveOptions(2))
	done.Play(emulator.FinishInTurn(waveTaskIDs(2), "MIGRATE_SUCCESS", 2, 2)...)
	h.Write("main.tf", waitAction(done, "")+trigger)
	r = mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "all 2 source servers match until", "terraform_data.cutover: Creation complete")
}
