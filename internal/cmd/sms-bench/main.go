// Command sms-bench measures the provider end to end: it builds the provider, serves generated
// tasks from the emulator in this process, and runs the real terraform CLI through a
// dev_overrides configuration, one case at a time, printing one Markdown row per case:
//
//	sms-bench -tasks 1000,10000,65535 -latency 20ms,0 -summary both
//
// Each row gives the wall time of the terraform command, the requests the emulator answered, the
// most it had in flight, the API phase of the first read (first request in to last response
// out) next to its bound, the CPU time (user + system) of the provider and of terraform with the
// provider's share of it, and the peak RSS of both. The provider's figures come from the kernel's
// own accounting: terraform starts this program in place of the provider, and it runs the real
// provider as its child and records the child's CPU time and maximum resident set size when it
// exits. terraform's CPU time is its own rusage less that of its plugins; its peak is sampled
// from /proc every 50 ms (Linux only).
// -data-source sms_source_servers reads that many generated source servers instead of tasks.
// -provider-env sets variables such as GOMEMLIMIT for the provider alone; a copy of the
// provider's standard error (GODEBUG=gctrace=1 output, for one) is kept with -keep.
//
// The emulator shares the machine with terraform and the provider, so on a small machine the API
// phase also includes the emulator's own work. Every terraform run is bounded by -timeout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// errUsage reports bad flags, which the flag package has already explained with the usage.
var errUsage = errors.New("usage")

func main() {
	// Terraform starts this program as the provider when the wrapper variables are set.
	if providerPath := os.Getenv(envWrapExec); providerPath != "" {
		os.Exit(runWrapper(providerPath, os.Getenv(envWrapReport), os.Args[1:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "sms-bench:", err)
		os.Exit(1)
	}
}

// options are the parsed flags.
type options struct {
	tasks          []int
	latencies      []time.Duration
	summaries      []bool
	commands       []string
	planTasks      map[int]bool
	maxConcurrency int
	dataSource     string
	runs           int
	timeout        time.Duration
	terraform      string
	root           string
	seed           int64
	keep           bool
	providerEnv    []string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("sms-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tasks := fs.String("tasks", "1000,10000,65535", "comma-separated task counts, each from 0 to 65535")
	latencies := fs.String("latency", "20ms,0", "comma-separated emulated API latencies")
	summary := fs.String("summary", "both", "summary_only values to run: false, true or both")
	commands := fs.String("commands", "apply", "comma-separated terraform commands run for every case: apply, plan")
	planTasks := fs.String("plan-tasks", "65535", "comma-separated task counts that also get a terraform plan row; empty for none")
	maxConcurrency := fs.Int("max-concurrency", 4, "the provider's max_concurrency (1 to 64)")
	dataSource := fs.String("data-source", "sms_tasks", "listing data source to read: sms_tasks or sms_source_servers (then -tasks counts servers)")
	runs := fs.Int("runs", 1, "runs per case; the row shows the median wall time and the largest peaks")
	timeout := fs.Duration("timeout", 10*time.Minute, "bound on each terraform run; a run that takes longer is killed")
	terraform := fs.String("terraform", "terraform", "terraform CLI to run")
	root := fs.String("root", "", "module root of the provider (default: found from the working directory)")
	seed := fs.Int64("seed", 1, "seed of the generated tasks")
	keep := fs.Bool("keep", false, "keep the temporary directory (configurations, logs, state) and print its path")
	var providerEnv listFlag
	fs.Var(&providerEnv, "provider-env", "`KEY=VALUE` added to the provider's environment only, e.g. GOMEMLIMIT=1GiB; repeatable")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	o := &options{maxConcurrency: *maxConcurrency, dataSource: *dataSource, runs: *runs, timeout: *timeout, terraform: *terraform,
		root: *root, seed: *seed, keep: *keep, planTasks: map[int]bool{}, providerEnv: providerEnv}
	for _, kv := range o.providerEnv {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" || strings.ContainsAny(kv, "\n") {
			return nil, fmt.Errorf("-provider-env: %q is not KEY=VALUE", kv)
		}
	}
	var err error
	if o.tasks, err = parseInts("-tasks", *tasks); err != nil {
		return nil, err
	}
	for _, n := range o.tasks {
		if n < 0 || n > 65535 {
			return nil, fmt.Errorf("-tasks: %d is not from 0 to 65535", n)
		}
	}
	if *planTasks != "" {
		counts, err := parseInts("-plan-tasks", *planTasks)
		if err != nil {
			return nil, err
		}
		for _, n := range counts {
			o.planTasks[n] = true
		}
	}
	for _, s := range splitList(*latencies) {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-latency: %q is not a duration such as 20ms or 0", s)
		}
		o.latencies = append(o.latencies, d)
	}
	switch *summary {
	case "both":
		o.summaries = []bool{false, true}
	case "false", "true":
		o.summaries = []bool{*summary == "true"}
	default:
		return nil, fmt.Errorf("-summary must be false, true or both, got %q", *summary)
	}
	for _, c := range splitList(*commands) {
		if c != "apply" && c != "plan" {
			return nil, fmt.Errorf("-commands: %q is neither apply nor plan", c)
		}
		o.commands = append(o.commands, c)
	}
	switch {
	case len(o.tasks) == 0 || len(o.latencies) == 0 || len(o.commands) == 0:
		return nil, errors.New("-tasks, -latency and -commands need at least one value each")
	case o.dataSource != "sms_tasks" && o.dataSource != "sms_source_servers":
		return nil, fmt.Errorf("-data-source must be sms_tasks or sms_source_servers, got %q", o.dataSource)
	case o.maxConcurrency < 1 || o.maxConcurrency > 64:
		return nil, fmt.Errorf("-max-concurrency must be from 1 to 64, got %d", o.maxConcurrency)
	case o.runs < 1:
		return nil, fmt.Errorf("-runs must be at least 1, got %d", o.runs)
	case o.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, got %s", o.timeout)
	}
	return o, nil
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func parseInts(name, s string) ([]int, error) {
	var out []int
	for _, part := range splitList(s) {
		n, err := strconv.Atoi(strings.ReplaceAll(part, "_", ""))
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a whole number", name, part)
		}
		out = append(out, n)
	}
	return out, nil
}

// benchCase is one row of the table.
type benchCase struct {
	tasks       int
	latency     time.Duration
	summaryOnly bool
	command     string
}

// cases lists the rows in the order they run: by task count, then latency, then summary_only,
// then command, so that the floor (zero latency) sits next to the case it belongs to.
func (o *options) cases() []benchCase {
	var out []benchCase
	for _, n := range o.tasks {
		for _, lat := range o.latencies {
			for _, summary := range o.summaries {
				commands := o.commands
				if o.planTasks[n] && !contains(commands, "plan") {
					commands = append(append([]string(nil), commands...), "plan")
				}
				for _, c := range commands {
					out = append(out, benchCase{tasks: n, latency: lat, summaryOnly: summary, command: c})
				}
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil || o == nil {
		return err
	}
	if o.root == "" {
		if o.root, err = findModuleRoot(); err != nil {
			return err
		}
	}
	tfPath, err := lookTerraform(o.terraform)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "sms-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(stderr, "sms-bench: keeping", work)
	} else {
		defer os.RemoveAll(work)
	}

	fmt.Fprintln(stderr, "sms-bench: building the provider")
	env, err := prepare(ctx, o.root, work)
	if err != nil {
		return err
	}
	env.terraform = tfPath

	t := newTable(stdout)
	t.header()
	for i, c := range o.cases() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintf(stderr, "sms-bench: case %d: %d tasks, latency %s, summary_only %t, terraform %s\n",
			i+1, c.tasks, c.latency, c.summaryOnly, c.command)
		var results []result
		for r := range o.runs {
			res := env.runCase(ctx, c, o, filepath.Join(work, fmt.Sprintf("case-%02d-run-%d", i+1, r+1)))
			results = append(results, res)
			if res.err != nil {
				break
			}
		}
		t.row(c, o.maxConcurrency, combine(results))
	}
	return nil
}

// findModuleRoot walks up from the working directory to the go.mod of the provider.
func findModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(data), "module github.com/smsops/terraform-provider-sms\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the provider's go.mod above the working directory; pass -root")
		}
		dir = parent
	}
}
