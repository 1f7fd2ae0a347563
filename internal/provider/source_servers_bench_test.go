package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// BenchmarkReadSourceServers_1000 measures the whole ReadDataSource RPC of sms_source_servers
// for 1,000 servers, the per-account maximum the service documents: paging through an
// in-process emulator with no latency, the framework's processing of the other attributes and
// the msgpack state out, with servers written directly as main serves them (serversEncoding).
func BenchmarkReadSourceServers_1000(b *testing.B) {
	opts := emulator.GenerateFleet(1300, 1).Options()
	opts.Servers, opts.Token = opts.Servers[:1000], testToken
	server := emulator.NewTestServer(opts)
	b.Cleanup(func() { _ = server.Close() })
	ctx := context.Background()
	srv, _ := configuredProviderServer(b, NewServer("test"), server.URL())
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	dsType, ok := schemas.DataSourceSchemas["sms_source_servers"].ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("sms_source_servers has no object schema")
	}
	config := dynamicValue(b, dsType, nil)
	req := &tfprotov6.ReadDataSourceRequest{TypeName: "sms_source_servers", Config: &config}
	server.ResetStats()
	n, stateBytes := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		resp, err := srv.ReadDataSource(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		failOnDiagnostics(b, "ReadDataSource", resp.Diagnostics)
		stateBytes = len(resp.State.MsgPack)
		n++
	}
	b.ReportMetric(float64(server.Stats().Requests)/float64(n), "requests/op")
	b.ReportMetric(float64(stateBytes)/(1<<20), "state-MiB")
}
