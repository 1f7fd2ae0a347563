package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The wrapper: terraform starts this program as terraform-provider-sms with these variables set,
// and it runs the real provider as its child with the same arguments, standard streams and
// environment, so the go-plugin handshake passes straight through. When the child exits, the
// wrapper appends the child's peak RSS and CPU time, as the kernel counted them, and its own CPU
// time to the report file.
const (
	envWrapExec   = "SMS_BENCH_PROVIDER_EXEC"
	envWrapReport = "SMS_BENCH_PROVIDER_REPORT"
	// envWrapEnv holds KEY=VALUE lines added to the provider's environment only (-provider-env),
	// so that GOGC or GOMEMLIMIT can be tried on the provider without changing terraform.
	envWrapEnv = "SMS_BENCH_PROVIDER_ENV"
	// envWrapStderr names a file that receives a copy of the provider's standard error, where
	// GODEBUG=gctrace=1 writes.
	envWrapStderr = "SMS_BENCH_PROVIDER_STDERR"
)

func runWrapper(providerPath, report string, args []string) int {
	cmd := exec.Command(providerPath, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if extra := os.Getenv(envWrapEnv); extra != "" {
		cmd.Env = append(os.Environ(), strings.Split(extra, "\n")...)
	}
	if path := os.Getenv(envWrapStderr); path != "" {
		if f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			defer f.Close()
			cmd.Stderr = io.MultiWriter(os.Stderr, f)
		}
	}
	setParentDeathSignal(cmd)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "sms-bench wrapper:", err)
		return 1
	}
	// Terraform interrupts its plugins on Ctrl-C; the provider must see that, not the wrapper.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range signals {
			_ = cmd.Process.Signal(sig)
		}
	}()
	err := cmd.Wait()
	signal.Stop(signals)
	if report != "" && cmd.ProcessState != nil {
		ps := cmd.ProcessState
		line := fmt.Sprintf("%d %d %d %d %d\n", ps.Pid(), maxRSSBytes(ps), time.Since(started).Milliseconds(),
			(ps.UserTime() + ps.SystemTime()).Microseconds(), selfCPUTime().Microseconds())
		if f, ferr := os.OpenFile(report, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); ferr == nil {
			_, _ = f.WriteString(line)
			_ = f.Close()
		}
	}
	if cmd.ProcessState != nil {
		return max(cmd.ProcessState.ExitCode(), 0)
	}
	if err != nil {
		return 1
	}
	return 0
}

// wrapperReport sums the reports of the provider processes of one run (terraform may start the
// provider more than once).
type wrapperReport struct {
	peakRSS    int64         // the largest peak RSS of any provider process, in bytes
	procs      int           // provider processes that reported
	cpu        time.Duration // user + system CPU time of every provider process
	wrapperCPU time.Duration // user + system CPU time of the wrappers themselves
}

func readWrapperReports(path string) wrapperReport {
	var r wrapperReport
	f, err := os.Open(path)
	if err != nil {
		return r
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		var n [5]int64
		for i := range n {
			if n[i], err = strconv.ParseInt(fields[i], 10, 64); err != nil {
				break
			}
		}
		if err != nil {
			continue
		}
		r.procs++
		r.peakRSS = max(r.peakRSS, n[1])
		r.cpu += time.Duration(n[3]) * time.Microsecond
		r.wrapperCPU += time.Duration(n[4]) * time.Microsecond
	}
	return r
}
