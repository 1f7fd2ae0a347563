package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// secretCredentials lists every credential the provider accepts: the provider argument and the
// environment variable that set it, a value distinctive enough that a leak of any part of it is
// found, and how the emulator is told to accept it. Supporting a new credential means adding its
// line here; every scenario below sets all of them at once.
var secretCredentials = []struct {
	attribute, env, value string
	accept                func(opts *emulator.Options, value string)
}{
	{"token", envToken, "tok-Q7vX2mLp9RzK4wB8nT3yH6cJ-e2e", func(o *emulator.Options, v string) { o.Token = v }},
}

// secretWindow is the length of the fragments of a credential searched for: shorter than any
// credential and long enough not to occur by chance in Terraform's output.
const secretWindow = 10

// TestE2E_SecretsNeverLeak runs terraform apply with TF_LOG=TRACE against the emulator, with the
// credentials in the environment or in the provider block, on a successful read and on failing
// ones whose answers echo the credentials back (401, 500 after a retry, a 200 that is not JSON).
// No credential, nor any fragment of one, may appear in stdout, stderr, the log file or the state.
// The test also checks that the log holds the provider's request lines, so that an empty or
// missing log cannot make it pass.
func TestE2E_SecretsNeverLeak(t *testing.T) {
	t.Parallel()
	var echo []string
	for _, c := range secretCredentials {
		echo = append(echo, c.attribute+"="+c.value)
	}
	echoed := strings.Join(echo, " ")

	cases := []struct {
		name        string
		inConfig    bool // credentials in the provider block instead of the environment
		fault       *emulator.Fault
		wantSuccess bool
		want        []string // in Terraform's output
		wantLog     []string // each on some line of the log, with the request lines
	}{
		{name: "success, credentials from the environment", wantSuccess: true},
		{name: "success, credentials in the provider block", inConfig: true, wantSuccess: true},
		{
			name:    "401 echoing the credentials",
			fault:   &emulator.Fault{Status: 401, Body: `{"error_code":"APIG.1002","error_msg":"Incorrect token: ` + echoed + `"}`, Times: 2},
			want:    []string{"Error: SMS API Authentication Failed", "[REDACTED]"},
			wantLog: []string{"status=401"},
		},
		{
			name:     "500 echoing the credentials, retried",
			inConfig: true,
			fault:    &emulator.Fault{Status: 500, Body: "<html><body><h1>Internal error</h1><p>" + echoed + "</p></body></html>", Times: 2},
			want:     []string{"Error: SMS API Unavailable", "after 2 attempts", "[REDACTED]"},
			wantLog:  []string{"status=500", "attempt=2"},
		},
		{
			name:    "200 echoing the credentials in a body that is not JSON",
			fault:   &emulator.Fault{Body: "debug: " + echoed},
			want:    []string{"Error: Invalid SMS API Response", "[REDACTED]"},
			wantLog: []string{"status=200"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := emulator.Options{Tasks: emulator.GenerateTasks(5, 9)}
			for _, c := range secretCredentials {
				c.accept(&opts, c.value)
			}
			server := emulator.NewTestServer(opts)
			t.Cleanup(func() { _ = server.Close() })
			if tc.fault != nil {
				server.InjectFaults(*tc.fault)
			}

			h := newHarness(t)
			logPath := filepath.Join(t.TempDir(), "trace.log")
			h.Setenv("TF_LOG", "TRACE")
			h.Setenv("TF_LOG_PATH", logPath)
			h.Setenv(envEndpoint, server.URL())
			var args []string
			for _, c := range secretCredentials {
				if tc.inConfig {
					args = append(args, fmt.Sprintf("%s = %q", c.attribute, c.value))
				} else {
					h.Setenv(c.env, c.value)
				}
			}
			h.Write("main.tf", smsVersions+fmt.Sprintf(`
provider "sms" {
  max_retries = 1
  %s
}

data "sms_tasks" "all" {}

output "first_task_name" {
  value = data.sms_tasks.all.tasks[0].name
}
`, strings.Join(args, "\n  ")))

			r := h.Run("apply", "-auto-approve", "-no-color")
			if tc.wantSuccess {
				mustSucceed(t, r)
			} else {
				mustFail(t, r)
			}
			mustContain(t, r, tc.want...)

			logText := readFile(t, logPath)
			state := h.Read("terraform.tfstate")
			if tc.wantSuccess && !strings.Contains(state, `"type": "sms_tasks"`) {
				t.Errorf("the state does not hold the data source, so searching it proves nothing:\n%s", state)
			}
			if !strings.Contains(logText, "[TRACE]") {
				t.Error("the log has no TRACE lines")
			}
			for _, want := range [][]string{{"smsapi: sending request", "attempt=1"}, {"smsapi: received response"}} {
				if len(logLines(logText, want...)) == 0 {
					t.Errorf("the log lacks a line with %q, so searching it proves nothing", want)
				}
			}
			for _, want := range tc.wantLog {
				if len(logLines(logText, "smsapi:", want)) == 0 {
					t.Errorf("the log lacks a request line with %q", want)
				}
			}

			places := map[string]string{"stdout": r.Stdout, "stderr": r.Stderr, "TF_LOG_PATH file": logText, "terraform.tfstate": state}
			for _, c := range secretCredentials {
				for where, text := range places {
					if leak := findFragment(text, c.value, secretWindow); leak != "" {
						t.Errorf("%s shows the %s (fragment %q):\n%s", where, c.attribute, leak, around(text, leak))
					}
				}
			}
			entries, _ := os.ReadDir(h.Dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "crash") {
					t.Errorf("terraform left a crash log: %s", e.Name())
				}
			}
		})
	}
}

// findFragment returns the first substring of secret, window bytes long, that occurs in text.
func findFragment(text, secret string, window int) string {
	window = min(window, len(secret))
	for i := 0; i+window <= len(secret); i++ {
		if frag := secret[i : i+window]; strings.Contains(text, frag) {
			return frag
		}
	}
	return ""
}

// around returns the line of text that holds frag, for a readable failure.
func around(text, frag string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, frag) {
			return line
		}
	}
	return ""
}
