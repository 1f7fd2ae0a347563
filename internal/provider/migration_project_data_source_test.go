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

// An id that could name another path fails at plan; a project that does not exist, a denied
// request and an answer that holds none of a project's fields fail the read with what went
// wrong. Then one step reads wave-2, whose detail has every field but the id: the id stays
// null, mig_project_id keeps the id read, and exist_server says whether the fleet has a server
// in it.
func TestMigrationProjectDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(5, 3)
	server := testsupport.StartEmulator(t, fleet.Options())
	wave2 := emulator.MigrationProjects[1]
	hasServers := false
	for _, project := range fleet.ServerProjects {
		hasServers = hasServers || project == wave2
	}
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_migration_project" "wave" { mig_project_id = "` + id + `" }`
	}
	const addr = "data.sms_migration_project.wave"
	expect := func(key string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New(key), v)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("../tasks"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)mig_project_id.*must be an id`)},
			{
				Config: data("no-such-project"),
				ExpectError: regexp.MustCompile(`(?s)SMS Migration Project Not Found.*"no-such-project".*HTTP 404.*SMS\.1801.*` +
					`request id: [0-9a-f]{32}.*Check\s+mig_project_id`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/migprojects/" + wave2,
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      data(wave2),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*read\s+migration\s+projects.*sms:migproject:get`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/migprojects/" + wave2, Body: `{"count":1,"migprojects":[]}`})
				},
				Config: data(wave2),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/migprojects/\{mig_project_id\}.*` +
					`holds\s+none\s+of\s+the\s+migration\s+project's\s+fields`),
			},
			{
				Config: data(wave2),
				ConfigStateChecks: []statecheck.StateCheck{
					expect("mig_project_id", knownvalue.StringExact(wave2)),
					expect("id", knownvalue.Null()),
					expect("name", knownvalue.StringExact("wave-2")),
					expect("description", knownvalue.StringExact("Second wave: the databases")),
					expect("isdefault", knownvalue.Bool(false)),
					expect("region", knownvalue.StringExact("cn-north-4")),
					expect("start_target_server", knownvalue.Bool(false)),
					expect("speed_limit", knownvalue.Int64Exact(300)),
					expect("use_public_ip", knownvalue.Bool(false)),
					expect("exist_server", knownvalue.Bool(hasServers)),
					expect("type", knownvalue.StringExact("MIGRATE_BLOCK")),
					expect("enterprise_project", knownvalue.StringExact("default")),
					expect("syncing", knownvalue.Bool(true)),
					expect("start_network_check", knownvalue.Bool(true)),
				},
			},
		},
	})
}
