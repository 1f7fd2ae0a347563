package provider

import (
	_ "embed" // For the reference's example response.
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

const sourceServersAddr = "data.sms_source_servers.wave"

func serverPath(i int, keys ...string) tfjsonpath.Path {
	p := tfjsonpath.New("servers").AtSliceIndex(i)
	for _, k := range keys {
		p = p.AtMapKey(k)
	}
	return p
}

func expectServers(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(sourceServersAddr, p, v)
}

// referenceSourcesBody is the illustrative example response of the reference for GET /v3/sources.
//
//go:embed testdata/list-source-servers-example.json
var referenceSourcesBody string

// referenceServers are the two servers of the reference's example response and one of nulls
// with the largest Long.
func referenceServers() []json.RawMessage {
	var body struct {
		SourceServers []json.RawMessage `json:"source_servers"`
	}
	if err := json.Unmarshal([]byte(referenceSourcesBody), &body); err != nil {
		panic(err)
	}
	return append(body.SourceServers, json.RawMessage(`{"id":null,"state":null,"checks":null,"replicatesize":5,"totalsize":null,"add_date":9223372036854775807}`))
}

// Every filter reaches the query under its API name, unset ones are not sent, the id depends
// on the filters only, and a filter's typo fails the plan.
func TestSourceServersDataSource_FiltersToQuery(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(40, 9)
	server := testsupport.StartEmulator(t, fleet.Options())
	idOf := statecheck.CompareValue(compare.ValuesSame())
	project := emulator.MigrationProjects[0]
	const projectAddr, summaryAddr = "data.sms_source_servers.project", "data.sms_source_servers.summary"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testsupport.ProviderBlock(server, "") + `data "sms_source_servers" "wave" { state = "Finished" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*state.*finished`),
			},
			{
				Config:      testsupport.ProviderBlock(server, "") + `data "sms_source_servers" "wave" { migration_cycle = "done" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Match.*migration_cycle.*cutovered`),
			},
			{
				// Three data sources in one step: every filter set, one filter, and the same
				// filter as summary over small pages, whose id must not change.
				PreConfig: server.ResetStats,
				Config: testsupport.ProviderBlock(server, "") + `data "sms_source_servers" "wave" {
  state                       = "finished"
  name                        = "src-web-000"
  source_server_id            = "s-1"
  ip                          = "10.0.0.1"
  ipv6                        = "::1"
  migproject_id               = "p-1"
  migration_cycle             = "cutovered"
  connected                   = false
  enterprise_project_id       = "0"
  is_consistency_result_exist = true
  vm_id                       = "vm-1"
  page_size                   = 7
}
data "sms_source_servers" "project" { migproject_id = "` + project + `" }
data "sms_source_servers" "summary" {
  migproject_id = "` + project + `"
  page_size     = 3
  summary_only  = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectServers(tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
					idOf.AddStateValue(projectAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("servers"), knownvalue.NotNull()),
					idOf.AddStateValue(summaryAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(summaryAddr, tfjsonpath.New("servers"), knownvalue.Null()),
					statecheck.ExpectKnownValue(summaryAddr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(projectSize(fleet, project)))),
				},
				Check: func(*terraform.State) error {
					var summaryPages, others []url.Values
					for _, q := range server.Queries() {
						if q.Get("limit") == "3" {
							summaryPages = append(summaryPages, q)
						} else {
							others = append(others, q)
						}
					}
					if err := checkSummaryPages(summaryPages, project, projectSize(fleet, project)); err != nil {
						return err
					}
					return checkQuerySet(others, []url.Values{
						{
							"state": {"finished"}, "name": {"src-web-000"}, "id": {"s-1"}, "ip": {"10.0.0.1"}, "ipv6": {"::1"},
							"migproject": {"p-1"}, "migration_cycle": {"cutovered"}, "connected": {"false"},
							"enterprise_project_id": {"0"}, "is_consistency_result_exist": {"true"}, "vm_id": {"vm-1"},
							"limit": {"7"}, "offset": {"0"},
						},
						{"migproject": {project}, "limit": {"200"}, "offset": {"0"}},
					})
				},
			},
		},
	})
}

// checkSummaryPages checks the queries of a summary over pages of three: each carries only the
// project filter, the limit and an offset on a page boundary inside the project (pages of three
// step by two, each repeating the last server of the page before), and the first page is among
// them.
func checkSummaryPages(queries []url.Values, project string, size int) error {
	first := false
	for _, q := range queries {
		offset, err := strconv.Atoi(q.Get("offset"))
		if err != nil || offset%2 != 0 || offset >= max(size, 1) || len(q) != 3 || q.Get("migproject") != project {
			return fmt.Errorf("unexpected summary query %v", q)
		}
		first = first || offset == 0
	}
	if !first {
		return fmt.Errorf("the summary never read its first page; sent %v", queries)
	}
	return nil
}

func projectSize(fleet emulator.Fleet, project string) int {
	n := 0
	for _, p := range fleet.ServerProjects {
		if p == project {
			n++
		}
	}
	return n
}

// Errors: a rejected token, wrong field types, a null list with a count, a read timeout, a listing
// that never reconciles and an HTML page each fail the read with what went wrong. Then the
// reference's illustrative servers with a third one of nulls read with every level, nulls kept
// and the derived progress; and small pages over a fleet give every server once and in order
// although the page at offset 4 fails once with a 5xx and is retried.
func TestSourceServersDataSource_NestedNullsPagingAndErrors(t *testing.T) {
	t.Parallel()
	reference := testsupport.StartEmulator(t, emulator.Options{Servers: referenceServers()})
	fleet := emulator.GenerateFleet(30, 4)
	paged := testsupport.StartEmulator(t, fleet.Options())
	var lastID struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Servers[len(fleet.Servers)-1], &lastID); err != nil {
		t.Fatal(err)
	}
	n := len(fleet.Servers)
	str, num, null := knownvalue.StringExact, knownvalue.Int64Exact, knownvalue.Null()
	rejecting := testsupport.StartEmulator(t, emulator.Options{Token: "another-token"})
	slow := testsupport.StartEmulator(t, emulator.Options{Latency: 30 * time.Second})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testsupport.ProviderBlock(rejecting, "") + `data "sms_source_servers" "wave" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Authentication Failed.*GET \S+/v3/sources\s+returned\s+HTTP\s+401.*APIG\.1002`),
			},
			{
				Config:      testsupport.ProviderBlock(startBadBody(t, `{"count":2,"source_servers":[{"id":"a","memory":"8G"}]}`), "") + `data "sms_source_servers" "wave" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*GET /v3/sources.*source\s+servers\s+page.*field\s+"source_servers.memory"`),
			},
			{
				Config:      testsupport.ProviderBlock(startBadBody(t, `{"count":5,"source_servers":null}`), "") + `data "sms_source_servers" "wave" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*"source_servers"\s+is\s+missing\s+or\s+null\s+while\s+"count"\s+is\s+5`),
			},
			{
				Config: testsupport.ProviderBlock(slow, "") + `data "sms_source_servers" "wave" {
  timeouts = { read = "1s" }
}`,
				ExpectError: regexp.MustCompile(`(?s)SMS Source Servers Read Timed Out.*read\s+timeout\s+\(1s\)`),
			},
			{
				// Every read counts three servers and returns one: the re-read agrees, so the read fails.
				Config:      testsupport.ProviderBlock(startBadBody(t, `{"count":3,"source_servers":[{"id":"a"}]}`), "") + `data "sms_source_servers" "wave" {}`,
				ExpectError: regexp.MustCompile(`(?s)Inconsistent SMS Source Server List.*GET /v3/sources.*No\s+source\s+servers\s+were\s+written`),
			},
			{
				Config:      testsupport.ProviderBlock(startBadBody(t, `<html>gateway</html>`), "") + `data "sms_source_servers" "wave" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SMS API Response.*HTML`),
			},
			{
				Config: testsupport.ProviderBlock(reference, "") + `data "sms_source_servers" "wave" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectServers(tfjsonpath.New("total_count"), num(3)),
					expectServers(tfjsonpath.New("page_size"), num(200)),
					expectServers(tfjsonpath.New("summary_only"), knownvalue.Bool(false)),
					expectServers(tfjsonpath.New("state_counts"), knownvalue.MapExact(map[string]knownvalue.Check{"replicate": num(1), "waiting": num(1)})),
					expectServers(tfjsonpath.New("migration_cycle_counts"), knownvalue.MapExact(map[string]knownvalue.Check{"replicating": num(1), "setting": num(1)})),
					expectServers(serverPath(0, "memory"), num(8201400320)),
					expectServers(serverPath(0, "replicatesize"), num(2147483648)),
					expectServers(serverPath(0, "replication_progress"), knownvalue.Float64Exact(40)),
					expectServers(serverPath(0, "current_task", "target_server", "vm_id"), str("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx00b1")),
					expectServers(serverPath(0, "current_task", "clone_server", "clone_state"), str("NOT_READY")),
					expectServers(serverPath(0, "current_task", "remain_seconds"), num(2600)),
					expectServers(serverPath(0, "current_task", "log_bucket"), null),
					expectServers(serverPath(0, "checks").AtSliceIndex(0).AtMapKey("params"), knownvalue.ListSizeExact(0)),
					expectServers(serverPath(0, "init_target_server", "disks").AtSliceIndex(0).AtMapKey("physical_volumes").AtSliceIndex(0).AtMapKey("inode_size"), num(256)),
					expectServers(serverPath(0, "init_target_server", "volume_groups"), knownvalue.ListSizeExact(0)),
					expectServers(serverPath(0, "start_type"), null),
					expectServers(serverPath(1, "current_task"), null),
					expectServers(serverPath(1, "connected"), knownvalue.Bool(false)),
					expectServers(serverPath(1, "replication_progress"), null), // totalsize 0
					expectServers(serverPath(1, "init_target_server", "volume_groups"), null),
					expectServers(serverPath(1, "stage_action_time"), null),
					expectServers(serverPath(2, "id"), null),
					expectServers(serverPath(2, "checks"), null),
					expectServers(serverPath(2, "replication_progress"), null),
					expectServers(serverPath(2, "add_date"), num(9223372036854775807)),
				},
			},
			{
				PreConfig: func() {
					paged.InjectFaults(emulator.Fault{Status: http.StatusServiceUnavailable, Path: "/v3/sources", Offset: new(4)})
				},
				Config: testsupport.ProviderBlock(paged, "") + `data "sms_source_servers" "wave" { page_size = 2 }`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectServers(tfjsonpath.New("total_count"), num(int64(n))),
					expectServers(tfjsonpath.New("servers"), knownvalue.ListSizeExact(n)),
					expectServers(serverPath(n-1, "id"), str(lastID.ID)),
				},
			},
		},
	})
	if paged.PendingFaults() != 0 {
		t.Errorf("the fault at offset 4 was never hit")
	}
}
