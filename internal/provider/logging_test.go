package provider

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client logs from every concurrent page fetch with the read's context, which carries the
// RPC's fields and the secret masks. tflog applies masks by writing into the context's field map,
// so unserialised calls crashed the provider with "concurrent map writes" under throttling
// (found by TestE2E_ThrottlingBurstRecovers). The logger must be safe for concurrent use.
func TestTflogLogger_ConcurrentMaskedLogging(t *testing.T) {
	var buf syncBuffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	// As many fields as the framework sets on a ReadDataSource context.
	for _, k := range []string{"tf_rpc", "tf_req_id", "tf_provider_addr", "tf_data_source_type", "tf_mux_provider", "a", "b", "c"} {
		ctx = tflog.SetField(ctx, k, k+"-value")
	}
	ctx = tflog.MaskLogStrings(ctx, "s3cret-token")

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				fields := map[string]any{"attempt": i, "query": fmt.Sprintf("offset=%d&x=s3cret-token", g)}
				if i%2 == 0 {
					tflogLogger{}.Debug(ctx, "smsapi: sending request", fields)
				} else {
					tflogLogger{}.Warn(ctx, "smsapi: received response", fields)
				}
			}
		})
	}
	wg.Wait()
	out := buf.String()
	if strings.Contains(out, "s3cret-token") {
		t.Error("a masked string reached the log")
	}
	if n := strings.Count(out, "smsapi: "); n != 8*2000 {
		t.Errorf("log lines = %d, want %d", n, 8*2000)
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
