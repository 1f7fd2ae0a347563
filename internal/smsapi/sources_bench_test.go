package smsapi

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// benchServers is the number of source servers an account can have at most, as the service
// documents it.
const benchServers = 1000

// benchFleet returns emulator options serving exactly benchServers generated source servers.
func benchFleet(tb testing.TB) emulator.Options {
	tb.Helper()
	opts := emulator.GenerateFleet(1300, 1).Options()
	if len(opts.Servers) < benchServers {
		tb.Fatalf("the fleet has %d servers, want at least %d", len(opts.Servers), benchServers)
	}
	opts.Servers = opts.Servers[:benchServers]
	return opts
}

// BenchmarkListSourceServers_1000 lists 1,000 source servers (6 pages of 200 at steps of 199)
// through the paging engine from the emulator at 20 ms per request, with MaxConcurrency 1 and 4.
func BenchmarkListSourceServers_1000(b *testing.B) {
	opts := benchFleet(b)
	opts.Token, opts.Latency = testToken, 20*time.Millisecond
	srv := emulator.NewTestServer(opts)
	b.Cleanup(func() { srv.Close() })
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("MaxConcurrency=%d", conc), func(b *testing.B) {
			c := newTestClient(b, srv.URL(), func(cfg *Config) { cfg.MaxConcurrency = conc })
			srv.ResetStats()
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				list, err := c.ListSourceServers(context.Background(), ListSourceServersQuery{})
				if err != nil {
					b.Fatal(err)
				}
				if len(list.Items) != benchServers {
					b.Fatalf("got %d servers, want %d", len(list.Items), benchServers)
				}
				n++
			}
			b.ReportMetric(float64(srv.Stats().Requests)/float64(n), "requests/op")
			b.ReportMetric(float64(srv.Stats().MaxInFlight), "max-in-flight")
		})
	}
}
