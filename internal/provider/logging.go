package provider

import (
	"context"
	"regexp"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger forwards the client's log lines to tflog. The client logs with each request's
// context, so the lines carry the RPC's fields and the masks that Read puts on that context.
type tflogLogger struct{}

// tflogMu serialises the client's log calls: tflog writes masked values back into a field map
// that every page fetch of one read shares, and concurrent fetches would crash with "concurrent
// map writes". Remove it once https://github.com/hashicorp/terraform-plugin-log/issues/246 is fixed.
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

// maskAnywhereLen matches the client's rule: a credential this long is masked wherever it
// appears; a shorter one only where it stands alone, so that token = "t" cannot turn every log
// line into "h***p".
const maskAnywhereLen = 8

// withSecretMasks masks the credentials in every log line written with the returned context.
func withSecretMasks(ctx context.Context, secrets []string) context.Context {
	var long []string
	var short []*regexp.Regexp
	for _, s := range secrets {
		switch {
		case len(s) >= maskAnywhereLen:
			long = append(long, s)
		case s != "":
			short = append(short, regexp.MustCompile(`(^|[^\w-])`+regexp.QuoteMeta(s)+`($|[^\w-])`))
		}
	}
	ctx = tflog.MaskLogStrings(ctx, long...)
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, short...)
	return tflog.MaskMessageRegexes(ctx, short...)
}
