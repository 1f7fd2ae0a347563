package e2e_test

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// TestE2E_TemplatePasswordsNeverLeak reads the emulator's templates, whose every answer holds the
// target password in plain text, through the provider binary with TF_LOG=TRACE: an apply, a
// saved plan, and an apply whose answers each carry a password and fail to decode. No password,
// nor any fragment of one, may appear in what terraform printed, the log, the state, the plan
// file or its JSON form, while has_target_password still says which templates have one.
func TestE2E_TemplatePasswordsNeverLeak(t *testing.T) {
	t.Parallel()
	opts := templatesFleet()
	templates := servedTemplates(t, opts)
	wave1, wave2, wave3, plain := templates["tpl-wave-1"], templates["tpl-wave-2"], templates["tpl-wave-3"], templates["tpl-no-password"]
	server := testsupport.StartEmulator(t, opts)
	h := newHarness(t)
	h.Setenv("TF_LOG", "TRACE")
	places := map[string]string{}
	run := func(name string, args ...string) tfResult {
		logPath := filepath.Join(t.TempDir(), "trace.log")
		h.Setenv("TF_LOG_PATH", logPath)
		r := h.Run(args...)
		places[name+": output"] = r.Output()
		places[name+": TRACE log"] = readFile(t, logPath)
		checkLogEvidence(t, places[name+": TRACE log"])
		return r
	}
	provider := smsVersions + testsupport.ProviderBlock(server, "max_retries = 0")

	h.Write("main.tf", provider+fmt.Sprintf(`
data "sms_server_templates" "all" {
  page_size = 2
}

data "sms_server_template" "wave1" {
  id = %q
}

data "sms_server_template" "plain" {
  id = %q
}

output "password_set" {
  value = merge(
    { for t in data.sms_server_templates.all.templates : t.name => t.has_target_password },
    { one = data.sms_server_template.wave1.has_target_password, plain = data.sms_server_template.plain.has_target_password },
  )
}
`, wave1.ID, plain.ID))
	mustSucceed(t, run("apply", "apply", "-auto-approve", "-no-color"))
	got := testsupport.DecodeJSON[map[string]bool](t, h.Outputs()["password_set"])
	want := map[string]bool{"tpl-wave-1": true, "tpl-wave-2": true, "tpl-wave-3": true, "tpl-no-password": false, "one": true, "plain": false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("password_set = %v, want %v", got, want)
	}
	places["terraform.tfstate"] = h.Read("terraform.tfstate")
	if !strings.Contains(places["terraform.tfstate"], `"has_target_password": true`) {
		t.Errorf("the state holds no template, so searching it proves nothing:\n%s", places["terraform.tfstate"])
	}

	mustSucceed(t, run("plan", "plan", "-no-color", "-out=tfplan"))
	places["show -json tfplan"] = mustSucceed(t, h.Run("show", "-json", "tfplan")).Stdout
	if !strings.Contains(places["show -json tfplan"], `"has_target_password":true`) {
		t.Error("the plan holds no template, so searching it proves nothing")
	}
	for name, content := range planFileEntries(t, filepath.Join(h.Dir, "tfplan")) {
		places["tfplan "+name] = content
	}

	// Each answer below holds a password and cannot be the one asked for: the reads fail, and no
	// diagnostic quotes the answer.
	raw := func(tp exampleTemplate) string { return templateAnswer(t, server, tp) }
	server.InjectFaults(
		emulator.Fault{Path: "/v3/vm/templates", Body: `{"count":1,"templates":[` + raw(wave1) + `]}`},
		emulator.Fault{Path: "/v3/vm/templates/" + wave2.ID, Body: `{"template":` + raw(wave3) + `}`},
		emulator.Fault{Path: "/v3/vm/templates/" + wave1.ID, Body: raw(wave1)},
		emulator.Fault{Path: "/v3/vm/templates/" + wave3.ID,
			Body: `{"template":{"id":"` + wave3.ID + `","name":"x","target_password":{"value":"` + wave3.TargetPassword + `"}}}`},
	)
	h.Write("main.tf", provider+fmt.Sprintf(`
data "sms_server_templates" "ignored_zone" {
  availability_zone = "cn-north-4b"
}

data "sms_server_template" "another" {
  id = %q
}

data "sms_server_template" "unwrapped" {
  id = %q
}

data "sms_server_template" "object" {
  id = %q
}
`, wave2.ID, wave1.ID, wave3.ID))
	r := mustFail(t, run("failing apply", "apply", "-auto-approve", "-no-color"))
	errs := errorsByAddress(t, r)
	mustHaveError(t, errs, "data.sms_server_templates.ignored_zone", "Invalid SMS API Response", "does not apply the filter")
	mustHaveError(t, errs, "data.sms_server_template.another", "Invalid SMS API Response", "describes the template")
	mustHaveError(t, errs, "data.sms_server_template.unwrapped", "Invalid SMS API Response", "no template object")
	mustHaveError(t, errs, "data.sms_server_template.object", "Invalid SMS API Response", "target_password is a JSON object, not a string")
	if n := server.PendingFaults(); n != 0 {
		t.Errorf("%d faulty answers were never asked for", n)
	}

	for _, tp := range []exampleTemplate{wave1, wave2, wave3} {
		for where, text := range places {
			if leak := findFragment(text, tp.TargetPassword); leak != "" {
				t.Errorf("%s shows the target password of %s (fragment %q):\n%s", where, tp.Name, leak, around(text, leak))
			}
		}
	}
}

// templateAnswer is the emulator's own JSON of one template, as GET /v3/vm/templates/{id} wraps
// it, password included.
func templateAnswer(t *testing.T, server *emulator.Server, tp exampleTemplate) string {
	t.Helper()
	raw := testsupport.DecodeJSON[struct {
		Template json.RawMessage `json:"template"`
	}](t, testsupport.EmulatorGet(t, server, "/v3/vm/templates/"+tp.ID)).Template
	if !strings.Contains(string(raw), tp.TargetPassword) {
		t.Fatalf("template %s has no password to search for: %s", tp.ID, raw)
	}
	return string(raw)
}

// planFileEntries returns the decompressed content of every file in a saved plan, which is a
// zip archive: searching its compressed bytes would find nothing.
func planFileEntries(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	entries := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		entries[f.Name] = string(b)
	}
	if len(entries) == 0 {
		t.Fatal("the plan file holds nothing")
	}
	return entries
}
