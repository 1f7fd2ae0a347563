package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// make install puts the provider where a user's Terraform or OpenTofu finds it before it is on a
// registry: the implied local mirror under the user's home. A configuration with the published
// required_providers then inits offline, without a CLI configuration, and reads the emulator.
func TestInstall_MakeInstallServesInitWithoutARegistry(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	home := h.env["HOME"]
	install := exec.Command("make", "--no-print-directory", "install", "PLUGIN_DIR="+filepath.Join(home, ".terraform.d", "plugins"))
	install.Dir = root
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	// No provider_installation block, as on a user's machine: the CLI falls back to the implied
	// local mirror for smsops/sms and would need a registry for anything else.
	empty := filepath.Join(filepath.Dir(h.Dir), "empty.tfrc")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h.Setenv("TF_CLI_CONFIG_FILE", empty)
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(5, 1)})
	h.Write("main.tf", `terraform {
  required_providers {
    sms = {
      source  = "smsops/sms"
      version = "~> 0.1"
    }
  }
}
`+testsupport.ProviderBlock(server, "")+`
data "sms_tasks" "all" {
  summary_only = true
}

output "total" {
  value = data.sms_tasks.all.total_count
}
`)
	mustSucceed(t, h.Run("init", "-no-color"))
	r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	mustContain(t, r, "total = 5")
}
