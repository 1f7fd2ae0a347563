package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// A listing data source with `wait` reads its listing until the wave is done (smsapi.Wait); the
// state it writes is the last read's. readDataSource bounds the read with timeouts.read, which
// with `wait` bounds each poll instead: the wait runs under the context Terraform gave Read
// (dataSourceRead.parent), so that Terraform stopping the provider still ends it at once, and
// under its own timeout.

// readWithWait is readDataSource for a listing that may wait: a failed wait gets its own
// diagnostic, which names the items, in place of the generic one.
func readWithWait(ctx context.Context, data *providerData, target readTarget, req datasource.ReadRequest,
	resp *datasource.ReadResponse, read func(context.Context, *dataSourceRead) error) {
	before := len(resp.Diagnostics)
	var waitErr *smsapi.WaitError
	readDataSource(ctx, data, target, req, resp, func(readCtx context.Context, r *dataSourceRead) error {
		err := read(readCtx, r)
		errors.As(err, &waitErr)
		return err
	})
	if waitErr != nil {
		resp.Diagnostics = resp.Diagnostics[:before]
		addWaitError(&resp.Diagnostics, waitErr, target.dataSource+" (wait)")
	}
}

// waitForListing is list once without `wait`, and smsapi.Wait over list with it.
func waitForListing[T any](ctx context.Context, r *dataSourceRead, kind *smsapi.WaitKind[T],
	list func(context.Context) (*smsapi.Listing[T], error)) (*smsapi.Listing[T], error) {
	configured, ok := r.args.values["wait"]
	if !ok || configured.IsNull() {
		return list(ctx)
	}
	var values map[string]tftypes.Value
	if err := configured.As(&values); err != nil {
		return nil, &argumentError{name: "wait", err: err}
	}
	cfg, err := waitConfigOf(values)
	if err != nil {
		return nil, err
	}
	pollTimeout := defaultReadTimeout
	if deadline, ok := ctx.Deadline(); ok {
		pollTimeout = time.Until(deadline) // timeouts.read, as readDataSource applied it a moment ago
	}
	waitCtx := r.parent
	cfg.Progress = func(p smsapi.WaitProgress) { logProgress(ctx, p) }
	started := time.Now()
	l, err := smsapi.Wait(waitCtx, r.client, kind, cfg, func(ctx context.Context) (*smsapi.Listing[T], error) {
		ctx, cancel := context.WithTimeout(ctx, pollTimeout)
		defer cancel()
		return list(ctx)
	})
	if err == nil {
		tflog.Info(ctx, fmt.Sprintf("sms wait: all %d %s match until, after %s", len(l.Items), kind.Noun,
			time.Since(started).Round(time.Second)))
	}
	return l, err
}

// logProgress logs one poll at INFO.
func logProgress(ctx context.Context, p smsapi.WaitProgress) {
	fields := map[string]any{"poll": p.Poll, "matched": p.Matched, "total": p.Total, "waiting": p.Waiting,
		"elapsed": p.Elapsed.Round(time.Second).String()}
	if p.RemainingKnown {
		fields["api_estimate_remaining"] = p.Remaining.Round(time.Second).String()
	}
	tflog.Info(ctx, "sms wait: "+p.String(), fields)
}

// addWaitError is the diagnostic of a wait that ended without every item done.
func addWaitError(diags *diag.Diagnostics, e *smsapi.WaitError, who string) {
	items := func() string {
		var b strings.Builder
		for _, item := range e.Items {
			b.WriteString("\n  - " + item)
		}
		if e.More > 0 {
			fmt.Fprintf(&b, "\n  - and %d more", e.More)
		}
		return b.String()
	}
	switch e.Reason {
	case smsapi.WaitFailed:
		diags.AddError("SMS Wait Failed", fmt.Sprintf("%s: %d of %d %s match fail_on %s (poll %d, after waiting %s):%s\n\n"+
			"The wait stopped at once. Look into these %s, or change fail_on (fail_on = {} fails on nothing).",
			who, len(e.Items)+e.More, e.Total, e.Noun, e.Condition, e.Polls, e.Waited.Round(time.Second), items(), e.Noun))
	case smsapi.WaitTimedOut:
		diags.AddError("SMS Wait Timed Out", fmt.Sprintf("%s: waited %s (timeout %s, %d polls); %d of %d %s match "+
			"until %s. Not done yet:%s\n\nRaise timeout, or run again later.",
			who, e.Waited.Round(time.Second), e.Timeout, e.Polls, e.Matched, e.Total, e.Noun, e.Condition, items()))
	default:
		diags.AddError("SMS Wait Found Nothing", fmt.Sprintf("%s: nothing matches these filters: the listing of %s is "+
			"empty, so there is no wave to wait for. A wave with nothing in it is almost always a typo in a filter "+
			"(a migration project or enterprise project id), or the wrong account, region or endpoint: check them.",
			who, e.Noun))
	}
}
