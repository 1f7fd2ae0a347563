package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// storedTemplate is what the tests need of a template the emulator serves, target_password
// included, read straight from the emulator's answer.
type storedTemplate struct {
	ID               string `json:"id"`
	AvailabilityZone string `json:"availability_zone"`
	TargetPassword   string `json:"target_password"`
}

// emulatorTemplates returns the emulator's templates in API order, each with its raw JSON.
func emulatorTemplates(t *testing.T, server *emulator.Server) ([]storedTemplate, []json.RawMessage) {
	t.Helper()
	body := testsupport.EmulatorGet(t, server, "/v3/vm/templates")
	raw := testsupport.DecodeJSON[struct {
		Templates []json.RawMessage `json:"templates"`
	}](t, body).Templates
	out := make([]storedTemplate, len(raw))
	for i, r := range raw {
		out[i] = testsupport.DecodeJSON[storedTemplate](t, r)
	}
	if len(out) < 2 || out[0].TargetPassword == "" || out[len(out)-1].TargetPassword != "" {
		t.Fatalf("the emulator's templates lack one with a password and one without: %s", body)
	}
	return out, raw
}

// noPasswordInState fails when any attribute of any resource in the state holds a template's
// password, or its middle third, and when the state holds no template id, since a search of a
// state without the templates proves nothing.
func noPasswordInState(templates []storedTemplate) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		found := false
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				for key, value := range rs.Primary.Attributes {
					found = found || value == templates[0].ID
					for _, tp := range templates {
						if pw := tp.TargetPassword; pw != "" && strings.Contains(value, pw[len(pw)/3:2*len(pw)/3]) {
							return fmt.Errorf("%s.%s holds the target password of template %s", addr, key, tp.ID)
						}
					}
				}
			}
		}
		if !found {
			return fmt.Errorf("the state holds no template %s, so searching it proves nothing", templates[0].ID)
		}
		return nil
	}
}

// The search finds a password anywhere in an attribute, and refuses a state without templates.
func TestNoPasswordInState_FindsThePassword(t *testing.T) {
	t.Parallel()
	templates := []storedTemplate{{ID: "t-1", TargetPassword: "Tpl0123456789ab!Pw"}}
	state := func(attrs map[string]string) *terraform.State {
		return &terraform.State{Modules: []*terraform.ModuleState{{Resources: map[string]*terraform.ResourceState{
			"data.sms_server_template.one": {Primary: &terraform.InstanceState{Attributes: attrs}}}}}}
	}
	for name, c := range map[string]struct {
		attrs map[string]string
		want  string
	}{
		"clean":        {map[string]string{"id": "t-1", "has_target_password": "true"}, ""},
		"the password": {map[string]string{"id": "t-1", "name": "x-Tpl0123456789ab!Pw"}, "holds the target password"},
		"its middle":   {map[string]string{"id": "t-1", "name": "345678"}, "holds the target password"},
		"no templates": {map[string]string{"id": "other"}, "proves nothing"},
	} {
		err := noPasswordInState(templates)(state(c.attrs))
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// Filters reach the query under the API's names, page_size above the API's 100 or an id that
// could name a path fails the plan, and three listings in one step read every page, keep the
// nested values exact and say which templates have a password, never what it is. summary_only
// keeps the count alone.
func TestServerTemplatesDataSource_FiltersPagingAndValues(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.GenerateFleet(12, 5).Options())
	templates, _ := emulatorTemplates(t, server)
	const all, zone, one = "data.sms_server_templates.all", "data.sms_server_templates.zone", "data.sms_server_templates.one"
	tpl := func(i int, steps ...any) tfjsonpath.Path {
		p := tfjsonpath.New("templates").AtSliceIndex(i)
		for _, step := range steps {
			switch step := step.(type) {
			case int:
				p = p.AtSliceIndex(step)
			case string:
				p = p.AtMapKey(step)
			}
		}
		return p
	}
	at := func(addr string, p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, p, v)
	}
	last := len(templates) - 1
	provider := testsupport.ProviderBlock(server, "max_retries = 0")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider + `data "sms_server_templates" "all" { page_size = 101 }`, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)page_size.*between 1 and 100`)},
			{Config: provider + `data "sms_server_templates" "all" { id = "../sources" }`, PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)id.*must be an id`)},
			{
				PreConfig: server.ResetStats,
				Config: provider + `
data "sms_server_templates" "all" { page_size = 2 }
data "sms_server_templates" "zone" {
  region            = "cn-north-4"
  availability_zone = "cn-north-4a"
}
data "sms_server_templates" "one" {
  id           = "` + templates[1].ID + `"
  summary_only = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(all, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(templates)))),
					at(all, tfjsonpath.New("templates"), knownvalue.ListSizeExact(len(templates))),
					at(all, tpl(0, "id"), knownvalue.StringExact(templates[0].ID)),
					at(all, tpl(0, "has_target_password"), knownvalue.Bool(true)),
					at(all, tpl(last, "has_target_password"), knownvalue.Bool(false)),
					at(all, tpl(0, "disk", 0, "id"), knownvalue.Int64Exact(9_007_199_254_740_993)),
					at(all, tpl(0, "disk", 1, "id"), knownvalue.Null()),
					at(all, tpl(0, "nics", 0, "ip"), knownvalue.StringExact("10.1.1.10")),
					at(all, tpl(1, "nics", 0, "ip"), knownvalue.Null()),
					at(all, tpl(0, "publicip", "bandwidth_size"), knownvalue.Int64Exact(100)),
					at(all, tpl(1, "publicip"), knownvalue.Null()),
					at(all, tpl(2, "vpc", "id"), knownvalue.StringExact("autoCreate")),
					at(all, tpl(0, "is_template"), knownvalue.StringExact("true")),
					at(all, tfjsonpath.New("page_size"), knownvalue.Int64Exact(2)),
					at(zone, tfjsonpath.New("templates"), knownvalue.ListSizeExact(2)),
					at(zone, tpl(0, "availability_zone"), knownvalue.StringExact("cn-north-4a")),
					at(zone, tfjsonpath.New("page_size"), knownvalue.Int64Exact(100)),
					at(one, tfjsonpath.New("total_count"), knownvalue.Int64Exact(1)),
					at(one, tfjsonpath.New("id"), knownvalue.StringExact(templates[1].ID)),
					at(one, tfjsonpath.New("templates"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(noPasswordInState(templates), func(*terraform.State) error {
					// Terraform reads the data sources concurrently, so their queries come in any order.
					return checkQuerySet(server.Queries(), []url.Values{
						{"limit": {"2"}, "offset": {"0"}}, {"limit": {"2"}, "offset": {"1"}}, {"limit": {"2"}, "offset": {"2"}},
						{"limit": {"100"}, "offset": {"0"}, "region": {"cn-north-4"}, "availability_zone": {"cn-north-4a"}},
						{"limit": {"100"}, "offset": {"0"}, "id": {templates[1].ID}},
					})
				}),
			},
			{
				// An API that ignores the zone filter answers with a template of another zone.
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/vm/templates",
						Body: `{"count":1,"templates":[{"id":"t-b","availability_zone":"cn-north-4b","target_password":"` + templates[0].TargetPassword + `"}]}`})
				},
				Config:      provider + `data "sms_server_templates" "zone" { availability_zone = "cn-north-4a" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/vm/templates.*availability_zone.*does not\s+apply\s+the\s+filter`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/vm/templates",
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      provider + `data "sms_server_templates" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*sms:template:list`),
			},
		},
	})
}

// The direct encoding of the templates list writes the bytes the framework's path writes, for
// the emulator's templates and for nulls, empty lists and absent objects.
func TestDirectEncoding_ServerTemplatesSameBytesAsFramework(t *testing.T) {
	t.Parallel()
	_, generated := emulatorTemplates(t, testsupport.StartEmulator(t, emulator.GenerateFleet(12, 5).Options()))
	typ := terraformTypeOf(templatesAttribute().GetType())
	for name, raw := range map[string][]json.RawMessage{
		"generated": generated,
		"edge cases": {
			json.RawMessage(`{"id":null,"vpc":null,"nics":null,"security_groups":[],"disk":[{"id":-9223372036854775808,"size":null}],"target_password":null}`),
			json.RawMessage(`{"id":"x","publicip":{},"nics":[{}],"target_password":"","has_target_password":true}`),
		},
		"no templates": {},
	} {
		t.Run(name, func(t *testing.T) {
			templates := make([]smsapi.ServerTemplate, len(raw))
			for i, r := range raw {
				if err := json.Unmarshal(r, &templates[i]); err != nil {
					t.Fatal(err)
				}
			}
			got, err := templatesEncoding.Encode(templates)
			if err != nil {
				t.Fatal(err)
			}
			checkSameEncoding(t, typ, apiValue(reflect.ValueOf(templates), typ), got)
		})
	}
}
