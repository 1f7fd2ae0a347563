package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var serversTFType = terraformTypeOf(serversAttribute().GetType())

// edgeServers are source servers at the edges of the encoding: every field null or absent, empty
// lists and objects, integers beyond 2^53 and at the ends of int64, whole floats beyond int64,
// negative zero, unicode, strings at each msgpack length class, lists of 16 and more elements,
// null elements of a list of strings, and replication_progress whole, fractional, above 100,
// negative and null.
func edgeServers(longest int) []json.RawMessage {
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	checks := make([]string, 17)
	for i := range checks {
		checks[i] = fmt.Sprintf(`{"id":%d,"params":["p%d",null,""],"name":"CHECK_%d","result":"OK"}`, 1<<(3*i), i, i)
	}
	servers := []string{
		`{"id":"absent"}`,
		`{"id":"nulls","ip":null,"name":null,"add_date":null,"oem_system":null,"current_task":null,"checks":null,` +
			`"init_target_server":null,"replicatesize":null,"totalsize":null}`,
		`{"id":"empty","name":"","checks":[],"current_task":{},"init_target_server":{"disks":[],"volume_groups":[]},` +
			`"replicatesize":0,"totalsize":0,"connected":false,"cpu_quantity":0}`,
		`{"id":"numbers","add_date":9223372036854775807,"stage_action_time":-9223372036854775808,` +
			`"memory":9007199254740993,"replicatesize":9007199254740993,"totalsize":9007199254740992,` +
			`"cpu_quantity":-33,"last_visit_time":4294967296,"state_action_time":-2147483649,` +
			`"current_task":{"migrate_speed":1e20,"compress_rate":-0.0,"speed_limit":65536,"remain_seconds":-129,` +
			`"estimate_complete_time":255,"log_expire":-32769},` +
			`"init_target_server":{"disks":[{"size":18446744073,"used_size":-1,"physical_volumes":[{"index":127,"size":128,` +
			`"inode_size":32767,"used_size":-32}]}],"volume_groups":[{"free_size":65535,"logical_volumes":[{"block_count":` +
			`4294967295,"block_size":-2147483648,"inode_nums":1}]}]}}`,
		`{"id":"third","replicatesize":1,"totalsize":3}`,
		`{"id":"over","replicatesize":30,"totalsize":7}`,
		`{"id":"negative","replicatesize":-5,"totalsize":10}`,
		`{"id":"extreme","replicatesize":9223372036854775807,"totalsize":1}`,
		`{"id":"tiny","replicatesize":1,"totalsize":9223372036854775807}`,
		`{"id":"unicode","name":"源服务器-ü-🚀","os_version":` + quote(strings.Repeat("é", 16)) +
			`,"ip":` + quote(strings.Repeat("x", 31)) + `,"enterprise_project_id":` + quote(strings.Repeat("y", 32)) +
			`,"os_type":` + quote(strings.Repeat("z", 255)) + `,"start_type":` + quote(strings.Repeat("w", 256)) +
			`,"state":` + quote(strings.Repeat("s", longest)) + `,"checks":[` + strings.Join(checks, ",") + `],` +
			`"current_task":{"name":"任务\u0000x","target_server":{"name":"目标"},"clone_server":{"clone_error":""}}}`,
	}
	out := make([]json.RawMessage, len(servers))
	for i, s := range servers {
		out[i] = json.RawMessage(s)
	}
	return out
}

func decodeAPIServers(t *testing.T, raw []json.RawMessage) []smsapi.SourceServerItem {
	t.Helper()
	servers := make([]smsapi.SourceServerItem, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &servers[i]); err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
	}
	return servers
}

// The direct encoding of servers writes the very bytes terraform-plugin-go writes for the
// framework path's value (apiValue, derived replication_progress included), and they decode to
// the same value. The servers of four hundred generated tasks from two seeds cover the
// statements of the encoder and the client's decoding that those of twelve hundred do (go test
// -coverprofile).
func TestDirectEncoding_SourceServersSameBytesAsFramework(t *testing.T) {
	t.Parallel()
	fleets := map[string][]json.RawMessage{
		"reference example": referenceServers(),
		"generated seed 1":  emulator.GenerateFleet(300, 1).Servers,
		"generated seed 9":  emulator.GenerateFleet(100, 9).Servers,
		"edge cases":        edgeServers(70000),
		"no servers":        {},
	}
	for name, raw := range fleets {
		t.Run(name, func(t *testing.T) {
			servers := decodeAPIServers(t, raw)
			got, err := serversEncoding.Encode(servers)
			if err != nil {
				t.Fatal(err)
			}
			checkSameEncoding(t, serversTFType, apiValue(reflect.ValueOf(servers), serversTFType), got)
			if len(servers) > 0 && !bytes.Contains(got, []byte("\xb4replication_progress")) {
				t.Error("the encoding lacks replication_progress")
			}
		})
	}
}

// replication_progress is each kind of Number it can be: whole, a fraction, above 100, and null
// where a size is unknown, zero or negative.
func TestReplicationProgress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		replicated, total int64
		want              tftypes.Value
	}{
		{2, 5, tftypes.NewValue(tftypes.Number, big.NewFloat(40))},
		{1, 3, tftypes.NewValue(tftypes.Number, big.NewFloat(100.0/3))},
		{3, 2, tftypes.NewValue(tftypes.Number, big.NewFloat(150))},
		{0, 5, nullNumber},
		{5, 0, nullNumber},
		{-5, 10, nullNumber},
	} {
		if got := replicationProgress(&c.replicated, &c.total); !got.Equal(c.want) {
			t.Errorf("replicationProgress(%d, %d) = %v, want %v", c.replicated, c.total, got, c.want)
		}
	}
	if got := replicationProgress(nil, new(int64(5))); !got.Equal(nullNumber) {
		t.Errorf("replicationProgress(nil, 5) = %v, want null", got)
	}
}

// dataSourceType is the object type of a data source's schema as the server reports it.
func dataSourceType(t testing.TB, srv tfprotov6.ProviderServer, tasksType tftypes.Object, name string) tftypes.Object {
	t.Helper()
	if name == "sms_tasks" {
		return tasksType
	}
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dsType, ok := schemas.DataSourceSchemas[name].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s has no object schema", name)
	}
	return dsType
}

// Through the whole RPC, sms_source_servers answers through the server main serves what it
// answers through the framework alone: the same state, diagnostics and deferral.
func TestDirectRead_SourceServersSameResponseAsFramework(t *testing.T) {
	t.Parallel()
	setOne := func(name string, v tftypes.Value) func(tftypes.Object) map[string]tftypes.Value {
		return func(tftypes.Object) map[string]tftypes.Value { return map[string]tftypes.Value{name: v} }
	}
	readTimeout := func(dsType tftypes.Object) map[string]tftypes.Value {
		objType, ok := dsType.AttributeTypes["timeouts"].(tftypes.Object)
		if !ok {
			t.Fatalf("timeouts is a %s, want an object", dsType.AttributeTypes["timeouts"])
		}
		return map[string]tftypes.Value{"timeouts": tftypes.NewValue(objType, map[string]tftypes.Value{
			"read": tftypes.NewValue(tftypes.String, "100ms"),
		})}
	}
	// The servers of three hundred generated tasks span pages at the default page size of 200
	// and more at a page_size of 50.
	fleet := emulator.GenerateFleet(300, 5).Servers
	edges := edgeServers(300)
	const ds = "sms_source_servers"
	cases := map[string]readCase{
		"reference example":  {servers: referenceServers(), wantTasks: len(referenceServers())},
		"generated fleet":    {servers: fleet, set: setOne("page_size", tftypes.NewValue(tftypes.Number, 50)), wantTasks: len(fleet)},
		"edge cases":         {servers: edges, wantTasks: len(edges)},
		"no servers":         {wantTasks: 0},
		"summary_only":       {servers: fleet, set: setOne("summary_only", tftypes.NewValue(tftypes.Bool, true)), wantTasks: nullTasks},
		"state filter":       {servers: fleet, set: setOne("state", tftypes.NewValue(tftypes.String, "error")), wantTasks: someTasks},
		"no match":           {servers: fleet, set: setOne("name", tftypes.NewValue(tftypes.String, "no-such-server")), wantTasks: 0},
		"API error":          {servers: fleet, faults: []emulator.Fault{{Status: 403, Offset: new(199)}}, wantError: "403"},
		"invalid API answer": {servers: fleet, faults: []emulator.Fault{{MalformedJSON: true}}, wantError: "Invalid SMS API Response"},
		// Both reads of the listing see a page that contradicts the count, so the re-read fails too.
		// Two pages only, so that the diagnostic, which tells how the pages went, does not depend
		// on the order in which concurrent pages come back.
		"inconsistent listing": {servers: fleet[:250], faults: []emulator.Fault{{Status: 200, Offset: new(199), Times: 2,
			Body: `{"count":3,"source_servers":[]}`}}, wantError: "Inconsistent SMS Source Server List"},
		"read timeout":    {servers: fleet, latency: 2 * time.Second, set: readTimeout, wantError: "SMS Source Servers Read Timed Out"},
		"filter rejected": {servers: fleet, set: setOne("state", tftypes.NewValue(tftypes.String, "no-such-state")), wantError: "SMS API Rejected The Request"},
		"deferred":        {servers: fleet, deferral: true, wantUnread: true},
	}
	for name, c := range cases {
		c.dataSource = ds
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			compareReads(t, c)
		})
	}
}
