// Package testsupport holds what the provider's tests (internal/provider) and the end-to-end
// tests (internal/e2e) share: the test binary's setup, an emulator per test with the provider
// block that reads it, and readers of the emulator's generated JSON. Only tests import it.
package testsupport

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// Run is the body of a TestMain of a package whose tests run Terraform: it sets the parallelism
// and the garbage collection of the test process, and of the processes it starts, and returns
// m.Run's exit code.
//
// The Terraform tests spend most of their time waiting: on backoffs, Retry-After, timeouts and
// the start of terraform and provider processes. go test runs GOMAXPROCS parallel tests at a time
// by default, which leaves the CPU idle during those waits; four times as many keep it busy. An
// explicit -parallel still wins.
func Run(m *testing.M) int {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", strconv.Itoa(4*runtime.GOMAXPROCS(0)))
	}
	relaxGarbageCollection()
	return m.Run()
}

// testGOGC is the garbage collector target of the test process and of every terraform and
// provider process the tests start. Each of them lives for a fraction of a second to a few
// seconds and keeps little, so at Go's default of 100 about a fifth of the CPU went to collecting
// garbage that process exit frees anyway (measured in CONTRIBUTING.md); the tests are CPU-bound,
// so that is a fifth of their wall time. Peak memory of a test process stays about 1 GB.
const testGOGC = 800

// relaxGarbageCollection applies testGOGC unless the developer set GOGC, to this process and,
// through the environment that terraform-plugin-testing and the end-to-end harness pass on, to
// the terraform processes.
func relaxGarbageCollection() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	_ = os.Setenv("GOGC", strconv.Itoa(testGOGC))
	debug.SetGCPercent(testGOGC)
}

// Token is the token the emulator of StartEmulator expects, and ProviderBlock sends.
const Token = "test-token-5f0c2a"

// StartEmulator serves opts on loopback for one test, expecting Token unless opts names another.
func StartEmulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.Token == "" {
		opts.Token = Token
	}
	server := emulator.NewTestServer(opts)
	t.Cleanup(func() { _ = server.Close() })
	return server
}

// ProviderBlock configures the provider for an emulator; extra is added inside the block.
func ProviderBlock(server *emulator.Server, extra string) string {
	return fmt.Sprintf(`
provider "sms" {
  endpoint = %q
  token    = %q
  %s
}
`, server.URL(), Token, extra)
}

// WriteFile writes content to path, creating its parent directories, or fails the test.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
