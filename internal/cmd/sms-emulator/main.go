// Command sms-emulator serves the in-memory emulator of the SMS API (GET /v3/tasks,
// /v3/tasks/{task_id}, /v3/sources and /v3/sources/overview, one consistent fleet) on a
// loopback address, for demos and manual testing of the provider:
//
//	sms-emulator -tasks 300 -latency 50ms -failure-rate 0.1 -url-file /tmp/sms-url
//
// It runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// errUsage reports bad flags, which the flag package has already explained with the usage.
var errUsage = errors.New("usage")

func main() {
	// Signals are caught before listening, so that a script that stops the emulator as soon as
	// the URL file appears cannot kill it before the handler is in place.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "sms-emulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends. It is main without the process: tests call it with their own
// context and arguments.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sms-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8900", "listen `address`; must be loopback")
	tasks := fs.Int("tasks", 300, "number of generated tasks to serve, with their source servers")
	seed := fs.Int64("seed", 1, "seed of the generated tasks and of -failure-rate")
	example := fs.Bool("example", false, "serve only the three tasks of the API reference's example response, instead of -tasks")
	token := fs.String("token", "demo-token", "required X-Auth-Token value; empty disables the check")
	accessKey := fs.String("access-key", "", "also accept requests signed with this access key (SDK-HMAC-SHA256)")
	secretKey := fs.String("secret-key", "", "secret key that goes with -access-key")
	latency := fs.Duration("latency", 0, "delay added to every response")
	failureRate := fs.Float64("failure-rate", 0, "probability from 0 to 1 that a request is answered 503")
	pathPrefix := fs.String("path-prefix", "", "path in front of /v3/tasks, e.g. /sms")
	urlFile := fs.String("url-file", "", "write the base URL to this `file` once listening, for scripts")
	verbose := fs.Bool("v", false, "log one line per request to stderr")
	wave := fs.Int("wave", 0, "add a wave of this many running tasks and servers in migration project "+emulator.WaveProject+
		", which finish one per read of the project's servers from the second read on")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *tasks < 0 || *tasks > 65535 {
		return fmt.Errorf("-tasks must be from 0 to 65535, got %d", *tasks)
	}
	if (*accessKey == "") != (*secretKey == "") {
		return errors.New("-access-key and -secret-key go together")
	}
	if *wave < 0 || *wave > 100 {
		return fmt.Errorf("-wave must be from 0 to 100, got %d", *wave)
	}
	if *failureRate < 0 || *failureRate > 1 {
		return fmt.Errorf("-failure-rate must be from 0 to 1, got %v", *failureRate)
	}

	var opts emulator.Options
	var waveTasks []string
	if *example {
		opts.Tasks = emulator.ExampleTasks()
	} else {
		fleet := emulator.GenerateFleet(*tasks, *seed)
		if *wave > 0 {
			waveTasks = fleet.AddWave(emulator.WaveProject, *wave)
		}
		opts = fleet.Options()
	}
	opts = emulator.Options{
		Tasks:          opts.Tasks,
		Servers:        opts.Servers,
		ServerProjects: opts.ServerProjects,
		Token:          *token,
		AccessKey:      *accessKey,
		SecretKey:      *secretKey,
		PathPrefix:     *pathPrefix,
		Latency:        *latency,
		FailureRate:    *failureRate,
		Seed:           *seed,
	}
	if *verbose {
		logger := log.New(stderr, "sms-emulator: ", log.LstdFlags)
		opts.Logf = logger.Printf
	}
	var srv *emulator.Server
	if len(waveTasks) > 0 {
		// The wave starts when it is first read, so that what reads other data first does not
		// advance it before anyone watches.
		var once sync.Once
		opts.OnRequest = func(q url.Values) {
			if q.Get("migproject") == emulator.WaveProject {
				once.Do(func() { srv.Play(emulator.FinishInTurn(waveTasks, "MIGRATE_SUCCESS", 2, 1)...) })
			}
		}
	}
	srv = emulator.New(opts)
	url, err := srv.Start(*addr)
	if err != nil {
		return err
	}
	defer srv.Close()
	if *urlFile != "" {
		if err := writeURLFile(*urlFile, url); err != nil {
			return err
		}
		// A stale file would point scripts at a server that is gone.
		defer os.Remove(*urlFile)
	}
	fmt.Fprintf(stderr, "sms-emulator: serving %d tasks and %d source servers at %s/v3 (token %q)\n",
		len(opts.Tasks), len(opts.Servers), url, *token)
	<-ctx.Done()
	fmt.Fprintln(stderr, "sms-emulator: shutting down")
	return nil
}

// writeURLFile writes url, without a newline, to a temporary file renamed into place, so that a
// script polling for path never reads it half written.
func writeURLFile(path, url string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(url), 0o644); err != nil {
		return fmt.Errorf("write -url-file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write -url-file: %w", err)
	}
	return nil
}
