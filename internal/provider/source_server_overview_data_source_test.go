package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// A rejected token names the endpoint and the status; a body that is not an object is refused;
// an older deployment's four-counter body leaves the current counters null, not 0; the overview
// counts what the fleet's list holds. One TestCase, a step each: provider aliases cannot put two
// endpoints in one step, since every configuration of an in-process provider shares one server.
func TestSourceServerOverviewDataSource_CountsOlderLayoutAndErrors(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(60, 5)
	server := testsupport.StartEmulator(t, fleet.Options())
	want := testsupport.CountServers(t, fleet)
	if want["unconfigured"] == 0 || want["finished"] == 0 {
		t.Fatalf("fleet lacks variety: %v", want)
	}
	const counted = "data.sms_source_server_overview.this"
	var counts []statecheck.StateCheck
	for _, counter := range []string{"waiting", "replicate", "syncing", "finished", "error", "unavailable", "unconfigured"} {
		counts = append(counts, statecheck.ExpectKnownValue(counted, tfjsonpath.New(counter), knownvalue.Int64Exact(int64(want[counter]))))
	}
	olderServer := testsupport.StartEmulator(t, emulator.Options{})
	olderServer.InjectFaults(emulator.Fault{Body: `{"waiting":5,"replicating":6,"syncing":3,"other":2}`, Times: 100})
	rejecting := testsupport.StartEmulator(t, emulator.Options{Token: "another-token"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testsupport.ProviderBlock(rejecting, "") + `data "sms_source_server_overview" "this" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*GET \S+/v3/sources/overview\s+returned\s+HTTP\s+401`),
			},
			{
				Config:      testsupport.ProviderBlock(startBadBody(t, `[]`), "") + `data "sms_source_server_overview" "this" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/sources/overview.*a\s+JSON\s+array`),
			},
			{
				Config: testsupport.ProviderBlock(olderServer, "") + `data "sms_source_server_overview" "this" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("waiting"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("syncing"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("replicate"), knownvalue.Null()),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("unconfigured"), knownvalue.Null()),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("replicating"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("other"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(counted, tfjsonpath.New("error"), knownvalue.Null()),
				},
			},
			{
				Config:            testsupport.ProviderBlock(server, "") + `data "sms_source_server_overview" "this" {}`,
				ConfigStateChecks: counts,
			},
		},
	})
}

// startBadBody starts an emulator whose every answer is body, with status 200.
func startBadBody(t *testing.T, body string) *emulator.Server {
	server := testsupport.StartEmulator(t, emulator.Options{})
	server.InjectFaults(emulator.Fault{Body: body, Times: 1000})
	return server
}
