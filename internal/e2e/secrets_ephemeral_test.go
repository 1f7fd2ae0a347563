package e2e_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The ephemeral resources hand secrets to a consumer without storing them. Each secret's SHA-256
// is the token of a provider instance of its own (a "probe") whose emulator accepts only that
// token, so the probe's data source reads only when the secret arrived byte for byte, PEM line
// breaks included. No secret, nor any fragment of one, may then appear in the state, the saved
// plan (its JSON and every file of its archive), the TRACE log or anything Terraform printed.

// certificateFields are the certificate's attributes, hashed in this order by the probe.
var certificateFields = []string{"cert", "private_key", "ca", "target_mgmt_cert", "target_mgmt_private_key",
	"target_data_cert", "target_data_private_key"}

// secretsFixture is an emulator with a task whose certificate has every field, one of its
// templates with a password, and the secrets the emulator serves for them.
type secretsFixture struct {
	api                  *emulator.Server
	taskID, templateID   string
	passphrase, password string
	certificate          map[string]string
}

func newSecretsFixture(t *testing.T) *secretsFixture {
	t.Helper()
	fleet := emulator.GenerateFleet(6, 11)
	f := &secretsFixture{api: testsupport.StartEmulator(t, fleet.Options()), certificate: map[string]string{}}
	for _, raw := range fleet.Tasks {
		var task struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &task); err != nil {
			t.Fatal(err)
		}
		if emulator.HasCA(task.ID) {
			f.taskID = task.ID
			break
		}
	}
	if f.taskID == "" {
		t.Fatal("no generated task has a CA certificate")
	}
	f.passphrase = emulator.SecretOf(f.taskID, "passphrase")
	for _, field := range certificateFields {
		f.certificate[field] = emulator.CertKeyPEM(f.taskID, field)
	}
	f.templateID, f.password = testsupport.TemplateWithPassword(t, f.api)
	return f
}

// secrets are every secret value, searched for in everything Terraform wrote.
func (f *secretsFixture) secrets() []string {
	out := []string{f.passphrase, f.password}
	for _, field := range certificateFields {
		out = append(out, emulator.SecretOf(f.taskID, field))
	}
	return out
}

// probe serves an emulator that accepts only the SHA-256 of secret as its token, and returns the
// provider block and data source that read through it.
func probe(t *testing.T, name, secret, tokenExpr string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(secret))
	api := testsupport.StartEmulator(t, emulator.Options{Token: hex.EncodeToString(sum[:])})
	return fmt.Sprintf(`
provider "sms" {
  alias       = %[1]q
  endpoint    = %[2]q
  token       = %[3]s
  max_retries = 0
}

data "sms_source_server_overview" %[1]q {
  provider = sms.%[1]s
}

output "%[1]s_read" {
  value = data.sms_source_server_overview.%[1]s.waiting != null
}
`, name, api.URL(), tokenExpr)
}

// config opens the three ephemeral resources and hands each one's secrets to its probe.
func (f *secretsFixture) config(t *testing.T) string {
	var hashed []string
	for _, field := range certificateFields {
		hashed = append(hashed, "ephemeral.sms_task_certificate.this."+field)
	}
	return smsVersions + fmt.Sprintf(`
provider "sms" {}

ephemeral "sms_task_passphrase" "this" {
  task_id = %[1]q
}

ephemeral "sms_task_certificate" "this" {
  task_id = %[1]q
}

ephemeral "sms_server_template_password" "this" {
  template_id = %[2]q
}
`, f.taskID, f.templateID) +
		probe(t, "passphrase", f.passphrase, "sha256(ephemeral.sms_task_passphrase.this.passphrase)") +
		probe(t, "certificate", strings.Join(f.certificateValues(), ""), "sha256(join(\"\", ["+strings.Join(hashed, ", ")+"]))") +
		probe(t, "password", f.password, "sha256(ephemeral.sms_server_template_password.this.target_password)")
}

func (f *secretsFixture) certificateValues() []string {
	var values []string
	for _, field := range certificateFields {
		values = append(values, f.certificate[field])
	}
	return values
}

// TestE2E_EphemeralSecretsReachConsumersOnly plans to a file, applies that plan and shows both
// with TF_LOG=TRACE: every probe reads, so every secret reached its consumer intact, and none is
// in the state, the plan, the log or the output.
func TestE2E_EphemeralSecretsReachConsumersOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipBeforeEphemeral(t, h)
	f := newSecretsFixture(t)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	h.Setenv("TF_LOG", "TRACE")
	h.Setenv("TF_LOG_PATH", logPath)
	h.Setenv("SMS_ENDPOINT", f.api.URL())
	h.Setenv("SMS_TOKEN", testsupport.Token)
	h.Write("main.tf", f.config(t))

	runs := []tfResult{
		mustSucceed(t, h.Run("plan", "-no-color", "-out=tfplan")),
		mustSucceed(t, h.Run("show", "-json", "tfplan")),
		mustSucceed(t, h.Run("apply", "-no-color", "tfplan")),
		mustSucceed(t, h.Run("show", "-json")),
	}
	outputs := h.Outputs()
	for _, name := range []string{"passphrase_read", "certificate_read", "password_read"} {
		if string(outputs[name]) != "true" {
			t.Errorf("output %s = %s: the probe did not read with the secret's hash", name, outputs[name])
		}
	}
	logText := readFile(t, logPath)
	checkLogEvidence(t, logText)
	for _, path := range []string{"/v3/tasks/" + f.taskID + "/certkey", "/v3/tasks/" + f.taskID + "/passphrase",
		"/v3/vm/templates/" + f.templateID + "/target-password"} {
		if len(logLines(logText, "smsapi: received response", "path="+path, "status=200")) == 0 {
			t.Errorf("the log lacks the answer of %s, so searching it proves nothing", path)
		}
	}
	places := map[string]string{"TF_LOG_PATH file": logText, "terraform.tfstate": h.Read("terraform.tfstate"),
		"plan file": h.Read("tfplan")}
	if !strings.Contains(places["terraform.tfstate"], `"type": "sms_source_server_overview"`) {
		t.Errorf("the state does not hold the probes' data sources, so searching it proves little:\n%s", places["terraform.tfstate"])
	}
	for name, content := range planArchive(t, filepath.Join(h.Dir, "tfplan")) {
		places["plan file's "+name] = content
	}
	for _, r := range runs {
		places["output of terraform "+strings.Join(r.Args, " ")] = r.Output()
	}
	searchSecrets(t, f.secrets(), places)
}

// TestE2E_EphemeralSecretFailuresShowNoSecret plans a configuration whose passphrase names a
// task that does not exist and whose template password answer is the bare password instead of
// JSON, beside a certificate that opens and passes a postcondition on its key: each failure is
// diagnosed on its address, and no secret is in the diagnostics or the TRACE log. (The
// postcondition is planned, never shown: Terraform 1.11's show -json of a saved plan crashes on a
// condition of an ephemeral resource, "unsupported resource mode 69"; 1.16 shows it.)
func TestE2E_EphemeralSecretFailuresShowNoSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	skipBeforeEphemeral(t, h)
	f := newSecretsFixture(t)
	f.api.InjectFaults(emulator.Fault{Path: "/v3/vm/templates/" + f.templateID + "/target-password", Body: f.password})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	h.Setenv("TF_LOG", "TRACE")
	h.Setenv("TF_LOG_PATH", logPath)
	h.Setenv("SMS_ENDPOINT", f.api.URL())
	h.Setenv("SMS_TOKEN", testsupport.Token)
	h.Write("main.tf", smsVersions+fmt.Sprintf(`
provider "sms" {}

ephemeral "sms_task_passphrase" "missing" {
  task_id = "no-such-task"
}

ephemeral "sms_task_certificate" "this" {
  task_id = %q

  lifecycle {
    postcondition {
      condition     = startswith(self.private_key, "-----BEGIN PRIVATE KEY-----\n")
      error_message = "The task's private key is not a PEM block."
    }
  }
}

ephemeral "sms_server_template_password" "this" {
  template_id = %q
}
`, f.taskID, f.templateID))
	r := mustFail(t, h.Run("plan", "-no-color"))
	errs := errorsByAddress(t, r)
	mustHaveError(t, errs, "ephemeral.sms_task_passphrase.missing", "Error: SMS Task Not Found", `"no-such-task"`, "SMS.6002")
	mustHaveError(t, errs, "ephemeral.sms_server_template_password.this", "Error: Invalid SMS API Response",
		"the body is not JSON; the body is not quoted, since it may hold a secret")
	if _, failed := errs["ephemeral.sms_task_certificate.this"]; failed || len(errs) != 2 {
		t.Errorf("want exactly the two failures, got %v", errs)
	}
	logText := readFile(t, logPath)
	if len(logLines(logText, "smsapi: received response", "path=/v3/tasks/"+f.taskID+"/certkey", "status=200")) == 0 {
		t.Error("the log lacks the certificate's answer, so the secrets opened beside the failures were not searched")
	}
	searchSecrets(t, f.secrets(), map[string]string{"output": r.Output(), "TF_LOG_PATH file": logText})
}

// skipBeforeEphemeral skips a test on a CLI without ephemeral resources: Terraform before 1.10,
// OpenTofu before 1.11.
func skipBeforeEphemeral(t *testing.T, h *tfHarness) {
	t.Helper()
	cli, major, minor := cliVersion(t, h)
	minimum := map[string]int{"Terraform": 10, "OpenTofu": 11}[cli]
	if major == 1 && minor < minimum {
		t.Skipf("ephemeral resources need %s 1.%d or later, and the CLI under test is %s %d.%d", cli, minimum, cli, major, minor)
	}
}

// searchSecrets fails the test for every place that shows a secret or a fragment of one.
func searchSecrets(t *testing.T, secrets []string, places map[string]string) {
	t.Helper()
	for _, secret := range secrets {
		for where, text := range places {
			if leak := findFragment(text, secret); leak != "" {
				t.Errorf("%s shows a secret (fragment %q):\n%s", where, leak, around(text, leak))
			}
		}
	}
}

// planArchive returns every file of a saved plan, which is a zip archive whose deflated entries
// a search of its raw bytes cannot see into.
func planArchive(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the plan file is not a zip archive: %v", err)
	}
	files := map[string]string{}
	for _, file := range zr.File {
		rc, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[file.Name] = string(content)
	}
	if len(files) == 0 {
		t.Fatal("the plan archive holds no file")
	}
	return files
}
