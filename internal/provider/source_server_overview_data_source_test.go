package provider

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// The overview counts what the fleet's list holds.
func TestSourceServerOverviewDataSource_CountsTheFleet(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(60, 5)
	server := startEmulator(t, fleet.Options())
	want := countServers(t, fleet)
	if want["unconfigured"] == 0 || want["finished"] == 0 {
		t.Fatalf("fleet lacks variety: %v", want)
	}
	var checks []statecheck.StateCheck
	for _, counter := range []string{"waiting", "replicate", "syncing", "finished", "error", "unavailable", "unconfigured"} {
		checks = append(checks, statecheck.ExpectKnownValue("data.sms_source_server_overview.this",
			tfjsonpath.New(counter), knownvalue.Int64Exact(int64(want[counter]))))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            providerBlock(server, "") + `data "sms_source_server_overview" "this" {}`,
			ConfigStateChecks: checks,
		}},
	})
}

// countServers counts a fleet's servers by state, and those without a current task as
// "unconfigured", decoding the emulator's JSON itself.
func countServers(t *testing.T, fleet emulator.Fleet) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, raw := range fleet.Servers {
		var s struct {
			State       string          `json:"state"`
			CurrentTask json.RawMessage `json:"current_task"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		counts[s.State]++
		if s.CurrentTask == nil {
			counts["unconfigured"]++
		}
	}
	return counts
}

// An older deployment's four-counter body leaves the current counters null, not 0; a rejected
// token names the endpoint and the status.
func TestSourceServerOverviewDataSource_OlderLayoutAndErrors(t *testing.T) {
	t.Parallel()
	older := startEmulator(t, emulator.Options{})
	older.InjectFaults(emulator.Fault{Body: `{"waiting":5,"replicating":6,"syncing":3,"other":2}`, Times: 100})
	rejecting := startEmulator(t, emulator.Options{Token: "another-token"})
	const addr = "data.sms_source_server_overview.this"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(older, "") + `data "sms_source_server_overview" "this" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("waiting"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("syncing"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("replicate"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unconfigured"), knownvalue.Null()),
				},
			},
			{
				Config:      providerBlock(rejecting, "") + `data "sms_source_server_overview" "this" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*GET \S+/v3/sources/overview\s+returned\s+HTTP\s+401`),
			},
			{
				Config:      providerBlock(startBadBody(t, `[]`), "") + `data "sms_source_server_overview" "this" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/sources/overview.*a\s+JSON\s+array`),
			},
		},
	})
}

// startBadBody starts an emulator whose every answer is body, with status 200.
func startBadBody(t *testing.T, body string) *emulator.Server {
	server := startEmulator(t, emulator.Options{})
	server.InjectFaults(emulator.Fault{Body: body, Times: 1000})
	return server
}
