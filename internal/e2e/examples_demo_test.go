package e2e_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// make demo ends with a plan of the CI gate that must fail, and it must fail at the gate: a plan
// that fails for any other reason says nothing about the gate, so run.sh must not report success
// then. Both runs serve a small fleet without latency, each in a directory of its own.
func TestExamples_DemoReportsTheGateOnlyWhenTheGateStopsThePlan(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		env      []string
		wantExit bool // whether run.sh must succeed
		want     string
	}{
		{name: "the gate stops the plan", wantExit: true, want: "The gate's plan failed at its postcondition"},
		// An undeclared variable fails the gate's plan before any data source is read.
		{name: "the plan fails elsewhere", env: []string{"TF_CLI_ARGS_plan=-var=nope=1"}, want: "but not at the gate's postcondition"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, err := runDemo(t, root, c.env...)
			if succeeded := err == nil; succeeded != c.wantExit {
				t.Fatalf("run.sh: %v (want success: %v)\n%s", err, c.wantExit, out)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("run.sh's output lacks %q:\n%s", c.want, out)
			}
			// The wave view says why its failed servers failed, with the API's error codes.
			if errs := regexp.MustCompile(`wave_errors = \{\s+"[^"]+" = \[\s+"SMS\.\d{4}: `); c.wantExit && !errs.MatchString(out) {
				t.Errorf("run.sh's output lacks the wave's migration errors:\n%s", out)
			}
			// After the gate, the demo waits for a wave that finishes while it is watched.
			if wave := "sms wait: all 6 source servers match until"; c.wantExit && !strings.Contains(out, wave) {
				t.Errorf("run.sh's output lacks %q:\n%s", wave, out)
			}
		})
	}
}

// runDemo runs examples/demo/run.sh with the CLI under test as terraform, in a temporary
// directory, with none of the developer's TF_*, SMS_* or HW_* variables, and returns its output.
func runDemo(t *testing.T, root string, env ...string) (string, error) {
	t.Helper()
	cliDir := filepath.Join(t.TempDir(), "cli")
	if err := os.MkdirAll(cliDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(terraformBinary(t), filepath.Join(cliDir, "terraform")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "examples", "demo", "run.sh"))
	cmd.WaitDelay = 10 * time.Second
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "TF_"), strings.HasPrefix(kv, "SMS_"), strings.HasPrefix(kv, "HW_"):
		case strings.HasPrefix(kv, "PATH="):
			cmd.Env = append(cmd.Env, "PATH="+cliDir+string(os.PathListSeparator)+strings.TrimPrefix(kv, "PATH="))
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "CHECKPOINT_DISABLE=1", "DEMO_TASKS=60", "DEMO_LATENCY=0s",
		"DEMO_WORKDIR="+filepath.Join(t.TempDir(), "demo"))
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
