package e2e_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// Ctrl-C while a data source waits for a wave: Terraform stops the provider and the wait ends at
// once, although its interval is an hour, with no request after it; each poll was logged at
// INFO with what was still waiting.
func TestE2E_InterruptEndsTheWait(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sending os.Interrupt to another process is not supported on Windows")
	}
	t.Parallel()
	server := testsupport.StartEmulator(t, waveOptions(2))
	server.Play() // Counts the reads.
	h := newHarness(t)
	logPath := filepath.Join(t.TempDir(), "info.log")
	h.Setenv("TF_LOG_PROVIDER", "INFO")
	h.Setenv("TF_LOG_PATH", logPath)
	// depends_on on a resource being created defers the read to the apply phase, where
	// Terraform forwards an interrupt to the providers.
	h.Write("main.tf", smsVersions+testsupport.ProviderBlock(server, "")+`
resource "terraform_data" "trigger" {
  input = "go"
}

data "sms_source_servers" "wave" {
  migproject_id = "`+waveProject+`"
  wait = {
    until    = { migration_cycle = ["cutovered"] }
    interval = "1h"
    timeout  = "2h"
  }
  depends_on = [terraform_data.trigger]
}
`)
	p := h.Start("apply", "-auto-approve", "-no-color")
	deadline := time.Now().Add(time.Minute)
	for server.Reads() == 0 {
		if time.Now().After(deadline) || p.Exited(0) {
			t.Fatalf("the wait never read the listing\n%s", p.Kill())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // The first poll is judged and logged; the wait sleeps.
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	interrupted := time.Now()
	if !p.Exited(15 * time.Second) {
		t.Fatalf("terraform did not exit within 15s of the interrupt, with the wait's next poll an hour away\n%s", p.Kill())
	}
	r := p.Wait(time.Second)
	t.Logf("terraform exited %s after the interrupt", time.Since(interrupted).Round(time.Millisecond))
	if r.ExitCode == 0 {
		t.Errorf("terraform exited 0 after an interrupted wait\n%s", r)
	}
	mustContain(t, r, "SMS Source Servers Read Cancelled")
	if reads := server.Reads(); reads != 1 {
		t.Errorf("the emulator saw %d listing reads; want the one before the interrupt", reads)
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if lines := logLines(string(log), "[INFO]", "sms wait: poll 1 after 0s: 0 of 2 source servers done; waiting for web-1 (s1); web-2 (s2)"); len(lines) != 1 {
		t.Errorf("want one INFO line for the first poll, got %d:\n%s", len(lines), log)
	}
}
