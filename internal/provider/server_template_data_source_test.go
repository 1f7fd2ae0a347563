package provider

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// An id that could name another path fails at plan; a template that does not exist, an API
// error and answers that are not the template asked for fail the read with what went wrong.
// Then one step reads a template with a password and one without: every field at the top level,
// the configured id kept, has_target_password set and the password nowhere in the state.
func TestServerTemplateDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.GenerateFleet(12, 5).Options())
	templates, raw := emulatorTemplates(t, server)
	first, plain := templates[0], templates[len(templates)-1]
	path := "/v3/vm/templates/" + first.ID
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_server_template" "one" { id = "` + id + `" }`
	}
	const one, none = "data.sms_server_template.one", "data.sms_server_template.none"
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(one, p, v)
	}
	invalid := func(body, want string) resource.TestStep {
		return resource.TestStep{
			PreConfig:   func() { server.InjectFaults(emulator.Fault{Path: path, Body: body}) },
			Config:      data(first.ID),
			ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/vm/templates/\{id\}.*` + want),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("../sources"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)id.*must be an id`)},
			{Config: data("no-such-template"), ExpectError: regexp.MustCompile(
				`(?s)SMS Server Template Not Found.*"no-such-template".*HTTP 404.*SMS\.6505.*Check\s+id`)},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: path,
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      data(first.ID),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*sms:template:get`),
			},
			// The template unwrapped, as a careless gateway might answer: not the documented answer.
			invalid(string(raw[0]), `no\s+template\s+object`),
			invalid(`{"template":`+string(raw[1])+`}`, `describes\s+the\s+template`),
			{
				Config: data(first.ID) + `
data "sms_server_template" "none" { id = "` + plain.ID + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("id"), knownvalue.StringExact(first.ID)),
					at(tfjsonpath.New("name"), knownvalue.StringExact("tpl-wave-1")),
					at(tfjsonpath.New("availability_zone"), knownvalue.StringExact(first.AvailabilityZone)),
					at(tfjsonpath.New("projectid"), knownvalue.StringExact("0c0ffee0c0ffee0c0ffee0c0ffee0001")),
					at(tfjsonpath.New("security_groups").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("sg-migration")),
					at(tfjsonpath.New("disk").AtSliceIndex(0).AtMapKey("id"), knownvalue.Int64Exact(9_007_199_254_740_993)),
					at(tfjsonpath.New("image_id"), knownvalue.NotNull()),
					at(tfjsonpath.New("has_target_password"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(none, tfjsonpath.New("has_target_password"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(none, tfjsonpath.New("image_id"), knownvalue.Null()),
				},
				Check: noPasswordInState(templates),
			},
		},
	})
}
