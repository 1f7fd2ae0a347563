package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// benchToken is the token the emulator requires; it is a test value, not a credential.
const benchToken = "sms-bench-token"

// environment is what every case shares: the built provider behind the wrapper, and the CLI
// configuration whose dev_overrides point terraform at the wrapper.
type environment struct {
	provider  string // the real provider binary
	cliConfig string // TF_CLI_CONFIG_FILE
	terraform string
}

// prepare builds the provider into work/provider and links this program into work/plugins under
// the provider's name, so that terraform starts the wrapper, which starts the provider.
func prepare(ctx context.Context, root, work string) (*environment, error) {
	env := &environment{
		provider:  filepath.Join(work, "provider", "terraform-provider-sms"),
		cliConfig: filepath.Join(work, "terraformrc"),
	}
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", env.provider, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	plugins := filepath.Join(work, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(self, filepath.Join(plugins, "terraform-provider-sms")); err != nil {
		return nil, err
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"smsops/sms\" = %q\n  }\n  direct {}\n}\n", plugins)
	if err := os.WriteFile(env.cliConfig, []byte(rc), 0o644); err != nil {
		return nil, err
	}
	return env, nil
}

// lookTerraform resolves the terraform CLI once, so that a missing one fails before the build.
func lookTerraform(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("terraform CLI %q not found: %w", name, err)
	}
	return path, nil
}

// result is what one terraform run measured.
type result struct {
	wall          time.Duration
	requests      int
	maxInFlight   int
	apiPhase      time.Duration // first read: first request in to last response out
	reads         int           // reads seen, each starting with a request at offset 0
	providerRSS   int64         // bytes; the largest peak of every provider process of the run
	terraformRSS  int64         // bytes; sampled
	providerProcs int
	providerCPU   time.Duration // user + system, every provider process of the run
	terraformCPU  time.Duration // user + system of terraform itself, without its plugins
	totalCount    int64         // total_count reported by terraform, -1 if not found
	err           error
}

// config is the Terraform configuration of a case. Only total_count is output: printing the
// tasks would measure terraform's rendering, not the provider.
func config(c benchCase, maxConcurrency int, dataSource string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    sms = { source = "smsops/sms" }
  }
}

provider "sms" {
  max_concurrency = %d
}

data "%[2]s" "all" {
  summary_only = %[3]t
}

output "total_count" {
  value = data.%[2]s.all.total_count
}
`, maxConcurrency, dataSource, c.summaryOnly)
}

// generateServers is a generated fleet cut to n source servers; a fleet of m tasks has at
// most about 1.1 m servers, so 2 n tasks always give enough.
func generateServers(n int, seed int64) emulator.Options {
	opts := emulator.GenerateFleet(2*n, seed).Options()
	opts.Tasks, opts.Servers = nil, opts.Servers[:min(n, len(opts.Servers))]
	return opts
}

var totalCountLine = regexp.MustCompile(`total_count\s+=\s+(\d+)`)

// runCase serves c.tasks generated tasks with c.latency and runs terraform once in dir.
func (env *environment) runCase(ctx context.Context, c benchCase, o *options, dir string) result {
	res := result{totalCount: -1}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		res.err = err
		return res
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(c, o.maxConcurrency, o.dataSource)), 0o644); err != nil {
		res.err = err
		return res
	}
	opts := emulator.Options{Tasks: emulator.GenerateTasks(c.tasks, o.seed)}
	if o.dataSource == "sms_source_servers" {
		opts = generateServers(c.tasks, o.seed)
	}
	opts.Token, opts.Latency = benchToken, c.latency
	server := emulator.New(opts)
	rec := &timingRecorder{next: server}
	endpoint, stop, err := serve(rec)
	if err != nil {
		res.err = err
		return res
	}
	defer stop()

	report := filepath.Join(dir, "provider-rusage")
	args := []string{c.command, "-input=false", "-no-color", "-lock=false"}
	if c.command == "apply" {
		args = append(args, "-auto-approve")
	}
	runCtx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, env.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+env.cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_LOG=",
		"SMS_ENDPOINT="+endpoint,
		"SMS_TOKEN="+benchToken,
		envWrapExec+"="+env.provider,
		envWrapReport+"="+report,
		envWrapStderr+"="+filepath.Join(dir, "provider-stderr.txt"),
		envWrapEnv+"="+strings.Join(o.providerEnv, "\n"),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	setProcessGroup(cmd)
	// On timeout the whole process group goes, so no provider outlives its terraform.
	cmd.Cancel = func() error { return killProcessGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second

	started := time.Now()
	if err := cmd.Start(); err != nil {
		res.err = err
		return res
	}
	sampler := startRSSSampler(cmd.Process.Pid, 50*time.Millisecond)
	err = cmd.Wait()
	res.wall = time.Since(started)
	res.terraformRSS = sampler.stop()
	_ = os.WriteFile(filepath.Join(dir, "terraform-output.txt"), out.Bytes(), 0o644)

	stats := server.Stats()
	res.requests, res.maxInFlight = stats.Requests, stats.MaxInFlight
	res.apiPhase, res.reads = rec.firstRead()
	rep := readWrapperReports(report)
	res.providerRSS, res.providerProcs, res.providerCPU = rep.peakRSS, rep.procs, rep.cpu
	if cmd.ProcessState != nil {
		res.terraformCPU = terraformOwnCPU(cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime(), rep)
	}
	if m := totalCountLine.FindSubmatch(out.Bytes()); m != nil {
		res.totalCount, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	switch {
	case runCtx.Err() != nil && ctx.Err() == nil:
		res.err = fmt.Errorf("timed out after %s", o.timeout)
	case err != nil:
		res.err = fmt.Errorf("terraform %s failed: %w; output in %s", c.command, err, filepath.Join(dir, "terraform-output.txt"))
	case res.totalCount != int64(c.tasks):
		res.err = fmt.Errorf("terraform reported total_count %d, want %d", res.totalCount, c.tasks)
	}
	return res
}

// terraformOwnCPU is terraform's CPU time without its plugins. The kernel adds the CPU time of
// the children a process has waited for to the process's own when its parent waits for it, and
// terraform waits for its plugin processes (the wrappers, which wait for the providers), so their
// time is taken out again. Should terraform ever not wait for one, its total is smaller than the
// plugins' time, and is then its own.
func terraformOwnCPU(total time.Duration, rep wrapperReport) time.Duration {
	plugins := rep.cpu + rep.wrapperCPU
	if total < plugins {
		return total
	}
	return total - plugins
}

// serve listens on a loopback port for h and returns the base URL and a stop function.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// timingRecorder notes when each request to the emulator starts and ends.
type timingRecorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []timedRequest
}

type timedRequest struct {
	offset     string
	start, end time.Time
}

func (t *timingRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.next.ServeHTTP(w, r)
	end := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reqs = append(t.reqs, timedRequest{offset: r.URL.Query().Get("offset"), start: start, end: end})
}

// firstRead returns the API phase of the first read and the number of reads. A read starts with
// the request at offset 0; it ends with the last response before the next read starts.
func (t *timingRecorder) firstRead() (time.Duration, int) {
	t.mu.Lock()
	reqs := slices.Clone(t.reqs)
	t.mu.Unlock()
	return apiPhase(reqs)
}

func apiPhase(reqs []timedRequest) (time.Duration, int) {
	slices.SortFunc(reqs, func(a, b timedRequest) int { return a.start.Compare(b.start) })
	var first time.Duration
	reads := 0
	var start, end time.Time
	for _, r := range reqs {
		if r.offset == "" || r.offset == "0" {
			if reads == 1 {
				first = end.Sub(start)
			}
			reads++
			start, end = r.start, r.end
		}
		if r.end.After(end) {
			end = r.end
		}
	}
	if reads == 1 {
		first = end.Sub(start)
	}
	return first, reads
}

// combine folds the runs of one case into its row: the median wall time and CPU times, the
// largest peaks and the first error.
func combine(results []result) result {
	out := results[0]
	walls := make([]time.Duration, 0, len(results))
	phases := make([]time.Duration, 0, len(results))
	providerCPU := make([]time.Duration, 0, len(results))
	terraformCPU := make([]time.Duration, 0, len(results))
	for _, r := range results {
		walls = append(walls, r.wall)
		phases = append(phases, r.apiPhase)
		providerCPU = append(providerCPU, r.providerCPU)
		terraformCPU = append(terraformCPU, r.terraformCPU)
		out.providerRSS = max(out.providerRSS, r.providerRSS)
		out.terraformRSS = max(out.terraformRSS, r.terraformRSS)
		out.maxInFlight = max(out.maxInFlight, r.maxInFlight)
		if out.err == nil {
			out.err = r.err
		}
	}
	out.wall, out.apiPhase = median(walls), median(phases)
	out.providerCPU, out.terraformCPU = median(providerCPU), median(terraformCPU)
	return out
}

func median(values []time.Duration) time.Duration {
	slices.Sort(values)
	return values[len(values)/2]
}
