package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The certificate and passphrase of a task are the same on every request, differ between tasks
// and fields, hold their distinctive marker, and a task that does not exist is a 404 like the
// task itself.
func TestTaskSecrets_DerivedPerTask(t *testing.T) {
	s := start(t, Options{TaskDetails: map[string]json.RawMessage{
		"t-1": json.RawMessage(`{"id":"t-1"}`), "t-2": json.RawMessage(`{"id":"t-2"}`), "t-3": json.RawMessage(`{"id":"t-3"}`),
	}})
	seen := map[string]string{}
	withCA := 0
	for _, taskID := range []string{"t-1", "t-2", "t-3"} {
		if HasCA(taskID) {
			withCA++
		}
		_, body := getPath(t, s, "/v3/tasks/"+taskID+"/certkey")
		if _, again := getPath(t, s, "/v3/tasks/"+taskID+"/certkey"); string(body) != string(again) {
			t.Errorf("answers differ: %s, %s", body, again)
		}
		var cert map[string]*string
		if err := json.Unmarshal(body, &cert); err != nil || len(cert) != len(certKeyFields) {
			t.Fatalf("certkey of %s: %s (%v)", taskID, body, err)
		}
		for _, f := range certKeyFields {
			got := cert[f.field]
			if f.field == "ca" && !HasCA(taskID) {
				if got != nil {
					t.Errorf("ca of %s: %q, want null", taskID, *got)
				}
				continue
			}
			if got == nil || *got != CertKeyPEM(taskID, f.field) || !strings.HasPrefix(*got, "-----BEGIN "+f.block+"-----\nemu-secret-") {
				t.Errorf("%s of %s: %v", f.field, taskID, got)
				continue
			}
			if other, dup := seen[*got]; dup {
				t.Errorf("%s of %s repeats %s", f.field, taskID, other)
			}
			seen[*got] = f.field + " of " + taskID
		}
		var p struct {
			TaskID     string `json:"task_id"`
			Passphrase string `json:"passphrase"`
		}
		if _, body := getPath(t, s, "/v3/tasks/"+taskID+"/passphrase"); json.Unmarshal(body, &p) != nil ||
			p.TaskID != taskID || p.Passphrase != SecretOf(taskID, "passphrase") || seen[p.Passphrase] != "" {
			t.Errorf("passphrase of %s: %s", taskID, body)
		}
		seen[p.Passphrase] = "passphrase of " + taskID
	}
	if withCA == 0 || withCA == 3 {
		t.Errorf("%d of 3 tasks have a CA certificate; the test needs tasks with and without", withCA)
	}
	for _, sub := range []string{"certkey", "passphrase"} {
		resp, body := getPath(t, s, "/v3/tasks/missing/"+sub)
		checkError(t, resp, body, http.StatusNotFound, "SMS.6002", "The migration task missing does not exist")
	}
}

// The target password endpoint answers each template's own password, null for the template
// without one, and a 404 for an id that names no template.
func TestTemplatePassword_FollowsTheTemplate(t *testing.T) {
	s := start(t, GenerateFleet(6, 3).Options())
	var withPassword, without int
	for _, tpl := range s.templates() {
		resp, body := getPath(t, s, "/v3/vm/templates/"+tpl.id+"/target-password")
		var got struct {
			TemplateID     string  `json:"template_id"`
			TargetPassword *string `json:"target_password"`
		}
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || got.TemplateID != tpl.id {
			t.Fatalf("password of %s: %d %s (%v)", tpl.id, resp.StatusCode, body, err)
		}
		switch {
		case tpl.password == "" && got.TargetPassword == nil:
			without++
		case tpl.password != "" && got.TargetPassword != nil && *got.TargetPassword == tpl.password:
			withPassword++
		default:
			t.Errorf("password of %s: %s, want %q", tpl.id, body, tpl.password)
		}
	}
	if withPassword == 0 || without == 0 {
		t.Errorf("%d templates with a password and %d without; the test needs both", withPassword, without)
	}
	resp, body := getPath(t, s, "/v3/vm/templates/missing/target-password")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6505", "The template missing does not exist")
}
