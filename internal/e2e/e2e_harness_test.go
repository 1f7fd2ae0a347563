package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// The end-to-end harness runs the real terraform binary against the provider built as a real
// binary, in a process of its own. Unlike resource.UnitTest, which serves the provider inside the
// test process, this shows what a user sees: the provider's environment (proxy variables), its
// TF_LOG output, Terraform's own output with warnings, signals, and examples run as they are.

// e2eBuild is the provider binary, built at most once per test run and only by tests that use it.
var e2eBuild struct {
	once sync.Once
	root string // temporary directory removed by TestMain
	bin  string // directory that holds terraform-provider-sms
	err  error

	mirrorOnce sync.Once
	mirror     string // filesystem mirror that holds the binary as smsops/sms 0.1.0
	mirrorErr  error
}

// TestMain sets the parallelism and garbage collection of testsupport.Run, and removes the
// provider build when the tests are done.
func TestMain(m *testing.M) {
	code := testsupport.Run(m)
	if e2eBuild.root != "" {
		_ = os.RemoveAll(e2eBuild.root)
	}
	os.Exit(code)
}

// providerBinaryDir returns the directory of the provider binary, building it on first use.
func providerBinaryDir(t *testing.T) string {
	t.Helper()
	e2eBuild.once.Do(func() { e2eBuild.bin, e2eBuild.err = buildProvider() })
	if e2eBuild.err != nil {
		t.Fatal(e2eBuild.err)
	}
	return e2eBuild.bin
}

// buildProvider builds the provider from the module root into a temporary directory that
// outlives every test (so not t.TempDir) and that TestMain removes.
func buildProvider() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	if e2eBuild.root, err = os.MkdirTemp("", "sms-e2e-"); err != nil {
		return "", err
	}
	bin := filepath.Join(e2eBuild.root, "bin")
	// Stripped as a release is (goreleaser's -s -w): a third smaller, so linking it and every
	// terraform init that copies and hashes it from the mirror cost less.
	args := []string{"build", "-ldflags=-s -w", "-o", filepath.Join(bin, "terraform-provider-sms")}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build of the provider failed: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot finds the directory of go.mod above the package directory the test runs in.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// terraformBinary is the Terraform CLI the tests use: TF_ACC_TERRAFORM_PATH when set, as
// terraform-plugin-testing does (make testacc-compat sets it), else terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("the end-to-end tests need a terraform binary on PATH or in TF_ACC_TERRAFORM_PATH: %v", err)
	}
	return p
}

// tfHarness is one temporary Terraform working directory with its own CLI configuration and
// environment. Nothing from the developer's environment reaches Terraform or the provider except
// PATH, so SMS_*, TF_* and proxy variables of the machine cannot change a test's outcome.
type tfHarness struct {
	t         *testing.T
	terraform string
	Dir       string
	env       map[string]string
}

// tfResult is the outcome of one terraform command.
type tfResult struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int
}

// Output is stdout and stderr together, which is where Terraform prints diagnostics.
func (r tfResult) Output() string { return r.Stdout + r.Stderr }

func (r tfResult) String() string {
	return fmt.Sprintf("terraform %s: exit %d\n--- stdout\n%s\n--- stderr\n%s", strings.Join(r.Args, " "), r.ExitCode, r.Stdout, r.Stderr)
}

// newHarness prepares a working directory and a CLI configuration whose dev_overrides point
// smsops/sms at the freshly built binary, so no registry is contacted and no init is needed for
// the provider itself.
func newHarness(t *testing.T) *tfHarness {
	t.Helper()
	bin := providerBinaryDir(t)
	base := t.TempDir()
	h := &tfHarness{t: t, terraform: terraformBinary(t), Dir: filepath.Join(base, "work")}
	home := filepath.Join(base, "home")
	for _, d := range []string{h.Dir, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(base, "terraformrc")
	testsupport.WriteFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "smsops/sms" = %q
  }
  direct {}
}
`, bin))
	h.env = map[string]string{
		"PATH":               os.Getenv("PATH"),
		"HOME":               home,
		"TMPDIR":             os.TempDir(),
		"TF_CLI_CONFIG_FILE": rc,
		"TF_IN_AUTOMATION":   "1",
		"TF_INPUT":           "0",
		"CHECKPOINT_DISABLE": "1",
		"GOGC":               os.Getenv("GOGC"),
	}
	if raceEnabled {
		// A race in the provider then crashes it, and Terraform reports the crash.
		h.env["GORACE"] = "halt_on_error=1"
	}
	return h
}

// releaseVersion is the version the provider is published under in the local mirror; the
// examples' constraint "~> 0.1" must select it.
const releaseVersion = "0.1.0"

// mirrorDir returns a filesystem mirror, in the unpacked layout, that holds the freshly built
// provider as registry.terraform.io/smsops/sms 0.1.0, creating it on first use.
func mirrorDir(t *testing.T) string {
	t.Helper()
	bin := providerBinaryDir(t)
	e2eBuild.mirrorOnce.Do(func() {
		mirror := filepath.Join(e2eBuild.root, "mirror")
		platform := filepath.Join(mirror, providerHost(), "smsops", "sms", releaseVersion, runtime.GOOS+"_"+runtime.GOARCH)
		if e2eBuild.mirrorErr = os.MkdirAll(platform, 0o755); e2eBuild.mirrorErr != nil {
			return
		}
		e2eBuild.mirrorErr = os.Link(filepath.Join(bin, "terraform-provider-sms"),
			filepath.Join(platform, "terraform-provider-sms_v"+releaseVersion))
		e2eBuild.mirror = mirror
	})
	if e2eBuild.mirrorErr != nil {
		t.Fatal(e2eBuild.mirrorErr)
	}
	return e2eBuild.mirror
}

// providerHost is the registry host a bare "smsops/sms" means to the CLI under test: OpenTofu
// reads registry.opentofu.org, which CI passes in TF_ACC_PROVIDER_HOST as terraform-plugin-testing
// expects.
func providerHost() string {
	if host := os.Getenv("TF_ACC_PROVIDER_HOST"); host != "" {
		return host
	}
	return "registry.terraform.io"
}

// InstallFromMirror replaces the harness's dev_overrides with what a user has: terraform init
// installs smsops/sms from a local filesystem mirror, and nothing else can be installed.
func (h *tfHarness) InstallFromMirror() {
	h.t.Helper()
	rc := filepath.Join(filepath.Dir(h.Dir), "mirror.tfrc")
	testsupport.WriteFile(h.t, rc, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["%s/smsops/sms"]
  }
}
`, mirrorDir(h.t), providerHost()))
	h.env["TF_CLI_CONFIG_FILE"] = rc
}

// Setenv sets a variable for the terraform commands run after it (and so for the provider).
func (h *tfHarness) Setenv(key, value string) { h.env[key] = value }

// Write creates a file in the working directory, with any parent directories.
func (h *tfHarness) Write(name, content string) {
	h.t.Helper()
	testsupport.WriteFile(h.t, filepath.Join(h.Dir, name), content)
}

// Read returns a file of the working directory, or "" when it does not exist.
func (h *tfHarness) Read(name string) string {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.Dir, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		h.t.Fatal(err)
	}
	return string(b)
}

// smsVersions pins the provider's source, as a user's root module does; without it Terraform
// would look for hashicorp/sms.
const smsVersions = `terraform {
  required_providers {
    sms = {
      source = "smsops/sms"
    }
  }
}
`

// Run runs terraform with args in the working directory and waits for it, for at most two
// minutes, which only a hung test reaches.
func (h *tfHarness) Run(args ...string) tfResult {
	h.t.Helper()
	p := h.Start(args...)
	return p.Wait(2 * time.Minute)
}

// tfProcess is a terraform command that is still running.
type tfProcess struct {
	h      *tfHarness
	cmd    *exec.Cmd
	args   []string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
	done   chan struct{}
	err    error
}

// Start starts terraform with args without waiting for it, so that a test can signal it.
func (h *tfHarness) Start(args ...string) *tfProcess {
	h.t.Helper()
	cmd := exec.Command(h.terraform, args...)
	cmd.Dir = h.Dir
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &tfProcess{h: h, cmd: cmd, args: args, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		h.t.Fatalf("starting terraform %v: %v", args, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	// A test that fails early must not leave terraform (and through it the provider) running.
	h.t.Cleanup(func() { p.Kill() })
	return p
}

// Wait waits for terraform to exit; after timeout it kills it and fails the test.
func (p *tfProcess) Wait(timeout time.Duration) tfResult {
	p.h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	select {
	case <-p.done:
	case <-ctx.Done():
		p.h.t.Fatalf("terraform %v did not exit within %s\n%s", p.args, timeout, p.Kill())
	}
	return p.result()
}

// Kill ends terraform at once, if it still runs, and returns what it printed.
func (p *tfProcess) Kill() tfResult {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	return p.result()
}

// Exited reports whether terraform has exited, waiting at most d for it.
func (p *tfProcess) Exited(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (p *tfProcess) result() tfResult {
	r := tfResult{Args: p.args, Stdout: p.stdout.String(), Stderr: p.stderr.String(), ExitCode: -1}
	if p.cmd.ProcessState != nil {
		r.ExitCode = p.cmd.ProcessState.ExitCode()
	}
	return r
}
