package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger forwards the client's log lines to tflog. The client logs with each request's
// context, so the lines carry the RPC's fields and the masks that Read puts on that context.
type tflogLogger struct{}

// tflogMu serialises the client's log calls. tflog applies masks by writing the masked values
// back into the field map stored in the context, and every page fetch of one read logs with a
// context that shares that map: unserialised, concurrent fetches crash the provider with
// "concurrent map writes". One lock for all reads is enough, since a log call takes microseconds.
var tflogMu sync.Mutex

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Warn(ctx, msg, fields)
}
