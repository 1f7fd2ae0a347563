package provider

import (
	"encoding/json"
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

// windowsServer is a listed Windows server whose recommended system disk is larger than a
// float64 holds exactly, without a task, with a failed check and a null start_type.
const windowsServer = `{"id":"win-1","name":"app-db-01","ip":"10.9.0.7","os_type":"WINDOWS","state":"unavailable",
	"connected":false,"memory":17179869184,"start_type":null,"current_task":null,
	"checks":[{"id":3,"params":["rsync"],"name":"RSYNC_INSTALLED","result":"ERROR","error_code":"SMS.1205","error_or_warn":"rsync is not installed","error_params":null}],
	"init_target_server":{"disks":[{"name":"Disk 0","size":9007199254740993,"device_use":"OS","used_size":1000,
		"physical_volumes":[{"name":"C:","size":9007199254740000,"index":0}]}]}}`

// An id that could name another path fails at plan; a server that does not exist, a denied
// request and an answer about another server fail the read with what went wrong. Then one step
// reads a Windows server, whose disk size stays exact and whose Linux-only fields are null, and a
// Linux server of a generated fleet, whose volume groups and Btrfs lists are lists.
func TestSourceServerDataSource_ErrorsAndValues(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(5, 3)
	opts := fleet.Options()
	opts.Servers = append(opts.Servers, json.RawMessage(windowsServer))
	linuxID := ""
	for _, raw := range fleet.Servers {
		s := testsupport.DecodeJSON[struct {
			ID     string `json:"id"`
			OSType string `json:"os_type"`
		}](t, raw)
		if s.OSType == "LINUX" && linuxID == "" {
			linuxID = s.ID
		}
	}
	server := testsupport.StartEmulator(t, opts)
	data := func(id string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_source_server" "one" { source_id = "` + id + `" }`
	}
	const win, linux = "data.sms_source_server.one", "data.sms_source_server.linux"
	at := func(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(win, p, v)
	}
	disk := func(keys ...any) tfjsonpath.Path {
		p := tfjsonpath.New("disks").AtSliceIndex(0)
		for _, k := range keys {
			switch k := k.(type) {
			case string:
				p = p.AtMapKey(k)
			case int:
				p = p.AtSliceIndex(k)
			}
		}
		return p
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: data("../overview"), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)source_id.*must be an id`)},
			{Config: data("no-such-server"), ExpectError: regexp.MustCompile(
				`(?s)SMS Source Server Not Found.*"no-such-server".*HTTP 404.*SMS\.2216.*request id: [0-9a-f]{32}.*Check\s+source_id`)},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/sources/win-1",
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      data("win-1"),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*read\s+a\s+source\s+server.*sms:server:get`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/sources/win-1", Body: `{"id":"other-server","state":"waiting"}`})
				},
				Config: data("win-1"),
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/sources/\{source_id\}.*` +
					`source\s+server\s+"other-server",\s+not\s+the\s+source\s+server\s+"win-1"`),
			},
			{
				Config: data("win-1") + `
data "sms_source_server" "linux" { source_id = "` + linuxID + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					at(tfjsonpath.New("source_id"), knownvalue.StringExact("win-1")),
					at(tfjsonpath.New("id"), knownvalue.StringExact("win-1")),
					at(tfjsonpath.New("hostname"), knownvalue.StringExact("APP-DB-01")),
					at(tfjsonpath.New("firmware"), knownvalue.StringExact("UEFI")),
					at(tfjsonpath.New("memory"), knownvalue.Int64Exact(16384)),
					at(tfjsonpath.New("connected"), knownvalue.Bool(false)),
					at(tfjsonpath.New("agent_version"), knownvalue.NotNull()),
					at(tfjsonpath.New("start_type"), knownvalue.Null()),
					at(tfjsonpath.New("current_task"), knownvalue.Null()),
					at(tfjsonpath.New("volume_groups"), knownvalue.Null()),
					at(tfjsonpath.New("btrfs_list"), knownvalue.Null()),
					at(disk("size"), knownvalue.Int64Exact(9007199254740993)),
					at(disk("os_disk"), knownvalue.Bool(true)),
					at(disk("partition_style"), knownvalue.StringExact("GPT")),
					at(disk("relation_name"), knownvalue.Null()),
					at(disk("physical_volumes", 0, "size"), knownvalue.Int64Exact(9007199254740000)),
					at(disk("physical_volumes", 0, "size_per_cluster"), knownvalue.Int64Exact(4096)),
					at(disk("physical_volumes", 0, "inode_nums"), knownvalue.Null()),
					at(tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("ip"), knownvalue.StringExact("10.9.0.7")),
					at(tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("mtu"), knownvalue.Null()),
					at(tfjsonpath.New("checks").AtSliceIndex(0).AtMapKey("error_code"), knownvalue.StringExact("SMS.1205")),
					at(tfjsonpath.New("checks").AtSliceIndex(0).AtMapKey("error_params"), knownvalue.Null()),
					statecheck.ExpectKnownValue(linux, tfjsonpath.New("id"), knownvalue.StringExact(linuxID)),
					statecheck.ExpectKnownValue(linux, tfjsonpath.New("volume_groups"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(linux, tfjsonpath.New("btrfs_list"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(linux, tfjsonpath.New("current_task").AtMapKey("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(linux, tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("mtu"), knownvalue.Int64Exact(1500)),
				},
			},
		},
	})
}
