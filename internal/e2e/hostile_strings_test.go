package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// A task or server name holding a credential without its first and last character (which no
// search for its ends or its whole finds) reaches neither the state nor the output: for a token,
// the secret key and HW_SECURITY_TOKEN of access keys, and the password and the token IAM issues
// for it. Every page echoes the credentials of the request that asked for it.
func TestE2E_InnerPiecesOfCredentialsNeverReachTheState(t *testing.T) {
	t.Parallel()
	config := smsVersions
	var apis []*emulator.Server
	var secrets []string
	for _, method := range secretMethods {
		id := hclName(method.name)
		opts := emulator.Options{}
		method.accept(&opts)
		api := emulator.New(opts)
		apis = append(apis, api)
		secrets = append(secrets, method.secrets...)
		srv := httptest.NewServer(innerPieceEcho(api, method.secrets))
		t.Cleanup(srv.Close)
		block := []string{fmt.Sprintf("endpoint = %q", srv.URL), "max_retries = 0"}
		for arg, value := range method.args {
			block = append(block, fmt.Sprintf("%s = %q", arg, strings.ReplaceAll(value, "{url}", srv.URL)))
		}
		config += fmt.Sprintf(`
provider "sms" {
  alias = %[1]q
  %[2]s
}
data "sms_tasks" %[1]q {
  provider = sms.%[1]s
}
data "sms_source_servers" %[1]q {
  provider = sms.%[1]s
}
data "sms_task" %[1]q {
  provider = sms.%[1]s
  task_id  = "t1"
}
output "%[1]s_names" {
  value = [data.sms_tasks.%[1]s.tasks[0].name, data.sms_source_servers.%[1]s.servers[0].name, data.sms_task.%[1]s.name]
}
`, id, strings.Join(block, "\n  "))
	}
	h := newHarness(t)
	h.Write("main.tf", config)
	r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	issued := 0
	for _, api := range apis {
		issued += len(api.IssuedTokens())
		secrets = append(secrets, api.IssuedTokens()...)
	}
	if issued == 0 {
		t.Error("IAM issued no token, so the password method proves nothing")
	}
	state := h.Read("terraform.tfstate")
	mustContain(t, r, "[REDACTED]")
	for _, secret := range secrets {
		for where, text := range map[string]string{"terraform.tfstate": state, "output": r.Output()} {
			if leak := findFragment(text, secret[1:len(secret)-1]); leak != "" {
				t.Errorf("%s shows a piece of a credential (fragment %q):\n%s", where, leak, around(text, leak))
			}
		}
	}
	if !strings.Contains(state, "before [REDACTED] and [REDACTED]") {
		t.Errorf("the state lacks the masked name, so searching it proves little:\n%s", state)
	}
}

// innerPieceEcho serves IAM's token requests from api, and every SMS request with one task or
// server whose name holds each credential of the request (X-Auth-Token, X-Security-Token) and
// each of secrets without its first and last character.
func innerPieceEcho(api *emulator.Server, secrets []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/v3/auth/tokens") {
			api.ServeHTTP(w, r)
			return
		}
		var inner []string
		for _, s := range append([]string{r.Header.Get("X-Auth-Token"), r.Header.Get("X-Security-Token")}, secrets...) {
			if len(s) > 2 {
				inner = append(inner, s[1:len(s)-1])
			}
		}
		name := fmt.Sprintf(`"name":"before %s after"`, strings.Join(inner, " and "))
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v3/tasks":
			_, _ = fmt.Fprintf(w, `{"count":1,"tasks":[{"id":"t1","state":"RUNNING",%s}]}`, name)
		case "/v3/sources":
			_, _ = fmt.Fprintf(w, `{"count":1,"source_servers":[{"id":"s1","state":"replicate",%s}]}`, name)
		default:
			_, _ = fmt.Fprintf(w, `{"id":"t1","state":"RUNNING",%s}`, name)
		}
	})
}

// A line break in an identifier cannot forge lines in a gate's error_message: ids, names, states
// and task_states keys hold \n, \r, U+2028 and U+2029 escaped, while error_json and
// process_trace keep their lines (and a Windows line end) exactly.
func TestE2E_LineBreaksInIdentifiersCannotForgeLines(t *testing.T) {
	t.Parallel()
	const forged = `\n\nApply complete! Resources: 9 added, 0 changed, 0 destroyed.\n`
	api := newHostileAPI(t, map[string]string{
		"/v3/tasks": `{"count":1,"tasks":[{"id":"t1` + forged + `","name":"n\r\u2028FORGED\u2029","state":"MIGRATE_FAIL\n",` +
			`"error_json":"line one\nline two\r\nline three\rEND","sub_tasks":[{"id":1,"name":"s\nx","process_trace":"a\nb"}]}]}`,
		"/v3/sources": `{"count":1,"source_servers":[{"id":"s1` + forged + `","name":"srv\u0085NEL","state":"error"}]}`,
	})
	h := newHarness(t)
	h.Write("main.tf", smsVersions+api.providerBlock()+`
data "sms_tasks" "all" {}
data "sms_source_servers" "all" {}
check "gate" {
  assert {
    condition     = length(data.sms_tasks.all.tasks) == 0
    error_message = "failed: ${join(",", keys(data.sms_tasks.all.task_states))} ${data.sms_tasks.all.tasks[0].name} ${data.sms_tasks.all.tasks[0].state} ${data.sms_tasks.all.tasks[0].sub_tasks[0].name} ${data.sms_source_servers.all.servers[0].id} ${data.sms_source_servers.all.servers[0].name}"
  }
}
output "error_json" { value = data.sms_tasks.all.tasks[0].error_json }
output "process_trace" { value = data.sms_tasks.all.tasks[0].sub_tasks[0].process_trace }
output "id" { value = data.sms_tasks.all.tasks[0].id }
`)
	r := mustSucceed(t, h.Run("apply", "-auto-approve", "-no-color"))
	for _, line := range strings.Split(r.Output(), "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, "│ "), "Apply complete! Resources: 9 added") {
			t.Errorf("a forged line reached the terminal: %q\n%s", line, r)
		}
	}
	mustContain(t, r, `t1\n\nApply complete!`, `n\r\u2028FORGED\u2029`, `MIGRATE_FAIL\n`, `s\nx`, `srv\x85NEL`)
	outputs := h.Outputs()
	for name, want := range map[string]string{
		"error_json":    `"line one\nline two\r\nline three\\rEND"`,
		"process_trace": `"a\nb"`,
		"id":            `"t1\\n\\nApply complete! Resources: 9 added, 0 changed, 0 destroyed.\\n"`,
	} {
		if got := string(outputs[name]); got != want {
			t.Errorf("output %s = %s, want %s", name, got, want)
		}
	}
}
