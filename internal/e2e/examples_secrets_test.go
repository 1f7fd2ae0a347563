package e2e_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The ephemeral resources' examples hand each secret to a provisioner of terraform_data. Planned
// against the emulator, each opens its resource (a plan opens ephemeral resources; provisioners
// run at apply only, so no host is contacted) and plans the resource that would receive the
// secret; the secret is in neither the plan file nor the output. A task or template that does not
// exist fails the plan naming it.

// secretsExampleFleet is the fleet the examples are planned against, with a task and a template
// that has a password.
func secretsExampleFleet(t *testing.T) (opts emulator.Options, taskID, templateID, password string) {
	t.Helper()
	fleet := emulator.GenerateFleet(4, 17)
	opts = fleet.Options()
	var task struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Tasks[0], &task); err != nil {
		t.Fatal(err)
	}
	// Templates derive from the fleet alone, so another emulator of the same fleet serves the
	// same ones.
	templateID, password = testsupport.TemplateWithPassword(t, testsupport.StartEmulator(t, opts))
	return opts, task.ID, templateID, password
}

// taskSecrets are every secret the emulator serves for a task.
func taskSecrets(taskID string) []string {
	out := []string{emulator.SecretOf(taskID, "passphrase")}
	for _, field := range certificateFields {
		out = append(out, emulator.SecretOf(taskID, field))
	}
	return out
}

// planSecretExample plans an installed example with vars, which must succeed and plan the
// resource that receives the secrets, and searches the plan and its output for them.
func planSecretExample(t *testing.T, h *tfHarness, opts emulator.Options, receiver string, secrets []string, vars ...string) {
	t.Helper()
	var args []string
	for _, v := range vars {
		args = append(args, "-var="+v)
	}
	r, _, _ := planWith(t, h, opts, nil, args...)
	mustSucceed(t, r)
	mustContain(t, r, receiver+" will be created")
	places := map[string]string{"plan output": r.Output(), "plan file": h.Read("tfplan")}
	for name, content := range planArchive(t, filepath.Join(h.Dir, "tfplan")) {
		places["plan file's "+name] = content
	}
	searchSecrets(t, secrets, places)
}

// planMissing plans an installed example whose argument names nothing: the plan fails with
// summary, naming the id.
func planMissing(t *testing.T, h *tfHarness, opts emulator.Options, summary, argument, other string) {
	t.Helper()
	r, _ := planOnly(t, h, opts, nil, "-var="+argument+"=no-such-object", "-var="+other)
	mustFail(t, r)
	mustContain(t, r, "Error: "+summary, `"no-such-object"`)
}

func TestExamples_EphemeralResources(t *testing.T) {
	t.Parallel()
	skipBeforeEphemeral(t, newHarness(t))
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	opts, taskID, templateID, password := secretsExampleFleet(t)
	// 192.0.2.0/24 is reserved for documentation: the plan only names the hosts.
	task := []string{"task_id=" + taskID, "host=192.0.2.10"}
	checks := map[string]func(t *testing.T, h *tfHarness){
		"sms_task_certificate/ephemeral-resource.tf": func(t *testing.T, h *tfHarness) {
			planSecretExample(t, h, opts, "terraform_data.channel_files", taskSecrets(taskID), task...)
			planMissing(t, h, opts, "SMS Task Not Found", "task_id", "host=192.0.2.10")
		},
		"sms_task_passphrase/ephemeral-resource.tf": func(t *testing.T, h *tfHarness) {
			planSecretExample(t, h, opts, "terraform_data.passphrase_file", taskSecrets(taskID), task...)
			planMissing(t, h, opts, "SMS Task Not Found", "task_id", "host=192.0.2.10")
		},
		"sms_server_template_password/ephemeral-resource.tf": func(t *testing.T, h *tfHarness) {
			planSecretExample(t, h, opts, "terraform_data.smoke_test", []string{password},
				"template_id="+templateID, "target_ip=192.0.2.20")
			planMissing(t, h, opts, "SMS Server Template Not Found", "template_id", "target_ip=192.0.2.20")
		},
	}
	dir := filepath.Join(root, "examples", "ephemeral-resources")
	files, err := filepath.Glob(filepath.Join(dir, "*", "ephemeral-resource.tf"))
	if err != nil || len(files) != len(checks) {
		t.Fatalf("want the %d examples the checks name, found %v (%v)", len(checks), files, err)
	}
	planExamples(t, files, relativeTo(t, dir), checks, fmt.Sprintf("%s's checks", t.Name()))
}
