package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// BenchmarkReadTask measures the whole ReadDataSource RPC of sms_task for one generated task
// (the emulator derives its detail from the task and its source server), the framework's
// processing of the new state included. sms_task is not encoded directly: DESIGN.md
// ("Encoding listing reads directly") gives the figure that decided it.
func BenchmarkReadTask(b *testing.B) {
	fleet := emulator.GenerateFleet(10, 1)
	opts := fleet.Options()
	opts.Token = testToken
	server := emulator.NewTestServer(opts)
	b.Cleanup(func() { _ = server.Close() })
	var task struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Tasks[0], &task); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	srv, _ := configuredProviderServer(b, NewServer("test"), server.URL())
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	dsType, ok := schemas.DataSourceSchemas["sms_task"].ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("sms_task has no object schema")
	}
	config := dynamicValue(b, dsType, map[string]tftypes.Value{"task_id": tftypes.NewValue(tftypes.String, task.ID)})
	req := &tfprotov6.ReadDataSourceRequest{TypeName: "sms_task", Config: &config}
	stateBytes := 0
	b.ReportAllocs()
	for b.Loop() {
		resp, err := srv.ReadDataSource(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		failOnDiagnostics(b, "ReadDataSource", resp.Diagnostics)
		stateBytes = len(resp.State.MsgPack)
	}
	b.ReportMetric(float64(stateBytes), "state-bytes")
}
