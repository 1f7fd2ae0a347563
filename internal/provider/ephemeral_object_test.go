package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// Every secret attribute is sensitive and every other one is not, and the id argument is
// required and checked like a data source's.
func TestEphemeralObjects_SecretsAreSensitive(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]bool{
		"sms_task_certificate": {"task_id": false, "cert": true, "private_key": true, "ca": true, "target_mgmt_cert": true,
			"target_mgmt_private_key": true, "target_data_cert": true, "target_data_private_key": true},
		"sms_task_passphrase":          {"task_id": false, "passphrase": true},
		"sms_server_template_password": {"template_id": false, "target_password": true},
	}
	for _, newResource := range []func() ephemeral.EphemeralResource{
		NewTaskCertificateEphemeralResource, NewTaskPassphraseEphemeralResource, NewServerTemplatePasswordEphemeralResource,
	} {
		r := newResource()
		var meta ephemeral.MetadataResponse
		r.Metadata(context.Background(), ephemeral.MetadataRequest{ProviderTypeName: "sms"}, &meta)
		var resp ephemeral.SchemaResponse
		r.Schema(context.Background(), ephemeral.SchemaRequest{}, &resp)
		attrs := want[meta.TypeName]
		if attrs == nil || len(resp.Schema.Attributes) != len(attrs) {
			t.Errorf("%s: attributes %v, want %v", meta.TypeName, resp.Schema.Attributes, attrs)
			continue
		}
		for name, sensitive := range attrs {
			a, ok := resp.Schema.Attributes[name].(schema.StringAttribute)
			switch {
			case !ok:
				t.Errorf("%s.%s: %T, want a string", meta.TypeName, name, resp.Schema.Attributes[name])
			case a.Sensitive != sensitive || a.MarkdownDescription == "":
				t.Errorf("%s.%s: sensitive %v, description %q; want sensitive %v", meta.TypeName, name, a.Sensitive, a.MarkdownDescription, sensitive)
			case !sensitive && (!a.Required || len(a.Validators) == 0):
				t.Errorf("%s.%s: the id argument is not required and checked", meta.TypeName, name)
			}
		}
	}
}

// Through the Terraform CLI: a bad id fails at plan, a task or template that does not exist and
// an invalid answer fail the open with what went wrong, and each open hands the API's values
// byte for byte, PEM line breaks included, to a consumer (the echo provider, whose resource
// stores what its provider block was given, which only a test does).
func TestEphemeralObjects_OpenThroughTerraform(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(4, 5)
	server := testsupport.StartEmulator(t, fleet.Options())
	var task struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Tasks[0], &task); err != nil {
		t.Fatal(err)
	}
	templateID, password := testsupport.TemplateWithPassword(t, server)
	config := func(body string) string { return testsupport.ProviderBlock(server, "max_retries = 0") + body }
	passphrase := func(id string) string {
		return config(`ephemeral "sms_task_passphrase" "p" { task_id = "` + id + `" }
provider "echo" { data = ephemeral.sms_task_passphrase.p.passphrase }
resource "echo" "out" {}`)
	}
	// Each step echoes through a resource of its own: the echo resource keeps what it was
	// created with.
	echoed := func(name string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("echo."+name, tfjsonpath.New("data"), v)
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"sms": directServer(nil), "echo": echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{
			{Config: passphrase("../sources"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)task_id.*must be an id`)},
			{Config: passphrase("no-such-task"), ExpectError: regexp.MustCompile(`(?s)SMS Task Not Found.*"no-such-task".*HTTP 404.*SMS\.6002.*Check\s+task_id`)},
			{
				Config: config(`ephemeral "sms_server_template_password" "t" { template_id = "no-such-template" }
provider "echo" { data = ephemeral.sms_server_template_password.t.target_password }
resource "echo" "out" {}`),
				ExpectError: regexp.MustCompile(`(?s)SMS Server Template Not Found.*"no-such-template".*SMS\.6505.*Check\s+template_id`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/tasks/" + task.ID + "/passphrase", Body: `{"task_id":"` + task.ID + `"}`})
				},
				Config:      passphrase(task.ID),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/tasks/\{task_id\}/passphrase.*holds\s+no\s+passphrase`),
			},
			{Config: passphrase(task.ID), ConfigStateChecks: []statecheck.StateCheck{
				echoed("out", knownvalue.StringExact(emulator.SecretOf(task.ID, "passphrase"))),
			}},
			{
				Config: config(`ephemeral "sms_task_certificate" "c" { task_id = "` + task.ID + `" }
provider "echo" { data = ephemeral.sms_task_certificate.c }
resource "echo" "cert" {}`),
				ConfigStateChecks: []statecheck.StateCheck{echoed("cert", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"task_id":          knownvalue.StringExact(task.ID),
					"private_key":      knownvalue.StringExact(emulator.CertKeyPEM(task.ID, "private_key")),
					"target_data_cert": knownvalue.StringExact(emulator.CertKeyPEM(task.ID, "target_data_cert")),
				}))},
			},
			{
				Config: config(`ephemeral "sms_server_template_password" "t" { template_id = "` + templateID + `" }
provider "echo" { data = ephemeral.sms_server_template_password.t.target_password }
resource "echo" "password" {}`),
				ConfigStateChecks: []statecheck.StateCheck{echoed("password", knownvalue.StringExact(password))},
			},
		},
	})
}

// Once an answer is decoded, its secrets are masked in every later log line of the open: the
// whole value, and each line of a PEM block apart from its armour and short lines, in messages
// and fields alike. Fields that are not secrets stay readable.
func TestSecretValues_MaskEveryLineOfAKey(t *testing.T) {
	t.Parallel()
	key := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIB\nAQ==\n-----END PRIVATE KEY-----\n"
	taskID := "task-visible-1"
	object := smsapi.TaskCertificate{Cert: &key, PrivateKey: &key}
	passphrase := smsapi.TaskPassphrase{TaskID: &taskID, Passphrase: new("pp-Zx81Kq-secret")}
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = withSecretMasks(ctx, secretValues(reflect.ValueOf(object)))
	ctx = withSecretMasks(ctx, secretValues(reflect.ValueOf(passphrase)))
	tflog.Debug(ctx, "key line MIIEvQIBADANBgkqhkiG9w0BAQEF and pp-Zx81Kq-secret", map[string]any{
		"line": "AASCBKcwggSjAgEAAoIB", "whole": key, "task_id": taskID,
	})
	out := buf.String()
	for _, secret := range []string{"MIIEvQIBADANBgkqhkiG9w0BAQEF", "AASCBKcwggSjAgEAAoIB", "pp-Zx81Kq-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, taskID) || !strings.Contains(out, "key line") {
		t.Errorf("the log lost what is not secret: %s", out)
	}
	if got := secretValues(reflect.ValueOf(passphrase)); len(got) != 1 || got[0] != "pp-Zx81Kq-secret" {
		t.Errorf("secrets of the passphrase: %q, want the passphrase alone", got)
	}
}
