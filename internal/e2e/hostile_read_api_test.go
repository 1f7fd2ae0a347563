package e2e_test

import (
	"maps"
	"testing"
)

// readAPIDataSources are the data sources of the rest of the read API, each with the path it
// reads and an answer it accepts.
var readAPIDataSources = []struct {
	typ, args, path, good string
}{
	{"sms_source_server", `source_id = "s-1"`, "/v3/sources/s-1", `{"id":"s-1","name":"db-1","state":"waiting"}`},
	{"sms_migration_project", `mig_project_id = "p-1"`, "/v3/migprojects/p-1", `{"name":"wave-1","type":"MIGRATE_BLOCK"}`},
	{"sms_migration_projects", ``, "/v3/migprojects", `{"count":1,"migprojects":[{"id":"p-1","name":"wave-1"}]}`},
	{"sms_source_server_errors", ``, "/v3/errors", `{"count":0,"migration_errors":[]}`},
	{"sms_server_template", `id = "t-1"`, "/v3/vm/templates/t-1", `{"template":{"id":"t-1","name":"tpl-1"}}`},
	{"sms_server_templates", ``, "/v3/vm/templates", `{"count":1,"templates":[{"id":"t-1","name":"tpl-1"}]}`},
	{"sms_task_consistency_result", `task_id = "k-1"`, "/v3/tasks/k-1/consistency-result", `{"task_id":"k-1","result_list":[]}`},
	{"sms_task_speed_limits", `task_id = "k-1"`, "/v3/tasks/k-1/speed-limit", `{"speed_limit":[]}`},
	{"sms_task_configuration", `task_id = "k-1"`, "/v3/tasks/k-1/configuration-setting", `{"task_id":"k-1","migrate_type":"LINUX_MIGRATE_BLOCK","configurations":[]}`},
	{"sms_agent_config", ``, "/v3/config", `{"config":{"mainRegion":"cn-north-4"},"regions":[]}`},
}

// Every data source of the rest of the read API fails its read, naming the request id and
// keeping the state it had, when a 200 answer is not its answer at all: JSON null, an array, an
// empty object, an error with no data, an HTML page of a gateway. Each body kind is served by an
// API of its own to every data source at once, through one provider alias, in one terraform run.
func TestE2E_ReadAPIAnswersThatAreNotTheAnswerFail(t *testing.T) {
	t.Parallel()
	kinds := map[string]string{
		"null":          `null`,
		"array":         `[]`,
		"empty object":  `{}`,
		"only an error": `{"error_code":"SMS.2007","error_msg":"backend exception"}`,
		"html":          `<html><body>502 Bad Gateway</body></html>`,
	}
	good := map[string]string{}
	for _, ds := range readAPIDataSources {
		good[ds.path] = ds.good
	}
	apis := map[string]*hostileAPI{}
	config := smsVersions
	for kind := range kinds {
		alias := hclName(kind)
		apis[kind] = newHostileAPI(t, good)
		config += apis[kind].aliasedProviderBlock(alias)
		for _, ds := range readAPIDataSources {
			config += `data "` + ds.typ + `" "` + alias + `" {
  provider = sms.` + alias + `
  ` + ds.args + `
}
`
		}
	}
	h := newHarness(t)
	h.Write("main.tf", config)
	mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	for kind, body := range kinds {
		bad := maps.Clone(good)
		for path := range bad {
			bad[path] = body
		}
		apis[kind].Set(bad)
	}
	errs := failedApplyErrors(t, h, len(kinds)*len(readAPIDataSources))
	for kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			for _, ds := range readAPIDataSources {
				mustHaveError(t, errs, "data."+ds.typ+"."+hclName(kind), "Invalid SMS API Response", "rid-hostile")
			}
		})
	}
}

// A listing of the rest of the read API whose pages hold fewer items than its count, on both
// reads, fails as inconsistent instead of handing a gate part of the list.
func TestE2E_ReadAPIListingsThatContradictTheirCountFail(t *testing.T) {
	t.Parallel()
	api := newHostileAPI(t, map[string]string{
		"/v3/migprojects":  `{"count":3,"migprojects":[{"id":"p-1","name":"wave-1"}]}`,
		"/v3/errors":       `{"count":2,"migration_errors":[{"source_id":"s-1","error_json":"{}"}]}`,
		"/v3/vm/templates": `{"count":5,"templates":[{"id":"t-1","name":"tpl-1"}]}`,
	})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_migration_projects" "all" {}
data "sms_source_server_errors" "all" {}
data "sms_server_templates" "all" {}
`)
	r := mustFail(t, h.Run("plan", "-no-color"))
	errs := errorsByAddress(t, r)
	for address, list := range map[string]string{
		"data.sms_migration_projects.all":   "Inconsistent SMS Migration Project List",
		"data.sms_source_server_errors.all": "Inconsistent SMS",
		"data.sms_server_templates.all":     "Inconsistent SMS Server Template List",
	} {
		mustHaveError(t, errs, address, list, "rid-hostile")
	}
	if got := api.requests.Load(); got != 6 {
		t.Errorf("%d requests, want 6: each listing's one page, read twice", got)
	}
}
