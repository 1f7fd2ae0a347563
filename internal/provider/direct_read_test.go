package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
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

// The direct encoding writes the very bytes terraform-plugin-go writes for the flattener's value,
// and they decode to the same value, on the API reference example, generated fleets and the
// edge cases.
func TestDirectEncoding_SameBytesAsFramework(t *testing.T) {
	fleets := map[string][]json.RawMessage{
		"reference example": emulator.ExampleTasks(),
		"generated seed 1":  emulator.GenerateTasks(700, 1),
		"generated seed 9":  emulator.GenerateTasks(300, 9),
		"edge cases":        edgeTasks(70000),
		"no tasks":          nil,
	}
	for name, raw := range fleets {
		t.Run(name, func(t *testing.T) {
			tasks := decodeAPITasks(t, raw)
			reference := flattenTasks(tasks)
			wantValue, err := tfprotov6.NewDynamicValue(tasksTFType, reference)
			if err != nil {
				t.Fatal(err)
			}
			want := wantValue.MsgPack
			got := tasksEncoding.encode(tasks)
			if size := tasksEncoding.value(tasks).size; size != len(got) {
				t.Errorf("planned size %d, written %d bytes", size, len(got))
			}
			decoded, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(tasksTFType)
			if err != nil {
				t.Fatalf("the direct encoding does not decode: %v", err)
			}
			// Terraform sees values decoded from msgpack, so both sides are compared decoded: a
			// number beyond float64's integers decodes with more precision than it was built with.
			wantDecoded, err := wantValue.Unmarshal(tasksTFType)
			if err != nil {
				t.Fatal(err)
			}
			if !decoded.Equal(wantDecoded) {
				diffs, _ := decoded.Diff(wantDecoded)
				t.Errorf("the direct encoding decodes to a different value; %d differences, first: %v", len(diffs), diffs[:min(len(diffs), 3)])
			}
			if !bytes.Equal(got, want) {
				at := 0
				for at < min(len(got), len(want)) && got[at] == want[at] {
					at++
				}
				t.Errorf("bytes differ from byte %d of %d (framework %d bytes)", at, len(got), len(want))
			}
		})
	}
}

// A listing struct that does not match its schema fails when the encoding is planned.
func TestDirectEncoding_PlanRejectsMismatch(t *testing.T) {
	type noState struct {
		ID *string `json:"id"`
	}
	type wrongKind struct {
		ID    *int64  `json:"id"`
		State *string `json:"state"`
	}
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "state": tftypes.String}}
	for name, goValue := range map[string]any{"missing field": noState{}, "wrong kind": wrongKind{}} {
		if _, err := planObject(reflect.TypeOf(goValue), objType); err == nil {
			t.Errorf("%s: planObject accepted a struct that does not match the schema", name)
		}
	}
}

const (
	nullTasks = -1
	someTasks = -2
)

// readCase is one ReadDataSource call made through both servers.
type readCase struct {
	tasks      []json.RawMessage
	latency    time.Duration
	faults     []emulator.Fault
	set        func(dsType tftypes.Object) map[string]tftypes.Value
	deferral   bool // the provider's endpoint is unknown and the client allows deferral
	wantError  string
	wantWarn   string
	wantTasks  int // nullTasks: the tasks attribute is null; someTasks: at least one
	wantUnread bool
}

// Through the whole RPC, the server main serves answers what the framework alone answers: the same
// state value, the same diagnostics, the same deferral, for successful reads, summary_only,
// filters, timeouts, warnings, API errors, read timeouts and deferred reads.
func TestDirectRead_SameResponseAsFramework(t *testing.T) {
	timeouts := func(read string) func(tftypes.Object) map[string]tftypes.Value {
		return func(dsType tftypes.Object) map[string]tftypes.Value {
			objType := dsType.AttributeTypes["timeouts"].(tftypes.Object)
			return map[string]tftypes.Value{"timeouts": tftypes.NewValue(objType, map[string]tftypes.Value{
				"read": tftypes.NewValue(tftypes.String, read),
			})}
		}
	}
	setOne := func(name string, v tftypes.Value) func(tftypes.Object) map[string]tftypes.Value {
		return func(tftypes.Object) map[string]tftypes.Value { return map[string]tftypes.Value{name: v} }
	}
	generated := emulator.GenerateTasks(1000, 3)
	overCap := `{"count":70000,"tasks":[` + string(bytes.Join(toBytes(generated[:200]), []byte(","))) + `]}`
	cases := map[string]readCase{
		"reference example":   {tasks: emulator.ExampleTasks(), wantTasks: len(emulator.ExampleTasks())},
		"generated fleet":     {tasks: generated, wantTasks: 1000},
		"edge cases":          {tasks: edgeTasks(300), wantTasks: 5},
		"no tasks":            {wantTasks: 0},
		"summary_only":        {tasks: generated, set: setOne("summary_only", tftypes.NewValue(tftypes.Bool, true)), wantTasks: nullTasks},
		"state filter":        {tasks: generated, set: setOne("state", tftypes.NewValue(tftypes.String, "MIGRATE_FAIL")), wantTasks: someTasks},
		"timeouts block":      {tasks: generated, set: timeouts("5m"), wantTasks: 1000},
		"incomplete list":     {tasks: generated[:200], faults: []emulator.Fault{{Body: overCap, Offset: new(0)}}, wantWarn: "Incomplete SMS Task List", wantTasks: 200},
		"API error":           {tasks: generated, faults: []emulator.Fault{{Status: 403, Offset: new(200)}}, wantError: "403"},
		"invalid API answer":  {tasks: generated, faults: []emulator.Fault{{MalformedJSON: true}}, wantError: "Invalid SMS API Response"},
		"read timeout":        {tasks: generated, latency: 2 * time.Second, set: timeouts("100ms"), wantError: "SMS Tasks Read Timed Out"},
		"deferred":            {tasks: generated, deferral: true, wantUnread: true},
		"invalid timeouts":    {tasks: generated, set: timeouts("soon"), wantError: "Timeout Cannot Be Parsed"},
		"filtered to nothing": {tasks: generated, set: setOne("name", tftypes.NewValue(tftypes.String, "no-such-task")), wantTasks: 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			direct := readThrough(t, NewServer("test"), c)
			reference := readThrough(t, providerserver.NewProtocol6WithError(New("test")()), c)
			if direct.diagnostics != reference.diagnostics {
				t.Errorf("diagnostics differ:\ndirect:    %s\nframework: %s", direct.diagnostics, reference.diagnostics)
			}
			if direct.deferred != reference.deferred {
				t.Errorf("deferred: direct %q, framework %q", direct.deferred, reference.deferred)
			}
			switch {
			case direct.state.Type() == nil || reference.state.Type() == nil:
				if direct.state.Type() != nil || reference.state.Type() != nil {
					t.Errorf("state: direct %v, framework %v", direct.state, reference.state)
				}
			case !direct.state.Equal(reference.state):
				diffs, _ := direct.state.Diff(reference.state)
				t.Errorf("states differ in %d places, first: %v", len(diffs), diffs[:min(len(diffs), 3)])
			}
			// The case must be what it claims to be, or the comparison proves little.
			checkReadCase(t, c, direct)
		})
	}
}

// readResult is what one ReadDataSource call answered, normalised for comparison: request ids
// differ between calls.
type readResult struct {
	state       tftypes.Value
	diagnostics string
	deferred    string
}

var requestIDPattern = regexp.MustCompile(`[0-9a-f]{32}`)

func readThrough(t *testing.T, newServer func() (tfprotov6.ProviderServer, error), c readCase) readResult {
	t.Helper()
	server := startEmulator(t, emulator.Options{Tasks: c.tasks, Latency: c.latency})
	server.InjectFaults(c.faults...)
	ctx := context.Background()
	srv, dsType := configuredProviderServer(t, newServer, server.URL())
	if c.deferral {
		srv = deferredProviderServer(t, newServer)
	}
	var set map[string]tftypes.Value
	if c.set != nil {
		set = c.set(dsType)
	}
	config := dynamicValue(t, dsType, set)
	resp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: "sms_tasks", Config: &config,
		ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	var r readResult
	for _, d := range resp.Diagnostics {
		r.diagnostics += fmt.Sprintf("[%s] %s: %s (%v)\n", d.Severity, d.Summary, requestIDPattern.ReplaceAllString(d.Detail, "<id>"), d.Attribute)
	}
	if resp.Deferred != nil {
		r.deferred = resp.Deferred.Reason.String()
	}
	if resp.State != nil {
		if r.state, err = resp.State.Unmarshal(dsType); err != nil {
			t.Fatalf("state does not decode: %v", err)
		}
	}
	return r
}

// deferredProviderServer is a server whose provider configuration has an unknown endpoint, from a
// client that allows deferral.
func deferredProviderServer(t *testing.T, newServer func() (tfprotov6.ProviderServer, error)) tfprotov6.ProviderServer {
	t.Helper()
	ctx := context.Background()
	srv, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	config := dynamicValue(t, providerType, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"token":    tftypes.NewValue(tftypes.String, testToken),
	})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: &config, ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The framework keeps the deferral to itself and answers later reads with it.
	failOnDiagnostics(t, "ConfigureProvider", resp.Diagnostics)
	return srv
}

func checkReadCase(t *testing.T, c readCase, r readResult) {
	t.Helper()
	if c.wantError != "" || c.wantWarn != "" {
		for _, want := range []string{c.wantError, c.wantWarn} {
			if !strings.Contains(r.diagnostics, want) {
				t.Errorf("diagnostics lack %q: %s", want, r.diagnostics)
			}
		}
	} else if r.diagnostics != "" {
		t.Errorf("unexpected diagnostics: %s", r.diagnostics)
	}
	if c.wantError != "" {
		return
	}
	if c.wantUnread {
		if r.deferred == "" || r.state.IsKnown() {
			t.Errorf("want a deferred read with an unknown state, got deferred %q, state %v", r.deferred, r.state)
		}
		return
	}
	var attrs map[string]tftypes.Value
	if err := r.state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var tasks []tftypes.Value
	if err := attrs["tasks"].As(&tasks); err != nil {
		t.Fatal(err)
	}
	switch {
	case c.wantTasks == nullTasks:
		if !attrs["tasks"].IsNull() {
			t.Errorf("tasks: want null, got %d", len(tasks))
		}
	case c.wantTasks == someTasks:
		if len(tasks) == 0 {
			t.Error("tasks: want some, got none")
		}
	case attrs["tasks"].IsNull() || len(tasks) != c.wantTasks:
		t.Errorf("tasks: got %d (null %t), want %d", len(tasks), attrs["tasks"].IsNull(), c.wantTasks)
	}
}

// Under the server main serves, the framework's state leaves the tasks null and the data source
// hands them to the server, which writes them in; so the comparisons above compare two different
// paths, not the framework with itself.
func TestDirectRead_TasksBypassTheFramework(t *testing.T) {
	server := startEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(30, 2)})
	srv, dsType := configuredProviderServer(t, NewServer("test"), server.URL())
	wrapped, ok := srv.(directReadServer)
	if !ok {
		t.Fatalf("NewServer returned %T, want directReadServer", srv)
	}
	config := dynamicValue(t, dsType, nil)
	req := &tfprotov6.ReadDataSourceRequest{TypeName: "sms_tasks", Config: &config}
	direct := &directAttributes{}
	inner, err := wrapped.ProviderServer.ReadDataSource(context.WithValue(context.Background(), directAttributesKey{}, direct), req)
	if err != nil {
		t.Fatal(err)
	}
	failOnDiagnostics(t, "ReadDataSource", inner.Diagnostics)
	for _, name := range []string{"tasks", "task_states"} {
		if v := stateAttribute(t, inner.State, dsType, name); !v.IsNull() {
			t.Errorf("the framework's state holds %s: %v", name, v)
		}
		if direct.values[name].size == 0 {
			t.Errorf("the data source did not hand %s to the server", name)
		}
	}
	outer, err := srv.ReadDataSource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var tasks []tftypes.Value
	if err := stateAttribute(t, outer.State, dsType, "tasks").As(&tasks); err != nil || len(tasks) != 30 {
		t.Errorf("the served state has %d tasks (%v), want 30", len(tasks), err)
	}
}

func rawValue(b []byte) directValue {
	return directValue{size: len(b), appendTo: func(out []byte) []byte { return append(out, b...) }}
}

func stateAttribute(t *testing.T, state *tfprotov6.DynamicValue, dsType tftypes.Object, name string) tftypes.Value {
	t.Helper()
	v, err := state.Unmarshal(dsType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs[name]
}

// spliceAttributes refuses states it cannot splice into safely.
func TestSpliceAttributes_RejectsBadStates(t *testing.T) {
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"count": tftypes.Number, "tasks": tftypes.List{ElementType: tftypes.String}}}
	encode := func(tasks tftypes.Value) []byte {
		dv, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, map[string]tftypes.Value{
			"count": tftypes.NewValue(tftypes.Number, 7), "tasks": tasks,
		}))
		if err != nil {
			t.Fatal(err)
		}
		return dv.MsgPack
	}
	listType := objType.AttributeTypes["tasks"]
	nullState := encode(tftypes.NewValue(listType, nil))
	one := map[string]directValue{"tasks": rawValue(appendString(appendArrayLen(nil, 1), "a"))}
	got, err := spliceAttributes(nullState, one)
	if err != nil {
		t.Fatal(err)
	}
	want := encode(tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(tftypes.String, "a")}))
	if !bytes.Equal(got, want) {
		t.Errorf("spliced %x, want %x", got, want)
	}
	for name, c := range map[string]struct {
		state  []byte
		direct map[string]directValue
	}{
		"not null":          {encode(tftypes.NewValue(listType, []tftypes.Value{})), one},
		"not in the schema": {nullState, map[string]directValue{"servers": one["tasks"]}},
		"truncated":         {nullState[:len(nullState)-1], one},
		"trailing bytes":    {append(append([]byte{}, nullState...), 0xc0), one},
		"not an object":     {[]byte{0x93, 1, 2, 3}, one},
	} {
		if _, err := spliceAttributes(c.state, c.direct); err == nil {
			t.Errorf("%s: spliceAttributes accepted it", name)
		}
	}
}

// Through the Terraform CLI: the same configuration read first by the framework alone and then by
// the server main serves gives Terraform the same values, attribute for attribute, on the API
// reference example, a generated fleet and the edge cases.
func TestTasksDataSource_DirectReadSameStateInTerraform(t *testing.T) {
	fleet := append(append(emulator.ExampleTasks(), edgeTasks(300)...), emulator.GenerateTasks(400, 4)...)
	server := startEmulator(t, emulator.Options{Tasks: fleet})
	config := providerBlock(server, "") + `data "sms_tasks" "all" {}`
	// Each attribute's value in the first step is compared with its value in the second.
	var framework, direct []statecheck.StateCheck
	for _, name := range []string{"id", "total_count", "page_size", "summary_only", "state_counts", "task_states", "tasks"} {
		same := statecheck.CompareValue(compare.ValuesSame())
		framework = append(framework, same.AddStateValue(allTasks, tfjsonpath.New(name)))
		direct = append(direct, same.AddStateValue(allTasks, tfjsonpath.New(name)))
	}
	size := expect(tfjsonpath.New("tasks"), knownvalue.ListSizeExact(len(fleet)))
	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ProtoV6ProviderFactories: frameworkProviderFactories, Config: config, ConfigStateChecks: append(framework, size)},
			{ProtoV6ProviderFactories: protoV6ProviderFactories, Config: config, ConfigStateChecks: append(direct, size)},
		},
	})
}

// The task_states map is written with its exact size and decodes to the framework's value, a
// null state included.
func TestDirectEncoding_StringMap(t *testing.T) {
	long := strings.Repeat("ü", 200)
	m := map[string]*string{"a": new("READY"), "ünïcode-🚀": nil, long: &long, "": new("")}
	got := appendStringMap(nil, m)
	if len(got) != stringMapSize(m) {
		t.Errorf("planned size %d, written %d bytes", stringMapSize(m), len(got))
	}
	mapType := tftypes.Map{ElementType: tftypes.String}
	decoded, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(mapType)
	if err != nil {
		t.Fatal(err)
	}
	want, err := stringMapValue(m).ToTerraformValue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !decoded.Equal(want) {
		t.Errorf("decoded %v, want %v", decoded, want)
	}
}
