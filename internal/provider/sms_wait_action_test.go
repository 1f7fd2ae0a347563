package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// These tests call the action's methods directly, so they run on every CLI; the end-to-end tests
// in internal/e2e run it through Terraform 1.14 and later.

// actionConfig is the sms_wait configuration with the given attributes set and the rest null.
func actionConfig(t *testing.T, set map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	var resp action.SchemaResponse
	NewWaitAction().Schema(context.Background(), action.SchemaRequest{}, &resp)
	typ := schemaType[tftypes.Object](resp.Schema.Type().TerraformType(context.Background()))
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	return tfsdk.Config{Raw: tftypes.NewValue(typ, values), Schema: resp.Schema}
}

// condition is an until or fail_on value.
func condition(key string, values ...string) tftypes.Value {
	list := tftypes.List{ElementType: tftypes.String}
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: list}, map[string]tftypes.Value{key: tftypes.NewValue(list, elems)})
}

// filters is a tasks or source_servers value of the action with the given string filters set.
func filters(t *testing.T, attribute string, set map[string]string) tftypes.Value {
	t.Helper()
	var resp action.SchemaResponse
	NewWaitAction().Schema(context.Background(), action.SchemaRequest{}, &resp)
	typ := schemaType[tftypes.Object](resp.Schema.Type().TerraformType(context.Background())).AttributeTypes[attribute]
	obj := schemaType[tftypes.Object](typ)
	values := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			values[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	return tftypes.NewValue(obj, values)
}

// Exactly one of tasks and source_servers; until and fail_on are checked against the items of
// the one set.
func TestWaitAction_ValidateConfig(t *testing.T) {
	t.Parallel()
	until := condition("migration_cycle", "cutovered")
	for _, c := range []struct {
		name string
		set  map[string]tftypes.Value
		want string // "" for valid
	}{
		{"servers", map[string]tftypes.Value{"source_servers": filters(t, "source_servers", map[string]string{"migproject_id": "p"}),
			"until": until}, ""},
		{"neither", map[string]tftypes.Value{"until": until}, "Set exactly one of tasks and source_servers"},
		{"both", map[string]tftypes.Value{"tasks": filters(t, "tasks", nil), "source_servers": filters(t, "source_servers", nil),
			"until": until}, "Set exactly one"},
		{"a server key on tasks", map[string]tftypes.Value{"tasks": filters(t, "tasks", nil), "until": until},
			`The condition until names "migration_cycle", which is not a top-level attribute`},
		{"a task state on servers", map[string]tftypes.Value{"source_servers": filters(t, "source_servers", nil), "until": until,
			"fail_on": condition("state", "MIGRATE_FAIL")}, `The condition fail_on.state lists "MIGRATE_FAIL", which is not a documented value`},
	} {
		var resp action.ValidateConfigResponse
		(&waitAction{}).ValidateConfig(context.Background(), action.ValidateConfigRequest{Config: actionConfig(t, c.set)}, &resp)
		got := ""
		for _, d := range resp.Diagnostics.Errors() {
			got += d.Detail()
		}
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// Invoke waits on the tasks its filters list (the second of a wave that finishes one task per
// read), sends a progress line per poll and one at the end.
func TestWaitAction_InvokeSendsProgress(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, waveOptions(2))
	server.Play(emulator.FinishInTurn(waveTaskIDs(2), "MIGRATE_SUCCESS", 2, 1)...)
	client, err := smsapi.New(smsapi.Config{Endpoint: server.URL(), Auth: smsapi.TokenAuth{Token: testsupport.Token}})
	if err != nil {
		t.Fatal(err)
	}
	a := &waitAction{data: &providerData{client: client}}
	var progress []string
	resp := action.InvokeResponse{SendProgress: func(e action.InvokeProgressEvent) { progress = append(progress, e.Message) }}
	a.Invoke(context.Background(), action.InvokeRequest{Config: actionConfig(t, map[string]tftypes.Value{
		"tasks": filters(t, "tasks", map[string]string{"source_server_id": "s2"}), "until": condition("state", "MIGRATE_SUCCESS"),
		"interval": tftypes.NewValue(tftypes.String, "1s"),
	})}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	// Times depend on the machine's load; the lines must match but for them.
	want := []string{"poll 1 after Ns: 0 of 1 tasks done; waiting for web-2 (t2); next poll in Ns",
		"poll 2 after Ns: 0 of 1 tasks done; waiting for web-2 (t2); next poll in Ns", "all 1 tasks match until, after Ns"}
	got := regexp.MustCompile(`\d+s\b`).ReplaceAllString(strings.Join(progress, "\n"), "Ns")
	if got != strings.Join(want, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
