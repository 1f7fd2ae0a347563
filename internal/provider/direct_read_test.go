package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// readCase is one ReadDataSource call made through both servers.

// The wanted number of listed items in a compareReads case, when it is not a count.
const (
	nullTasks = -1 // the list is null
	someTasks = -2 // at least one item
)

type readCase struct {
	dataSource string // sms_tasks when empty
	tasks      []json.RawMessage
	servers    []json.RawMessage
	latency    time.Duration
	faults     []emulator.Fault
	set        func(dsType tftypes.Object) map[string]tftypes.Value
	deferral   bool // the provider's endpoint is unknown and the client allows deferral
	wantError  string
	wantWarn   string
	wantTasks  int // of the listed attribute; nullTasks: it is null; someTasks: at least one
	wantUnread bool
}

// Through the whole RPC, the server main serves answers what the framework alone answers: the same
// state value, the same diagnostics, the same deferral, for successful reads, summary_only,
// filters, timeouts, warnings, API errors, read timeouts and deferred reads.
func TestDirectRead_SameResponseAsFramework(t *testing.T) {
	t.Parallel()
	timeouts := func(read string) func(tftypes.Object) map[string]tftypes.Value {
		return func(dsType tftypes.Object) map[string]tftypes.Value {
			objType, ok := dsType.AttributeTypes["timeouts"].(tftypes.Object)
			if !ok {
				t.Fatalf("timeouts is a %s, want an object", dsType.AttributeTypes["timeouts"])
			}
			return map[string]tftypes.Value{"timeouts": tftypes.NewValue(objType, map[string]tftypes.Value{
				"read": tftypes.NewValue(tftypes.String, read),
			})}
		}
	}
	setOne := func(name string, v tftypes.Value) func(tftypes.Object) map[string]tftypes.Value {
		return func(tftypes.Object) map[string]tftypes.Value { return map[string]tftypes.Value{name: v} }
	}
	// Three hundred generated tasks take every shape the generator makes and span pages at the
	// default page size of 200 and more at a page_size of 50.
	generated := emulator.GenerateTasks(300, 3)
	pageSize50 := setOne("page_size", tftypes.NewValue(tftypes.Number, 50))
	cases := map[string]readCase{
		"reference example":   {tasks: emulator.ExampleTasks(), wantTasks: len(emulator.ExampleTasks())},
		"generated fleet":     {tasks: generated, set: pageSize50, wantTasks: len(generated)},
		"edge cases":          {tasks: edgeTasks(300), wantTasks: 5},
		"no tasks":            {wantTasks: 0},
		"summary_only":        {tasks: generated, set: setOne("summary_only", tftypes.NewValue(tftypes.Bool, true)), wantTasks: nullTasks},
		"state filter":        {tasks: generated, set: setOne("state", tftypes.NewValue(tftypes.String, "MIGRATE_FAIL")), wantTasks: someTasks},
		"timeouts block":      {tasks: generated[:40], set: timeouts("5m"), wantTasks: 40},
		"incomplete list":     overCapCase(setOne("summary_only", tftypes.NewValue(tftypes.Bool, true))),
		"incomplete servers":  overCapServersCase(setOne("summary_only", tftypes.NewValue(tftypes.Bool, true))),
		"API error":           {tasks: generated, faults: []emulator.Fault{{Status: 403, Offset: new(199)}}, wantError: "403"},
		"invalid API answer":  {tasks: generated, faults: []emulator.Fault{{MalformedJSON: true}}, wantError: "Invalid SMS API Response"},
		"read timeout":        {tasks: generated, latency: 2 * time.Second, set: timeouts("100ms"), wantError: "SMS Tasks Read Timed Out"},
		"deferred":            {tasks: generated, deferral: true, wantUnread: true},
		"invalid timeouts":    {tasks: generated, set: timeouts("soon"), wantError: "Timeout Cannot Be Parsed"},
		"filtered to nothing": {tasks: generated, set: setOne("name", tftypes.NewValue(tftypes.String, "no-such-task")), wantTasks: 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			compareReads(t, c)
		})
	}
}

// overCapCase reads one task more than offsets up to 65,535 reach at the default page size: a
// consistent listing that is still incomplete, whose task_states has more entries than a 16-bit
// msgpack map header counts. The tasks are tiny and read with summary_only, so that the reads
// spend their time on what the case is about.
func overCapCase(summaryOnly func(tftypes.Object) map[string]tftypes.Value) readCase {
	// Pages of MaxPageSize step by one less, each repeating the last task of the page before.
	step := smsapi.MaxPageSize - 1
	reachable := (smsapi.MaxOffset/step)*step + smsapi.MaxPageSize
	tasks := make([]json.RawMessage, reachable+1)
	for i := range tasks {
		tasks[i] = json.RawMessage(`{"id":"` + strconv.Itoa(i) + `","state":"READY"}`)
	}
	return readCase{
		tasks: tasks, set: summaryOnly, wantTasks: nullTasks,
		wantWarn: fmt.Sprintf("Incomplete SMS Task List: Read %d of the %d tasks", reachable, len(tasks)),
	}
}

// overCapServersCase is overCapCase for sms_source_servers: every listing warns of the items the
// offset cap leaves unread, under its own title.
func overCapServersCase(summaryOnly func(tftypes.Object) map[string]tftypes.Value) readCase {
	step := smsapi.MaxPageSize - 1
	reachable := (smsapi.MaxOffset/step)*step + smsapi.MaxPageSize
	servers := make([]json.RawMessage, reachable+1)
	for i := range servers {
		servers[i] = json.RawMessage(`{"id":"` + strconv.Itoa(i) + `","state":"waiting"}`)
	}
	return readCase{
		dataSource: "sms_source_servers", servers: servers, set: summaryOnly, wantTasks: nullTasks,
		wantWarn: fmt.Sprintf("Incomplete SMS Source Server List: Read %d of the %d source servers", reachable, len(servers)),
	}
}

// compareReads makes the read of c through the server main serves and through the framework
// alone, and compares what they answer. One emulator serves both reads: the case's faults are
// queued before each read and must all be met by it, so the two reads meet the same answers.
func compareReads(t *testing.T, c readCase) {
	t.Helper()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: c.tasks, Servers: c.servers, Latency: c.latency})
	direct := readThrough(t, server, directServer(nil), c)
	reference := readThrough(t, server, frameworkServer(nil), c)
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
}

// names are the case's data source and the list attribute it reads.
func (c readCase) names() (dataSource, list string) {
	if c.dataSource == "sms_source_servers" {
		return c.dataSource, "servers"
	}
	return "sms_tasks", "tasks"
}

// readResult is what one ReadDataSource call answered, normalised for comparison: request ids
// differ between calls.
type readResult struct {
	state       tftypes.Value
	diagnostics string
	deferred    string
}

// A URL in a diagnostic is normalised to differ by port only, so that the diagnostics of tests
// with their own emulators compare too.
var loopbackPortPattern = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

var requestIDPattern = regexp.MustCompile(`[0-9a-f]{32}`)

// readThrough reads c through a provider server that newServer makes, from server, with c's
// faults queued for this read only.
func readThrough(t *testing.T, server *emulator.Server, newServer func() (tfprotov6.ProviderServer, error), c readCase) readResult {
	t.Helper()
	server.InjectFaults(c.faults...)
	ctx := context.Background()
	endpoint := tftypes.NewValue(tftypes.String, server.URL())
	if c.deferral {
		endpoint = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	}
	srv, dsType := startProviderServer(t, newServer, endpoint, c.deferral)
	dataSource, _ := c.names()
	dsType = dataSourceType(t, srv, dsType, dataSource)
	var set map[string]tftypes.Value
	if c.set != nil {
		set = c.set(dsType)
	}
	config := dynamicValue(t, dsType, set)
	resp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: dataSource, Config: &config,
		ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if left := server.PendingFaults(); left != 0 {
		t.Fatalf("the read left %d injected answers unused; the case does not test what it claims", left)
	}
	var r readResult
	for _, d := range resp.Diagnostics {
		r.diagnostics += fmt.Sprintf("[%s] %s: %s (%v)\n", d.Severity, d.Summary, loopbackPortPattern.ReplaceAllString(requestIDPattern.ReplaceAllString(d.Detail, "<id>"), "127.0.0.1:<port>"), d.Attribute)
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
	_, name := c.names()
	var items []tftypes.Value
	if err := attrs[name].As(&items); err != nil {
		t.Fatal(err)
	}
	switch {
	case c.wantTasks == nullTasks:
		if !attrs[name].IsNull() {
			t.Errorf("%s: want null, got %d", name, len(items))
		}
	case c.wantTasks == someTasks:
		if len(items) == 0 {
			t.Errorf("%s: want some, got none", name)
		}
	case attrs[name].IsNull() || len(items) != c.wantTasks:
		t.Errorf("%s: got %d (null %t), want %d", name, len(items), attrs[name].IsNull(), c.wantTasks)
	}
}

// innerStates is the framework's server under the wrapper, recording the states the framework
// answers before the wrapper writes the direct attributes into them.
type innerStates struct {
	tfprotov6.ProviderServer
	states []*tfprotov6.DynamicValue
}

func (s *innerStates) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if err == nil && resp.State != nil {
		s.states = append(s.states, &tfprotov6.DynamicValue{MsgPack: bytes.Clone(resp.State.MsgPack)})
	}
	return resp, err
}

// Under the server main serves, the framework's state leaves the large lists null and the data
// sources hand them to the wrapper, which writes them in; so the comparisons above compare two
// different paths, not the framework with itself.
func TestDirectRead_ListsBypassTheFramework(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(30, 2), Servers: edgeServers(40)})
	spy := &innerStates{}
	newServer := func() (tfprotov6.ProviderServer, error) {
		framework, err := frameworkServer(nil)()
		spy.ProviderServer = framework
		return directstate.NewServer(spy), err
	}
	srv, tasksType := configuredProviderServer(t, newServer, server.URL())
	for name, c := range map[string]struct {
		attributes []string
		items      int
	}{
		"sms_tasks":          {[]string{"tasks", "task_states"}, 30},
		"sms_source_servers": {[]string{"servers"}, len(edgeServers(40))},
	} {
		dsType := dataSourceType(t, srv, tasksType, name)
		config := dynamicValue(t, dsType, nil)
		outer, err := srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: name, Config: &config})
		if err != nil {
			t.Fatal(err)
		}
		failOnDiagnostics(t, "ReadDataSource", outer.Diagnostics)
		inner := spy.states[len(spy.states)-1]
		for _, attribute := range c.attributes {
			if v := stateAttribute(t, inner, dsType, attribute); !v.IsNull() {
				t.Errorf("%s: the framework's state holds %s", name, attribute)
			}
		}
		var items []tftypes.Value
		if err := stateAttribute(t, outer.State, dsType, c.attributes[0]).As(&items); err != nil || len(items) != c.items {
			t.Errorf("%s: the served state has %d %s (%v), want %d", name, len(items), c.attributes[0], err, c.items)
		}
	}
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

// Through the Terraform CLI: the same configuration of sms_tasks and sms_source_servers, read
// first by the framework alone and then by the server main serves, gives Terraform the same
// values, attribute for attribute, on the API reference examples, generated fleets and the edge
// cases. Both data sources share the steps, since each step costs several Terraform runs. The
// fleets span pages; size is the in-process comparisons' concern, and each item here costs
// Terraform CPU.
func TestDirectRead_TasksAndSourceServersSameStateInTerraform(t *testing.T) {
	t.Parallel()
	tasks := append(append(emulator.ExampleTasks(), edgeTasks(300)...), emulator.GenerateTasks(12, 4)...)
	servers := append(append(referenceServers(), edgeServers(300)...), emulator.GenerateFleet(12, 4).Servers...)
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: tasks, Servers: servers})
	config := testsupport.ProviderBlock(server, "") + `
data "sms_tasks" "all" {
  page_size = 7
}
data "sms_source_servers" "wave" {
  page_size = 7
}`
	// Each attribute's value in the first step is compared with its value in the second.
	var framework, direct []statecheck.StateCheck
	for address, names := range map[string][]string{
		allTasks:          {"id", "total_count", "page_size", "summary_only", "state_counts", "task_states", "tasks"},
		sourceServersAddr: {"id", "total_count", "page_size", "summary_only", "state_counts", "migration_cycle_counts", "servers"},
	} {
		for _, name := range names {
			same := statecheck.CompareValue(compare.ValuesSame())
			framework = append(framework, same.AddStateValue(address, tfjsonpath.New(name)))
			direct = append(direct, same.AddStateValue(address, tfjsonpath.New(name)))
		}
	}
	exact := []statecheck.StateCheck{
		expect(tfjsonpath.New("tasks"), knownvalue.ListSizeExact(len(tasks))),
		expectServers(tfjsonpath.New("servers"), knownvalue.ListSizeExact(len(servers))),
		expectServers(serverPath(len(referenceServers())+4, "replication_progress"), knownvalue.Float64Exact(100.0/3)),
	}
	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ProtoV6ProviderFactories: frameworkProviderFactories, Config: config, ConfigStateChecks: append(framework, exact...)},
			{ProtoV6ProviderFactories: protoV6ProviderFactories, Config: config, ConfigStateChecks: append(direct, exact...)},
		},
	})
}
