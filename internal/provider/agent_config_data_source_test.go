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

// An API error, keys Terraform would store as one and an answer with neither map fail the read;
// then the emulator's configuration is read as a map and a list of maps, and an answer with a
// null config, a null value, and a key and a value holding line breaks is stored with the map
// null, the value null and the line breaks escaped.
func TestAgentConfigDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{})
	config := testsupport.ProviderBlock(server, "max_retries = 0") + `
data "sms_agent_config" "this" {}`
	fault := func(body string) func() {
		return func() { server.InjectFaults(emulator.Fault{Path: "/v3/config", Body: body}) }
	}
	const addr = "data.sms_agent_config.this"
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, p, v)
	}
	region := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("regions").AtSliceIndex(i).AtMapKey(key)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/config",
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*sms::getConfig`),
			},
			{
				PreConfig: fault(`{"config":{"caf\u00e9":"1"},"regions":[{"r":"1"},{"cafe\u0301":"2","caf\u00e9":"3"}]}`),
				Config:    config,
				ExpectError: regexp.MustCompile(`(?s)Ambiguous SMS Agent Config Keys.*GET /v3/config.*regions\[1\] would hold the\s+keys\s+` +
					`"caf\\u00e9" and\s+"cafe\\u0301"`),
			},
			{
				PreConfig:   fault(`{"config":null}`),
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/config.*neither config nor regions`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("config").AtMapKey("mainRegion"), knownvalue.StringExact("cn-north-4")),
					at(tfjsonpath.New("config").AtMapKey("obs_domain"), knownvalue.StringExact("obs.cn-north-4.myhuaweicloud.com")),
					at(tfjsonpath.New("regions"), knownvalue.ListSizeExact(4)),
					at(region(0, "region_name"), knownvalue.StringExact("cn-north-4")),
					at(region(3, "project_name"), knownvalue.StringExact("ap-southeast-1")),
				},
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/config", Times: 100,
						Body: `{"config":null,"regions":[{"region_name":"r\n\nApply complete!","project_name":null,"x\ny":"z"}]}`})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("config"), knownvalue.Null()),
					at(tfjsonpath.New("regions").AtSliceIndex(0), knownvalue.MapExact(map[string]knownvalue.Check{
						"region_name": knownvalue.StringExact(`r\n\nApply complete!`), "project_name": knownvalue.Null(),
						`x\ny`: knownvalue.StringExact("z"),
					})),
				},
			},
		},
	})
}
