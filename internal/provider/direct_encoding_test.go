package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// edgeTasks are tasks at the edges of the encoding: every field null or absent, empty lists,
// integers beyond 2^53 and at the ends of int64, whole floats beyond int64 (which terraform-plugin-go
// writes as digits), negative zero, fractions, unicode, strings at each msgpack length class and
// lists of 16 and more elements.
func edgeTasks(longest int) []json.RawMessage {
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	subTasks := make([]string, 17)
	for i := range subTasks {
		subTasks[i] = fmt.Sprintf(`{"id":%d,"name":"STEP_%d","progress":%d,"start_date":1700000000000,"end_date":null}`, 1<<i, i, 6*i)
	}
	tasks := []string{
		`{}`,
		`{"id":null,"name":null,"sub_tasks":null,"source_server":null,"target_server":null,"clone_server":null,` +
			`"network_check_info":null,"special_config":null,"syncing":null}`,
		`{"id":"empty-lists","name":"","sub_tasks":[],"special_config":[],"source_server":{},"target_server":{},` +
			`"clone_server":{},"network_check_info":{},"priority":0,"syncing":false,"start_target_server":true}`,
		`{"id":"numbers","create_date":9223372036854775807,"estimate_complete_time":-9223372036854775808,` +
			`"total_time":9007199254740993,"priority":-1,"speed_limit":-33,"migrate_speed":1e20,"compress_rate":-0.0,` +
			`"total_cpu_usage":0.1,"agent_cpu_usage":1023,"total_mem_usage":1024,"agent_mem_usage":-1e300,` +
			`"total_disk_io":4294967296,"agent_disk_io":65536.5,"sub_tasks":[{"id":-129,"progress":-32769,` +
			`"start_date":-2147483649,"end_date":255}],"network_check_info":{"network_delay":9.2233720368547758e18,` +
			`"network_jitter":-9.2233720368547758e18,"loss_percentage":100,"cpu_usage":3.5e-7,"mem_usage":1.7976931348623157e308}}`,
		`{"id":"unicode","name":"迁移任务-ü-🚀","os_type":"LINUX","error_json":` + quote(strings.Repeat("é", 16)) +
			`,"migration_ip":` + quote(strings.Repeat("x", 31)) + `,"subtask_info":` + quote(strings.Repeat("y", 32)) +
			`,"enterprise_project_id":` + quote(strings.Repeat("z", 255)) + `,"log_collect_status":` + quote(strings.Repeat("w", 256)) +
			`,"source_server":{"name":` + quote(strings.Repeat("s", longest)) + `,"oem_system":true},` +
			`"special_config":[{"config_key":"EXCLUDE_MIGRATE_PATH","config_value":"/tmp\u0000/x","config_status":null}],` +
			`"sub_tasks":[` + strings.Join(subTasks, ",") + `]}`,
	}
	out := make([]json.RawMessage, len(tasks))
	for i, task := range tasks {
		out[i] = json.RawMessage(task)
	}
	return out
}

// tasksTFType is the type of the tasks attribute, as the schema derives it.
var tasksTFType = terraformTypeOf(tasksAttribute().GetType())

// decodeAPITasks decodes task JSON the way the client does, into the client's own structs.
func decodeAPITasks(tb testing.TB, raw []json.RawMessage) []smsapi.Task {
	tb.Helper()
	list := []byte("[")
	for i, r := range raw {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, r...)
	}
	tasks := []smsapi.Task{}
	if err := json.Unmarshal(append(list, ']'), &tasks); err != nil {
		tb.Fatalf("decoding tasks: %v", err)
	}
	return tasks
}

// The direct encoding writes the very bytes terraform-plugin-go writes for the framework path's value,
// and they decode to the same value, on the API reference example, generated fleets and the
// edge cases. Three hundred generated tasks from two seeds cover the statements of the encoder
// and the client's decoding that a thousand do (go test -coverprofile); the edge cases hold what
// size alone brings, such as a string too long for a 16-bit length.
func TestDirectEncoding_SameBytesAsFramework(t *testing.T) {
	t.Parallel()
	fleets := map[string][]json.RawMessage{
		"reference example": emulator.ExampleTasks(),
		"generated seed 1":  emulator.GenerateTasks(200, 1),
		"generated seed 9":  emulator.GenerateTasks(100, 9),
		"edge cases":        edgeTasks(70000),
		"no tasks":          nil,
	}
	for name, raw := range fleets {
		t.Run(name, func(t *testing.T) {
			tasks := decodeAPITasks(t, raw)
			got, err := tasksEncoding.Encode(tasks)
			if err != nil {
				t.Fatal(err)
			}
			checkSameEncoding(t, tasksTFType, apiValue(reflect.ValueOf(tasks), tasksTFType), got)
		})
	}
}

// checkSameEncoding compares a direct encoding with the msgpack terraform-plugin-go writes for
// the framework path's value of type typ: the same bytes, and the same value once both are
// decoded.
func checkSameEncoding(t *testing.T, typ tftypes.Type, reference tftypes.Value, got []byte) {
	t.Helper()
	wantValue, err := tfprotov6.NewDynamicValue(typ, reference)
	if err != nil {
		t.Fatal(err)
	}
	want := wantValue.MsgPack
	decoded, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(typ)
	if err != nil {
		t.Fatalf("the direct encoding does not decode: %v", err)
	}
	if bytes.Equal(got, want) {
		// The same bytes decode to the same value, so comparing the decoded values could not
		// fail; it is left for bytes that differ, where it tells which value is wrong.
		return
	}
	// Terraform sees values decoded from msgpack, so both sides are compared decoded: a number
	// beyond float64's integers decodes with more precision than it was built with.
	wantDecoded, err := wantValue.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !decoded.Equal(wantDecoded) {
		diffs, _ := decoded.Diff(wantDecoded)
		t.Errorf("the direct encoding decodes to a different value; %d differences, first: %v", len(diffs), diffs[:min(len(diffs), 3)])
	}
	at := 0
	for at < min(len(got), len(want)) && got[at] == want[at] {
		at++
	}
	t.Errorf("bytes differ from byte %d of %d (framework %d bytes)", at, len(got), len(want))
}
