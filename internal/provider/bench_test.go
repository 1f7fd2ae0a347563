package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// benchTasks is the fleet size of the provider benchmarks: large enough that per-task costs
// dominate, small enough to run a few iterations on a 2-core machine.
const benchTasks = 10000

// BenchmarkReadDataSource_10000 measures the whole ReadDataSource RPC of the server main serves,
// as Terraform makes it: msgpack config in, paging through an in-process emulator with no
// latency, decoding, the framework's processing of the small attributes, the tasks written
// directly, and the msgpack state out.
func BenchmarkReadDataSource_10000(b *testing.B) {
	benchmarkReadDataSource(b, directServer(nil))
}

// BenchmarkReadDataSourceFramework_10000 is the same RPC through the framework alone, the
// reference the direct encoding is compared with, and the way the provider served reads before.
func BenchmarkReadDataSourceFramework_10000(b *testing.B) {
	benchmarkReadDataSource(b, frameworkServer(nil))
}

func benchmarkReadDataSource(b *testing.B, newServer func() (tfprotov6.ProviderServer, error)) {
	server := emulator.NewTestServer(emulator.Options{Tasks: emulator.GenerateTasks(benchTasks, 1), Token: testsupport.Token})
	b.Cleanup(func() { _ = server.Close() })
	for _, summaryOnly := range []bool{false, true} {
		b.Run(fmt.Sprintf("summary_only=%t", summaryOnly), func(b *testing.B) {
			ctx := context.Background()
			srv, dsType := configuredProviderServer(b, newServer, server.URL())
			config := dynamicValue(b, dsType, map[string]tftypes.Value{
				"summary_only": tftypes.NewValue(tftypes.Bool, summaryOnly),
			})
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "sms_tasks", Config: &config}
			server.ResetStats()
			n := 0
			var stateBytes int
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
			stats := server.Stats()
			b.ReportMetric(float64(stats.Requests)/float64(n), "requests/op")
			b.ReportMetric(float64(stats.MaxInFlight), "max-in-flight")
			b.ReportMetric(float64(stateBytes)/(1<<20), "state-MiB")
		})
	}
}

// configuredProviderServer starts a provider server the way Terraform does (schema, then
// ConfigureProvider) for an emulator at endpoint, and returns it with the type of sms_tasks.
func configuredProviderServer(tb testing.TB, newServer func() (tfprotov6.ProviderServer, error), endpoint string) (tfprotov6.ProviderServer, tftypes.Object) {
	tb.Helper()
	return startProviderServer(tb, newServer, tftypes.NewValue(tftypes.String, endpoint), false)
}

// startProviderServer is configuredProviderServer for any endpoint value, an unknown one
// included, from a client that may allow deferral.
func startProviderServer(tb testing.TB, newServer func() (tfprotov6.ProviderServer, error), endpoint tftypes.Value,
	deferralAllowed bool,
) (tfprotov6.ProviderServer, tftypes.Object) {
	tb.Helper()
	ctx := context.Background()
	srv, err := newServer()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	failOnDiagnostics(tb, "GetProviderSchema", schemas.Diagnostics)
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		tb.Fatalf("provider schema type is %T, want an object", schemas.Provider.ValueType())
	}
	providerConfig := dynamicValue(tb, providerType, map[string]tftypes.Value{
		"endpoint": endpoint,
		"token":    tftypes.NewValue(tftypes.String, testsupport.Token),
	})
	configured, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: &providerConfig, ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
	})
	if err != nil {
		tb.Fatal(err)
	}
	// A deferral is no diagnostic: the framework keeps it and answers later reads with it.
	failOnDiagnostics(tb, "ConfigureProvider", configured.Diagnostics)
	dsType, ok := schemas.DataSourceSchemas["sms_tasks"].ValueType().(tftypes.Object)
	if !ok {
		tb.Fatal("sms_tasks has no object schema")
	}
	return srv, dsType
}

// dynamicValue encodes an object of type typ with the given attributes and every other
// attribute null, as Terraform sends a configuration that leaves them unset.
func dynamicValue(tb testing.TB, typ tftypes.Object, set map[string]tftypes.Value) tfprotov6.DynamicValue {
	tb.Helper()
	attributes := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, attrType := range typ.AttributeTypes {
		attributes[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range set {
		if _, ok := typ.AttributeTypes[name]; !ok {
			tb.Fatalf("the schema has no attribute %q", name)
		}
		attributes[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attributes))
	if err != nil {
		tb.Fatal(err)
	}
	return dv
}

func failOnDiagnostics(tb testing.TB, rpc string, diags []*tfprotov6.Diagnostic) {
	tb.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			tb.Fatalf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
}
