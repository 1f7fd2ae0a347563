package provider

import (
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// NewTaskConsistencyResultDataSource is sms_task_consistency_result: what the consistency checks
// of one migration task found, GET /v3/tasks/{task_id}/consistency-result, with a derived `clean`
// for a decommission gate.
func NewTaskConsistencyResultDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.TaskConsistencyResult]{typeName: "_task_consistency_result", target: taskConsistencyResultTarget,
		id: taskIDArgument, show: (*smsapi.Client).ShowTaskConsistencyResult,
		description: "Reads what the consistency checks of one Huawei Cloud SMS migration task found " +
			"(`GET /v3/tasks/{task_id}/consistency-result`): per check and per directory, the number of files checked, " +
			"different, missing on the target and extra on the target, and a derived `clean` for a decommission gate. " +
			"One request per read. `result_list` is an empty list for a task that has run no check. " +
			"The API reference describes each check as an object and the SDK as a string: a string holding a check " +
			"object as JSON is read as that object, and any other string is kept whole in `text` (never `clean`). " +
			"The read fails, writing nothing, when the answer names another task, lacks `result_list`, or has a " +
			"directory without its name or one of its counts, or with a negative count."}
}

// The API reference names the IAM action of this request.
var taskConsistencyResultTarget = readTarget{
	dataSource: "sms_task_consistency_result", request: "GET /v3/tasks/{task_id}/consistency-result",
	what: "task consistency result", title: "SMS Task Consistency Result", body: "a task's consistency result",
	permission: "read a task's consistency result: grant the IAM policy action sms:server:getConsistencyCheckResult",
}

// consistencyResultDerivedAttributes are the attributes of the whole answer that the API does not
// return.
var consistencyResultDerivedAttributes = []derivedAttribute{{
	name: "clean",
	attribute: computedBool("Derived by the provider, not returned by the API: true when `result_list` holds at " +
		"least one check and every check is `clean`, older checks included; false for a task without checks. " +
		"The gate of a decommission: `postcondition { condition = self.clean }`."),
	value: func(v reflect.Value) tftypes.Value {
		r, ok := v.Addr().Interface().(*smsapi.TaskConsistencyResult)
		return tftypes.NewValue(tftypes.Bool, ok && r.Clean())
	},
}}

// consistencyCheckDerivedAttributes are the attributes of a check that the API does not return.
var consistencyCheckDerivedAttributes = []derivedAttribute{{
	name: "clean",
	attribute: computedBool("Derived by the provider, not returned by the API: true when the check compared at " +
		"least one directory and found no different, missing or extra file in any; false otherwise, and for a " +
		"check kept as `text`. `check_result` is not considered, since the references do not list its values."),
	value: func(v reflect.Value) tftypes.Value {
		c, ok := v.Addr().Interface().(*smsapi.ConsistencyCheck)
		return tftypes.NewValue(tftypes.Bool, ok && c.Clean())
	},
}}
