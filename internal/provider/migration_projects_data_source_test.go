package provider

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
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

func projectPath(i int, key string) tfjsonpath.Path {
	return tfjsonpath.New("migprojects").AtSliceIndex(i).AtMapKey(key)
}

// A page size the endpoint does not serve fails the plan before any request; a listing that
// names one project under two names, on both reads, and a denied request fail the read with
// what went wrong. Then pages of 2 read the four projects whole and in API order over three
// requests, each project with every field and exist_server as the fleet's servers say, while a
// summary reads one page of 100 and keeps only the count.
func TestMigrationProjectsDataSource_PagesErrorsAndValues(t *testing.T) {
	t.Parallel()
	fleet := emulator.GenerateFleet(5, 3)
	server := testsupport.StartEmulator(t, fleet.Options())
	projects := append([]string{emulator.DefaultMigrationProject}, emulator.MigrationProjects...)
	hasServers := map[string]bool{}
	for _, project := range fleet.ServerProjects {
		hasServers[project] = true
	}
	config := func(args string) string {
		return testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_migration_projects" "all" {` + "\n" + args + "\n}\n"
	}
	const all, summary = "data.sms_migration_projects.all", "data.sms_migration_projects.summary"
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(all, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(projects)))),
		statecheck.ExpectKnownValue(all, tfjsonpath.New("page_size"), knownvalue.Int64Exact(2)),
		statecheck.ExpectKnownValue(all, tfjsonpath.New("summary_only"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(all, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{16}$`))),
		statecheck.ExpectKnownValue(all, tfjsonpath.New("migprojects"), knownvalue.ListSizeExact(len(projects))),
		statecheck.ExpectKnownValue(all, projectPath(0, "name"), knownvalue.StringExact("default")),
		statecheck.ExpectKnownValue(all, projectPath(0, "isdefault"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(all, projectPath(2, "name"), knownvalue.StringExact("wave-2")),
		statecheck.ExpectKnownValue(all, projectPath(2, "description"), knownvalue.StringExact("Second wave: the databases")),
		statecheck.ExpectKnownValue(all, projectPath(2, "region"), knownvalue.StringExact("cn-north-4")),
		statecheck.ExpectKnownValue(all, projectPath(2, "speed_limit"), knownvalue.Int64Exact(300)),
		statecheck.ExpectKnownValue(all, projectPath(2, "syncing"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(all, projectPath(2, "start_target_server"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(all, projectPath(2, "use_public_ip"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(all, projectPath(2, "start_network_check"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(all, projectPath(2, "enterprise_project"), knownvalue.StringExact("default")),
		statecheck.ExpectKnownValue(all, projectPath(3, "type"), knownvalue.StringExact("MIGRATE_FILE")),
		statecheck.ExpectKnownValue(summary, tfjsonpath.New("migprojects"), knownvalue.Null()),
		statecheck.ExpectKnownValue(summary, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(projects)))),
		statecheck.ExpectKnownValue(summary, tfjsonpath.New("page_size"), knownvalue.Int64Exact(100)),
	}
	for i, id := range projects {
		checks = append(checks,
			statecheck.ExpectKnownValue(all, projectPath(i, "id"), knownvalue.StringExact(id)),
			statecheck.ExpectKnownValue(all, projectPath(i, "exist_server"), knownvalue.Bool(hasServers[id])))
	}
	if !hasServers[emulator.MigrationProjects[0]] || hasServers[emulator.DefaultMigrationProject] {
		t.Fatalf("the fleet needs servers in wave-1 and none in the default project: %v", hasServers)
	}
	page := func(limit, offset int) url.Values {
		return url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("page_size = 101"), ExpectError: regexp.MustCompile(`(?s)page_size.*between 1 and 100`)},
			{Config: config("page_size = 0"), ExpectError: regexp.MustCompile(`(?s)page_size.*between 1 and 100`)},
			{
				PreConfig: func() {
					if got := server.Stats().Requests; got != 0 {
						t.Errorf("invalid page sizes sent %d requests, want 0", got)
					}
					server.InjectFaults(emulator.Fault{Path: "/v3/migprojects", Times: 2,
						Body: `{"count":2,"migprojects":[{"id":"p-1","name":"wave-1"},{"id":"p-1","name":"wave-9"}]}`})
				},
				Config:      config(""),
				ExpectError: regexp.MustCompile(`(?s)Inconsistent SMS Migration Project List.*GET /v3/migprojects.*"p-1"\s+is\s+listed\s+as\s+"wave-1"\s+and\s+again\s+as\s+"wave-9".*No\s+migration\s+projects\s+were\s+written`),
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Status: http.StatusForbidden, Path: "/v3/migprojects",
						Body: `{"error_code":"SMS.0403","error_msg":"Forbidden"}`})
				},
				Config:      config(""),
				ExpectError: regexp.MustCompile(`(?s)SMS API Permission Denied.*HTTP\s+403.*SMS\.0403.*list\s+migration\s+projects.*sms:migproject:list`),
			},
			{
				PreConfig:         server.ResetStats,
				Config:            config("page_size = 2") + `data "sms_migration_projects" "summary" { summary_only = true }`,
				ConfigStateChecks: checks,
				Check: func(*terraform.State) error {
					return checkQuerySet(server.Queries(), []url.Values{page(2, 0), page(2, 1), page(2, 2), page(100, 0)})
				},
			},
		},
	})
}

// The direct encoding of migprojects writes the bytes the framework path would, for projects with
// every field, none, nulls, the ends of int64 and text beyond ASCII.
func TestMigrationProjectsEncoding_SameBytesAsFramework(t *testing.T) {
	t.Parallel()
	var projects []smsapi.MigrationProject
	if err := json.Unmarshal([]byte(`[
		{"id":"a","name":"wave-1","description":"two\nlines","isdefault":false,"region":"cn-north-4","start_target_server":true,
		 "speed_limit":9223372036854775807,"use_public_ip":false,"exist_server":true,"type":"MIGRATE_BLOCK",
		 "enterprise_project":"default","syncing":false,"start_network_check":true},
		{},
		{"id":null,"name":"迁移项目-ü","speed_limit":-9223372036854775808,"description":""}]`), &projects); err != nil {
		t.Fatal(err)
	}
	typ := terraformTypeOf(migprojectsAttribute().GetType())
	got, err := migprojectsEncoding.Encode(projects)
	if err != nil {
		t.Fatal(err)
	}
	checkSameEncoding(t, typ, apiValue(reflect.ValueOf(projects), typ), got)
}
