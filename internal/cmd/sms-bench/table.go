package main

import (
	"fmt"
	"io"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// table prints rows as a Markdown table, one row as soon as its case ends, so a long run shows
// progress and its output can be pasted into the README as it is.
type table struct{ w io.Writer }

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) header() {
	fmt.Fprintln(t.w, "| tasks | latency | summary_only | command | wall | requests | max in flight | API phase | API bound | "+
		"provider CPU | terraform CPU | provider share | provider peak RSS | terraform peak RSS | result |")
	fmt.Fprintln(t.w, "|---:|---:|:---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
}

func (t *table) row(c benchCase, maxConcurrency int, r result) {
	status := "ok"
	if r.err != nil {
		status = r.err.Error()
	} else if r.reads > 1 {
		status = fmt.Sprintf("ok (%d reads)", r.reads)
	}
	bound := "-"
	if c.latency > 0 {
		bound = millis(apiBound(c.tasks, maxConcurrency, c.latency))
	}
	fmt.Fprintf(t.w, "| %d | %s | %t | %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		c.tasks, c.latency, c.summaryOnly, c.command, seconds(r.wall), r.requests, r.maxInFlight,
		millis(r.apiPhase), bound, seconds(r.providerCPU), seconds(r.terraformCPU),
		share(r.providerCPU, r.terraformCPU), megabytes(r.providerRSS), megabytes(r.terraformRSS), status)
}

// share is the provider's part of the CPU time that terraform and the provider used together.
func share(provider, terraform time.Duration) string {
	if provider+terraform <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f %%", 100*float64(provider)/float64(provider+terraform))
}

// apiBound is the bound on the API phase of a read: 1.3 x ceil(pages / max_concurrency)
// x latency, with pages of the largest size.
func apiBound(tasks, maxConcurrency int, latency time.Duration) time.Duration {
	pages := max(1, (tasks+smsapi.MaxPageSize-1)/smsapi.MaxPageSize)
	rounds := (pages + maxConcurrency - 1) / maxConcurrency
	return time.Duration(1.3 * float64(rounds) * float64(latency))
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func millis(d time.Duration) string {
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func megabytes(b int64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d MB", b/1_000_000)
}
