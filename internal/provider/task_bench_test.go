package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// BenchmarkReadTask measures the whole ReadDataSource RPC of sms_task for one generated task
// (the emulator derives its detail from the task and its source server), the framework's
// processing of the new state included. sms_task is not encoded directly: DESIGN.md
// ("Encoding listing reads directly") gives the figure that decided it.
func BenchmarkReadTask(b *testing.B) {
	fleet := emulator.GenerateFleet(10, 1)
	opts := fleet.Options()
	opts.Token = testsupport.Token
	server := emulator.NewTestServer(opts)
	b.Cleanup(func() { _ = server.Close() })
	var task struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(fleet.Tasks[0], &task); err != nil {
		b.Fatal(err)
	}
	srv, tasksType := configuredProviderServer(b, directServer(nil), server.URL())
	dsType := dataSourceType(b, srv, tasksType, "sms_task")
	config := dynamicValue(b, dsType, map[string]tftypes.Value{"task_id": tftypes.NewValue(tftypes.String, task.ID)})
	n, stateBytes := benchReads(b, srv, &tfprotov6.ReadDataSourceRequest{TypeName: "sms_task", Config: &config})
	if n > 0 {
		b.ReportMetric(float64(stateBytes), "state-bytes")
	}
}

// benchReads runs req for the benchmark's iterations, failing on any diagnostic, and returns the
// number of reads and the size of the last state.
func benchReads(b *testing.B, srv tfprotov6.ProviderServer, req *tfprotov6.ReadDataSourceRequest) (n, stateBytes int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := srv.ReadDataSource(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		failOnDiagnostics(b, "ReadDataSource", resp.Diagnostics)
		stateBytes = len(resp.State.MsgPack)
		n++
	}
	return n, stateBytes
}
