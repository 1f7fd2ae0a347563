package e2e_test

import (
	"fmt"
	"testing"
)

// A 200 whose top-level error_code, error_msg, their camel-case forms or an "error" object hold
// anything but null, "" or an empty object is an error answer, whatever else it holds: each of
// the four data sources fails with the code and message, in one apply through a provider alias
// per case. A counter named "error" (the overview's) and empty error keys are no error.
func TestE2E_ErrorAnswersThatAreNotStringsFail(t *testing.T) {
	t.Parallel()
	const task = `{"id":"abc-123","name":"wave-1","state":"MIGRATE_SUCCESS"}`
	cases := []struct {
		name, dataSource, path, body string
		want                         []string // in the error; none for a case that must read
	}{
		{"number code beside tasks", "sms_tasks", "/v3/tasks", `{"count":1,"tasks":[` + task + `],"error_code":500}`,
			[]string{"answered with an error instead of a task list (error_code 500)"}},
		{"boolean code", "sms_tasks", "/v3/tasks", `{"count":1,"tasks":[` + task + `],"error_code":true,"error_msg":"busy"}`,
			[]string{"(error_code true): busy"}},
		{"gateway error object", "sms_tasks", "/v3/tasks", `{"count":0,"tasks":[],"error":{"code":403,"message":"Forbidden by policy"}}`,
			[]string{"(error_code 403): Forbidden by policy"}},
		{"object code beside servers", "sms_source_servers", "/v3/sources",
			`{"count":1,"source_servers":[{"id":"s1","state":"finished"}],"error_code":{"id":"SMS.0001"}}`,
			[]string{`error_code {"id":"SMS.0001"}`}},
		{"key in another case", "sms_source_servers", "/v3/sources",
			`{"count":1,"source_servers":[{"id":"s1","state":"finished"}],"Error_Code":403}`,
			[]string{"(error_code 403)"}},
		{"camel case beside a task", "sms_task", "/v3/tasks/abc-123",
			`{"id":"abc-123","state":"MIGRATE_SUCCESS","errorCode":"APIGW.0301","errorMsg":"Incorrect IAM authentication information"}`,
			[]string{"(error_code APIGW.0301): Incorrect IAM authentication information"}},
		{"IAM error object beside counters", "sms_source_server_overview", "/v3/sources/overview",
			`{"waiting":2,"finished":5,"error":{"code":"APIGW.0308","message":"The request is throttled"}}`,
			[]string{"(error_code APIGW.0308): The request is throttled"}},
		{"error counter", "sms_source_server_overview", "/v3/sources/overview", `{"waiting":2,"error":3}`, nil},
		{"empty error keys", "sms_tasks", "/v3/tasks",
			`{"count":1,"tasks":[` + task + `],"error_code":null,"error_msg":"","errorCode":{},"error":[]}`, nil},
	}
	config := smsVersions
	failing := 0
	for _, tc := range cases {
		id := hclName(tc.name)
		api := newHostileAPI(t, map[string]string{tc.path: tc.body})
		body := ""
		if tc.dataSource == "sms_task" {
			body = "\n  task_id  = \"abc-123\""
		}
		config += api.aliasedProviderBlock(id) + fmt.Sprintf("data %q %q {\n  provider = sms.%s%s\n}\n", tc.dataSource, id, id, body)
		if tc.want != nil {
			failing++
		}
	}
	h := newHarness(t)
	h.Write("main.tf", config)
	errs := failedApplyErrors(t, h, failing)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			address := "data." + tc.dataSource + "." + hclName(tc.name)
			if tc.want == nil {
				if text, ok := errs[address]; ok {
					t.Errorf("want %s read, got:\n%s", address, text)
				}
				return
			}
			mustHaveError(t, errs, address, append([]string{"Error: Invalid SMS API Response", "rid-hostile"}, tc.want...)...)
		})
	}
}
