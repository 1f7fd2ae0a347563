package main

import (
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFlags_DefaultsGiveTheFullTable(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cases := o.cases()
	// 3 sizes x 2 latencies x 2 summary_only values, applied, plus a plan of each 65,535 case.
	if len(cases) != 16 {
		t.Fatalf("got %d cases, want 16: %+v", len(cases), cases)
	}
	want := []benchCase{
		{65535, 20 * time.Millisecond, false, "apply"},
		{65535, 20 * time.Millisecond, false, "plan"},
		{65535, 20 * time.Millisecond, true, "apply"},
		{65535, 20 * time.Millisecond, true, "plan"},
	}
	if got := cases[8:12]; !reflect.DeepEqual(got, want) {
		t.Errorf("65,535 cases at 20ms = %+v, want %+v", got, want)
	}
	if o.maxConcurrency != 4 || o.runs != 1 || o.timeout != 10*time.Minute {
		t.Errorf("defaults: max_concurrency %d, runs %d, timeout %s", o.maxConcurrency, o.runs, o.timeout)
	}
}

func TestParseFlags_ChoosesCases(t *testing.T) {
	o, err := parseFlags([]string{"-tasks", "1_000", "-latency", "5ms", "-summary", "true", "-commands", "plan",
		"-plan-tasks", "", "-provider-env", "GOGC=200", "-provider-env", "GOMEMLIMIT=1GiB"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []benchCase{{1000, 5 * time.Millisecond, true, "plan"}}
	if got := o.cases(); !reflect.DeepEqual(got, want) {
		t.Errorf("cases = %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual(o.providerEnv, []string{"GOGC=200", "GOMEMLIMIT=1GiB"}) {
		t.Errorf("provider env = %q", o.providerEnv)
	}
}

func TestParseFlags_RejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-tasks", "70000"},
		{"-tasks", "many"},
		{"-latency", "-1s"},
		{"-summary", "maybe"},
		{"-commands", "destroy"},
		{"-max-concurrency", "0"},
		{"-runs", "0"},
		{"-data-source", "sms_task"},
		{"-timeout", "0s"},
		{"-provider-env", "GOGC"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted bad input", args)
		}
	}
}

func TestAPIBound(t *testing.T) {
	cases := []struct {
		tasks, conc int
		want        time.Duration
	}{
		{1000, 4, 52 * time.Millisecond},    // 5 pages, 2 rounds
		{10000, 4, 338 * time.Millisecond},  // 50 pages, 13 rounds
		{65535, 4, 2132 * time.Millisecond}, // 328 pages, 82 rounds
		{0, 4, 26 * time.Millisecond},       // the first page is always fetched
	}
	for _, c := range cases {
		if got := apiBound(c.tasks, c.conc, 20*time.Millisecond).Round(time.Millisecond); got != c.want {
			t.Errorf("apiBound(%d, %d) = %s, want %s", c.tasks, c.conc, got, c.want)
		}
	}
}

// The API phase of the first read runs from its offset-0 request to the last response before the
// next read's offset-0 request, however the requests interleave.
func TestAPIPhase(t *testing.T) {
	at := func(ms int) time.Time { return time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond) }
	reqs := []timedRequest{
		{"200", at(25), at(60)},
		{"0", at(10), at(30)},
		{"400", at(26), at(70)},
		{"0", at(500), at(520)},
		{"200", at(530), at(900)},
	}
	phase, reads := apiPhase(reqs)
	if phase != 60*time.Millisecond || reads != 2 {
		t.Errorf("apiPhase = %s over %d reads, want 60ms over 2", phase, reads)
	}
	if phase, reads := apiPhase(reqs[:3]); phase != 60*time.Millisecond || reads != 1 {
		t.Errorf("one read: apiPhase = %s over %d reads, want 60ms over 1", phase, reads)
	}
	if phase, reads := apiPhase(nil); phase != 0 || reads != 0 {
		t.Errorf("no requests: apiPhase = %s over %d reads", phase, reads)
	}
}

func TestConfigSetsSummaryOnly(t *testing.T) {
	cfg := config(benchCase{tasks: 10, summaryOnly: true}, 6, "sms_source_servers")
	for _, want := range []string{"max_concurrency = 6", "summary_only = true", `source = "smsops/sms"`,
		`data "sms_source_servers" "all"`, "data.sms_source_servers.all.total_count"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
}

// The wrapper reports each provider process's peak RSS, CPU time and its own CPU time; the run
// sums the CPU times and keeps the largest peak, and a line it cannot read counts for nothing.
func TestReadWrapperReports(t *testing.T) {
	path := t.TempDir() + "/report"
	lines := "101 50000000 900 1500000 20000\n" + // 1.5 s provider, 20 ms wrapper
		"102 80000000 300 250000 10000\n" + // a second provider process
		"103 garbage\n"
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readWrapperReports(path)
	want := wrapperReport{peakRSS: 80000000, procs: 2, cpu: 1750 * time.Millisecond, wrapperCPU: 30 * time.Millisecond}
	if got != want {
		t.Errorf("readWrapperReports = %+v, want %+v", got, want)
	}
	if own := terraformOwnCPU(5*time.Second, got); own != 5*time.Second-1780*time.Millisecond {
		t.Errorf("terraformOwnCPU = %s, want the total less the plugins' 1.78 s", own)
	}
	if own := terraformOwnCPU(time.Second, got); own != time.Second {
		t.Errorf("terraformOwnCPU with the plugins not counted = %s, want the whole 1 s", own)
	}
}

func TestShare(t *testing.T) {
	if got := share(3*time.Second, 7*time.Second); got != "30 %" {
		t.Errorf("share(3s, 7s) = %q, want 30 %%", got)
	}
	if got := share(0, 0); got != "-" {
		t.Errorf("share(0, 0) = %q, want -", got)
	}
}
