package provider

import (
	"bytes"
	"fmt"
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

// emulatorErrors asks the emulator for GET /v3/errors with query, as the tests' expectation.
func emulatorErrors(t *testing.T, server *emulator.Server, query string) []smsapi.MigrationError {
	t.Helper()
	body := testsupport.EmulatorGet(t, server, "/v3/errors?"+query)
	return testsupport.DecodeJSON[smsapi.ListSourceServerErrorsResponse](t, body).MigrationErrors
}

// A page size beyond the endpoint's fails the plan. Then every page of the errors is read with
// small pages, whole, in API order and with error_json as the API sent it, beside the errors of
// one enterprise project and a summary; each request asks for pages of 2 and the filter is sent
// only where it is set. Last, an answer that holds its errors under another key fails the read
// instead of reading as no errors.
func TestSourceServerErrorsDataSource_PagesFilterAndSummary(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.GenerateFleet(60, 8).Options())
	all := emulatorErrors(t, server, "offset=0&limit=100")
	project := emulator.EnterpriseProjects[0]
	inProject := emulatorErrors(t, server, "offset=0&limit=100&enterprise_project_id="+project)
	if len(all) < 5 || len(inProject) == 0 || len(inProject) == len(all) {
		t.Fatalf("the fleet needs 5 failed servers, some in %s: %d, %d", project, len(all), len(inProject))
	}
	codes := map[string]knownvalue.Check{}
	for _, e := range all {
		code := emulator.MigrationErrorCode(*e.SourceID)
		n := int64(0)
		for _, f := range all {
			if emulator.MigrationErrorCode(*f.SourceID) == code {
				n++
			}
		}
		codes[code] = knownvalue.Int64Exact(n)
	}
	const allAddr, projectAddr, summaryAddr = "data.sms_source_server_errors.all", "data.sms_source_server_errors.project",
		"data.sms_source_server_errors.summary"
	entry := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("migration_errors").AtSliceIndex(i).AtMapKey(key)
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(all)))),
		statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("migration_errors"), knownvalue.ListSizeExact(len(all))),
		statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("page_size"), knownvalue.Int64Exact(2)),
		statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("error_code_counts"), knownvalue.MapExact(codes)),
		statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(inProject)))),
		statecheck.ExpectKnownValue(projectAddr, entry(0, "source_id"), knownvalue.StringExact(*inProject[0].SourceID)),
		statecheck.ExpectKnownValue(summaryAddr, tfjsonpath.New("migration_errors"), knownvalue.Null()),
		statecheck.ExpectKnownValue(summaryAddr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(all)))),
		statecheck.ExpectKnownValue(summaryAddr, tfjsonpath.New("page_size"), knownvalue.Int64Exact(100)),
	}
	for i, e := range all {
		checks = append(checks,
			statecheck.ExpectKnownValue(allAddr, entry(i, "source_id"), knownvalue.StringExact(*e.SourceID)),
			statecheck.ExpectKnownValue(allAddr, entry(i, "error_json"), knownvalue.StringExact(*e.ErrorJSON)),
			statecheck.ExpectKnownValue(allAddr, entry(i, "host_name"), knownvalue.StringExact(*e.HostName)))
		if e.TargetIP == nil {
			checks = append(checks, statecheck.ExpectKnownValue(allAddr, entry(i, "target_ip"), knownvalue.Null()))
		}
	}
	var wantQueries []url.Values
	for off := range len(all) - 1 {
		wantQueries = append(wantQueries, url.Values{"limit": {"2"}, "offset": {strconv.Itoa(off)}})
	}
	for off := range max(len(inProject)-1, 1) {
		wantQueries = append(wantQueries, url.Values{"limit": {"2"}, "offset": {strconv.Itoa(off)}, "enterprise_project_id": {project}})
	}
	wantQueries = append(wantQueries, url.Values{"limit": {"100"}, "offset": {"0"}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testsupport.ProviderBlock(server, "") + `data "sms_source_server_errors" "all" { page_size = 101 }`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)page_size.*between 1 and 100`),
			},
			{
				PreConfig: server.ResetStats,
				Config: testsupport.ProviderBlock(server, "") + fmt.Sprintf(`
data "sms_source_server_errors" "all" { page_size = 2 }
data "sms_source_server_errors" "project" {
  enterprise_project_id = %q
  page_size             = 2
}
data "sms_source_server_errors" "summary" { summary_only = true }`, project),
				ConfigStateChecks: checks,
				Check: func(*terraform.State) error {
					return checkQuerySet(server.Queries(), wantQueries)
				},
			},
			{
				PreConfig: func() {
					server.InjectFaults(emulator.Fault{Path: "/v3/errors",
						Body: `{"count":2,"errors":[{"source_id":"a"},{"source_id":"b"}]}`})
				},
				Config:      testsupport.ProviderBlock(server, "max_retries = 0") + `data "sms_source_server_errors" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)GET /v3/errors.*"migration_errors"\s+is\s+missing\s+or\s+null\s+while\s+"count"\s+is\s+2`),
			},
		},
	})
}

// The direct encoding of migration_errors writes the same bytes as the framework's path, over
// the emulator's errors and entries of nulls, empty strings and a multi-line error_json.
func TestDirectEncoding_MigrationErrorsSameBytesAsFramework(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.GenerateFleet(60, 8).Options())
	items := append(emulatorErrors(t, server, "offset=0&limit=100"),
		smsapi.MigrationError{}, smsapi.MigrationError{ErrorJSON: new(""), HostName: new(""), TargetIP: new("")},
		smsapi.MigrationError{ErrorJSON: new("{\"error_code\":\"SMS.0203\",\n\"error_msg\":\"timed out\"}"), SourceID: new("s")})
	typ := terraformTypeOf(migrationErrorsAttribute().GetType())
	for _, list := range [][]smsapi.MigrationError{items, {}} {
		got, err := migrationErrorsEncoding.Encode(list)
		if err != nil {
			t.Fatal(err)
		}
		checkSameEncoding(t, typ, apiValue(reflect.ValueOf(list), typ), got)
		if len(list) > 0 && !bytes.Contains(got, []byte("error_json")) {
			t.Error("the encoding lacks error_json")
		}
	}
}

// error_code_counts counts a code only where error_json is an object with a non-empty string
// error_code.
func TestErrorCode_OnlyFromAnObjectWithACode(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"error_code":"SMS.0203","error_msg":"x"}`: "SMS.0203",
		`{"error_code":""}`:                         "",
		`{"error_code":3}`:                          "",
		`["SMS.0203"]`:                              "",
		`SMS.0203: timed out`:                       "",
	} {
		got := errorCode(&smsapi.MigrationError{ErrorJSON: &body})
		if (got == nil) != (want == "") || got != nil && *got != want {
			t.Errorf("errorCode(%s) = %v, want %q", body, got, want)
		}
	}
	if errorCode(&smsapi.MigrationError{}) != nil {
		t.Error("a null error_json has a code")
	}
}
