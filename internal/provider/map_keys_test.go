package provider

import (
	"encoding/json"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// Two tasks whose ids differ only in Unicode normalization would be one key of task_states in
// Terraform, holding either task's state depending on the run; two states that differ that way
// would be one key of state_counts. Both fail the read, naming the keys, on every run.
func TestTasksDataSource_KeysTerraformCannotTellApartFail(t *testing.T) {
	t.Parallel()
	ids := emulator.Options{Tasks: []json.RawMessage{
		json.RawMessage(`{"id":"caf\u00e9","state":"MIGRATE_SUCCESS"}`),
		json.RawMessage(`{"id":"cafe\u0301","state":"MIGRATE_FAIL"}`),
	}}
	states := emulator.Options{Tasks: []json.RawMessage{
		json.RawMessage(`{"id":"a","state":"D\u00c9J\u00c0"}`),
		json.RawMessage(`{"id":"b","state":"DE\u0301JA\u0300"}`),
	}}
	idServer, stateServer := testsupport.StartEmulator(t, ids), testsupport.StartEmulator(t, states)
	expectErrors(t, []errorCase{
		{name: "ids", config: testsupport.ProviderBlock(idServer, "") + `data "sms_tasks" "all" {}`,
			want: `(?s)Ambiguous SMS Tasks Keys.*task_states would hold the keys "caf\\u00e9" and\s+"cafe\\u0301"`},
		{name: "states", config: testsupport.ProviderBlock(stateServer, "") + `data "sms_tasks" "all" {}`,
			want: `(?s)Ambiguous SMS Tasks Keys.*state_counts would hold the keys`},
	})
}

func TestCheckMapKeys(t *testing.T) {
	t.Parallel()
	if err := checkMapKeys("m", map[string]int{"café": 1, "cafe": 2, "naïve": 3}); err != nil {
		t.Errorf("distinct keys in form C: %v", err)
	}
	if err := checkMapKeys("m", map[string]int{"cafe\u0301": 1, "x": 2}); err != nil {
		t.Errorf("one key not in form C, without a twin: %v", err)
	}
	for name, m := range map[string]map[string]int{
		"composed and decomposed":  {"caf\u00e9": 1, "cafe\u0301": 2},
		"two decomposed spellings": {"\u1e0b\u0323": 1, "d\u0323\u0307": 2, "d\u0307\u0323": 3},
		"decomposed and reordered": {"q\u0307\u0323": 1, "q\u0323\u0307": 2},
	} {
		if err := checkMapKeys("m", m); err == nil {
			t.Errorf("%s: no collision found", name)
		}
	}
}
