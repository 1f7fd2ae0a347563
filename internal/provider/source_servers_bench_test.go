package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// BenchmarkReadSourceServers_1000 measures the whole ReadDataSource RPC of sms_source_servers
// for 1,000 servers, the per-account maximum the service documents: paging through an
// in-process emulator with no latency, the framework's processing of the other attributes and
// the msgpack state out, with servers written directly as main serves them (serversEncoding).
func BenchmarkReadSourceServers_1000(b *testing.B) {
	opts := emulator.GenerateFleet(1300, 1).Options()
	opts.Servers, opts.Token = opts.Servers[:1000], testsupport.Token
	server := emulator.NewTestServer(opts)
	b.Cleanup(func() { _ = server.Close() })
	srv, tasksType := configuredProviderServer(b, directServer(nil), server.URL())
	dsType := dataSourceType(b, srv, tasksType, "sms_source_servers")
	config := dynamicValue(b, dsType, nil)
	server.ResetStats()
	n, stateBytes := benchReads(b, srv, &tfprotov6.ReadDataSourceRequest{TypeName: "sms_source_servers", Config: &config})
	b.ReportMetric(float64(server.Stats().Requests)/float64(n), "requests/op")
	b.ReportMetric(float64(stateBytes)/(1<<20), "state-MiB")
}
