package e2e_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// secretMethods lists every way the provider authenticates: the provider arguments that select
// it (a value may use {url}, the emulator's base URL; the environment variable of an argument is
// in argumentEnv), which of those values are secrets, and how the emulator is told to accept
// them. Supporting a new credential means adding it to its method's line and argumentEnv; a new
// method is a new line. The values are long and distinctive so that a leak of any part is found.
var secretMethods = []struct {
	name    string
	args    map[string]string
	secrets []string
	accept  func(o *emulator.Options)
}{
	{"token", map[string]string{"token": "tok-Q7vX2mLp9RzK4wB8nT3yH6cJ-e2e"},
		[]string{"tok-Q7vX2mLp9RzK4wB8nT3yH6cJ-e2e"},
		func(o *emulator.Options) { o.Token = "tok-Q7vX2mLp9RzK4wB8nT3yH6cJ-e2e" }},
	{"access keys", map[string]string{"access_key": "AKE2E7Q2W9ZL4M8N3B5V", "secret_key": "sk-Hn4Rt8Yq2Wp6Zx9Lc3Vb7Md1-e2e", "security_token": "st-Jk5Fs9Gd3Ha7Qw2Er6Ty8Ui4-e2e"},
		[]string{"sk-Hn4Rt8Yq2Wp6Zx9Lc3Vb7Md1-e2e", "st-Jk5Fs9Gd3Ha7Qw2Er6Ty8Ui4-e2e"},
		func(o *emulator.Options) {
			o.AccessKey, o.SecretKey, o.SecurityToken = "AKE2E7Q2W9ZL4M8N3B5V", "sk-Hn4Rt8Yq2Wp6Zx9Lc3Vb7Md1-e2e", "st-Jk5Fs9Gd3Ha7Qw2Er6Ty8Ui4-e2e"
		}},
	{"password", map[string]string{"auth_url": "{url}/v3", "user_name": "e2e-reader", "password": "pw-Zc8Xv4Bn6Mq2Lw9Ke3Rj7Tp5-e2e", "domain_name": "e2e-domain"},
		[]string{"pw-Zc8Xv4Bn6Mq2Lw9Ke3Rj7Tp5-e2e"},
		func(o *emulator.Options) {
			o.IAMUsers = []emulator.IAMUser{{Name: "e2e-reader", Password: "pw-Zc8Xv4Bn6Mq2Lw9Ke3Rj7Tp5-e2e", DomainName: "e2e-domain"}}
		}},
}

// argumentEnv is the environment variable that sets each argument of secretMethods, the first
// one the provider's documentation lists for it. A wrong name leaves the provider without
// credentials, which fails the scenarios that read from the environment.
var argumentEnv = map[string]string{
	"token": "SMS_TOKEN", "access_key": "SMS_ACCESS_KEY", "secret_key": "SMS_SECRET_KEY", "security_token": "HW_SECURITY_TOKEN",
	"auth_url": "HW_AUTH_URL", "user_name": "HW_USER_NAME", "password": "HW_USER_PASSWORD", "domain_name": "HW_DOMAIN_NAME",
}

// secretWindow is the length of the fragments of a secret searched for: shorter than any secret
// and long enough not to occur by chance in Terraform's output.
const secretWindow = 10

// echoScenario is how the API answers one provider configuration; a zero status means the
// emulator answers.
type echoScenario struct {
	name        string
	id          string // names the scenario's provider alias, data sources and request ids
	inConfig    bool   // credentials in the provider block instead of the environment
	status      int    // answer every tasks request with this status and a body echoing the secrets
	html        bool   // the echoing body is an HTML page rather than Huawei's JSON error
	wantSuccess bool
	want        []string // in Terraform's output
	wantLog     []string // each on some request line of the log
}

var echoScenarios = []echoScenario{
	{name: "success from the environment", id: "success", wantSuccess: true},
	{name: "401 echoing the credentials", id: "unauthorized", status: 401,
		want: []string{"Error: SMS API Authentication Failed", "[REDACTED]"}, wantLog: []string{"status=401"}},
	{name: "500 page echoing the credentials, retried, credentials in the provider block", id: "unavailable", inConfig: true, status: 500, html: true,
		want: []string{"Error: SMS API Unavailable", "after 2 attempts", "[REDACTED]"}, wantLog: []string{"status=500", "attempt=2"}},
	{name: "200 echoing the credentials in a body that is not JSON", id: "not_json", status: 200, html: true,
		want: []string{"Error: Invalid SMS API Response", "[REDACTED]"}, wantLog: []string{"status=200"}},
}

// leakDataSources are the data sources every scenario reads, each named after its scenario's id.
var leakDataSources = []string{"sms_tasks", "sms_task", "sms_source_servers", "sms_source_server_overview"}

// TestE2E_SecretsNeverLeak runs terraform apply with TF_LOG=TRACE against the emulator for every
// authentication method: on a successful read, and on failing ones whose answers echo every
// credential back, those the request carried and the configured secrets. No secret, nor any
// fragment of one, may appear in stdout, stderr, the log file or the state. The test checks that
// the log holds the provider's request lines, so that an empty or missing log cannot pass it.
//
// A successful scenario runs alone, since its state is searched too. The failing scenarios of a
// method run together in one apply, each through a provider alias of its own against an API of
// its own: terraform reads every data source although the first fails, each error names its data
// source, and each failing API tags its request ids with the scenario, so the errors and log
// lines of each are checked on their own. The credentials are then in the environment for all of
// them, and the scenario with credentials in the provider block overrides them there with the
// same values, which the provider reads from the block.
func TestE2E_SecretsNeverLeak(t *testing.T) {
	t.Parallel()
	for _, method := range secretMethods {
		var failing []echoScenario
		for _, sc := range echoScenarios {
			if sc.wantSuccess {
				t.Run(method.name+"/"+sc.name, func(t *testing.T) {
					t.Parallel()
					runLeakScenarios(t, method.args, method.secrets, method.accept, []echoScenario{sc})
				})
			} else {
				failing = append(failing, sc)
			}
		}
		t.Run(method.name+"/failing answers", func(t *testing.T) {
			t.Parallel()
			runLeakScenarios(t, method.args, method.secrets, method.accept, failing)
		})
	}
}

// runLeakScenarios applies one configuration in which each scenario reads every data source
// through a provider alias of its own, and searches everything terraform wrote for the secrets.
func runLeakScenarios(t *testing.T, args map[string]string, methodSecrets []string, accept func(o *emulator.Options), scenarios []echoScenario) {
	h := newHarness(t)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	h.Setenv("TF_LOG", "TRACE")
	h.Setenv("TF_LOG_PATH", logPath)
	config := smsVersions
	var apis []*emulator.Server
	for _, sc := range scenarios {
		fleet := emulator.GenerateFleet(5, 9)
		opts := fleet.Options()
		accept(&opts)
		var firstTask struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(fleet.Tasks[0], &firstTask); err != nil {
			t.Fatal(err)
		}
		api := emulator.New(opts)
		apis = append(apis, api)
		srv := httptest.NewServer(echoingAPI(api, sc, methodSecrets))
		t.Cleanup(srv.Close)

		// The endpoint and an argument that holds it ({url}) differ between the scenarios of
		// one run, so then they are in each block; the credentials are in the environment unless
		// the scenario puts them in the block.
		var block []string
		if len(scenarios) == 1 {
			h.Setenv("SMS_ENDPOINT", srv.URL)
		} else {
			block = append(block, fmt.Sprintf("endpoint = %q", srv.URL))
		}
		for arg, value := range args {
			value = strings.ReplaceAll(value, "{url}", srv.URL)
			if sc.inConfig || len(scenarios) > 1 && value != args[arg] {
				block = append(block, fmt.Sprintf("%s = %q", arg, value))
			} else {
				env, ok := argumentEnv[arg]
				if !ok {
					t.Fatalf("argumentEnv lacks the environment variable of %s", arg)
				}
				h.Setenv(env, value)
			}
		}
		slices.Sort(block)
		config += fmt.Sprintf(`
provider "sms" {
  alias       = %[1]q
  max_retries = 1
  %[2]s
}

data "sms_tasks" %[1]q {
  provider = sms.%[1]s
}

data "sms_task" %[1]q {
  provider = sms.%[1]s
  task_id  = %[3]q
}

data "sms_source_servers" %[1]q {
  provider = sms.%[1]s
}

data "sms_source_server_overview" %[1]q {
  provider = sms.%[1]s
}

output "%[1]s_first_task_name" {
  value = data.sms_tasks.%[1]s.tasks[0].name
}

output "%[1]s_first_task_eta" {
  value = data.sms_task.%[1]s.remain_seconds
}

output "%[1]s_first_server_name" {
  value = data.sms_source_servers.%[1]s.servers[0].name
}

output "%[1]s_waiting" {
  value = data.sms_source_server_overview.%[1]s.waiting
}
`, sc.id, strings.Join(block, "\n  "), firstTask.ID)
	}
	h.Write("main.tf", config)

	r := h.Run("apply", "-auto-approve", "-no-color")
	logText := readFile(t, logPath)
	state := h.Read("terraform.tfstate")
	checkLogEvidence(t, logText)
	if len(scenarios) == 1 && scenarios[0].wantSuccess {
		mustSucceed(t, r)
		mustContain(t, r, scenarios[0].want...)
		if !strings.Contains(state, `"type": "sms_tasks"`) {
			t.Errorf("the state does not hold the data source, so searching it proves nothing:\n%s", state)
		}
	} else {
		checkFailingLeakScenarios(t, r, logText, scenarios)
	}

	secrets := slices.Clone(methodSecrets)
	for _, api := range apis {
		secrets = append(secrets, api.IssuedTokens()...)
	}
	places := map[string]string{"stdout": r.Stdout, "stderr": r.Stderr, "TF_LOG_PATH file": logText, "terraform.tfstate": state}
	for _, secret := range secrets {
		// The base64 form, which the failing pages echo too, gives the secret back as well.
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
			for where, text := range places {
				if leak := findFragment(text, form); leak != "" {
					t.Errorf("%s shows a secret (fragment %q):\n%s", where, leak, around(text, leak))
				}
			}
		}
	}
}

// checkFailingLeakScenarios checks, in a subtest per scenario, that every data source of the
// scenario failed, that its errors together say what the scenario wants said, and that the log
// holds the scenario's own responses with what it wants logged.
func checkFailingLeakScenarios(t *testing.T, r tfResult, logText string, scenarios []echoScenario) {
	t.Helper()
	mustFail(t, r)
	errs := errorsByAddress(t, r)
	if len(errs) != len(scenarios)*len(leakDataSources) {
		t.Errorf("%d errors for %d scenarios of %d data sources each:\n%s", len(errs), len(scenarios), len(leakDataSources), r)
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var text []string
			for _, ds := range leakDataSources {
				mustHaveError(t, errs, "data."+ds+"."+sc.id)
				text = append(text, errs["data."+ds+"."+sc.id])
			}
			mustContain(t, tfResult{Stdout: strings.Join(text, "\n")}, sc.want...)
			// The failing API tags its request ids, so these are the scenario's own responses.
			tagged := logLines(logText, "smsapi: received response", requestIDTag(sc))
			if len(tagged) == 0 {
				t.Errorf("the log lacks the responses of the scenario (request id %s), so searching it proves nothing", requestIDTag(sc))
			}
			for _, want := range sc.wantLog {
				if len(logLines(strings.Join(tagged, "\n"), want)) == 0 {
					t.Errorf("the log lacks a response line of the scenario with %q", want)
				}
			}
		})
	}
}

// requestIDTag starts the X-Request-Id of every answer of a failing scenario.
func requestIDTag(sc echoScenario) string { return "rid-" + sc.id }

// echoingAPI serves the emulator, except that in a failing scenario every request of the SMS API
// (tasks, task detail, source servers, overview; not IAM's token requests) is answered with the scenario's status and a body that repeats the request's credentials and the
// method's secrets, as a careless gateway or a debugging proxy might.
func echoingAPI(api *emulator.Server, sc echoScenario, secrets []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sc.status == 0 || strings.HasSuffix(r.URL.Path, "/v3/auth/tokens") {
			api.ServeHTTP(w, r)
			return
		}
		echo := strings.Join(append([]string{r.Header.Get("X-Auth-Token"), r.Header.Get("X-Security-Token"),
			r.Header.Get("Authorization")}, secrets...), " ")
		body := fmt.Sprintf(`{"error_code":"APIG.1002","error_msg":"rejected: %s","request_id":"%s"}`, echo, echo)
		if sc.html {
			// A page may also escape a character of what it echoes, which hides the whole
			// secret from a plain search but not the rest of it from a reader.
			var escaped []string
			for _, s := range secrets {
				escaped = append(escaped, fmt.Sprintf(`&#%d;%s \u%04x%s %s %s %s`, s[0], s[1:], s[0], s[1:],
					s[:len(s)-1], url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s))))
			}
			body = "<html><body><h1>Error</h1><p>request carried " + echo + " " + strings.Join(escaped, " ") + "</p></body></html>"
		}
		w.Header().Set("X-Request-Id", requestIDTag(sc)+" "+echo)
		w.WriteHeader(sc.status)
		_, _ = w.Write([]byte(body))
	})
}

// checkLogEvidence fails the test when the log could not have shown a leak: no TRACE lines, no
// request lines, or a crash.
func checkLogEvidence(t *testing.T, logText string) {
	t.Helper()
	if !strings.Contains(logText, "[TRACE]") {
		t.Error("the log has no TRACE lines")
	}
	for _, want := range [][]string{{"smsapi: sending request", "attempt=1"}, {"smsapi: received response"}} {
		if len(logLines(logText, want...)) == 0 {
			t.Errorf("the log lacks a line with %q, so searching it proves nothing", want)
		}
	}
	if strings.Contains(logText, "panic:") || strings.Contains(logText, "fatal error:") {
		t.Error("the provider crashed")
	}
}

// findFragment returns the first substring of secret, secretWindow bytes long (or all of a
// shorter secret), that occurs in text.
func findFragment(text, secret string) string {
	window := min(secretWindow, len(secret))
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

// Issue 10, item 1, through the Terraform binary: an endpoint with a password, from a sensitive
// variable or from SMS_ENDPOINT, and an HW_AUTH_URL with a token in its query, never show up in
// the output or in a TRACE log.
func TestE2E_URLCredentialsNeverShown(t *testing.T) {
	t.Parallel()
	const secret = "PW-e2e-4242"
	cases := map[string]struct {
		env    map[string]string
		config string
	}{
		"sensitive variable": {config: `
variable "endpoint" {
  type      = string
  sensitive = true
  default   = "http://admin:` + secret + `@127.0.0.1:1"
}
provider "sms" {
  endpoint = var.endpoint
  token    = "x"
}`},
		"SMS_ENDPOINT": {env: map[string]string{"SMS_ENDPOINT": "http://admin:" + secret + "@127.0.0.1:1", "SMS_TOKEN": "x"},
			config: `provider "sms" {}`},
		"HW_AUTH_URL": {env: map[string]string{"SMS_ENDPOINT": "http://127.0.0.1:1", "HW_AUTH_URL": "https://iam.example.com/v3?X-Auth-Token=" + secret,
			"HW_USER_NAME": "u", "HW_USER_PASSWORD": "a-password", "HW_DOMAIN_NAME": "d"}, config: `provider "sms" {}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			logPath := filepath.Join(t.TempDir(), "trace.log")
			h.Setenv("TF_LOG", "TRACE")
			h.Setenv("TF_LOG_PATH", logPath)
			for k, v := range tc.env {
				h.Setenv(k, v)
			}
			h.Write("main.tf", smsVersions+tc.config+"\ndata \"sms_tasks\" \"all\" {}\n")
			r := mustFail(t, h.Run("plan", "-no-color"))
			mustContain(t, r, "must not")
			for where, text := range map[string]string{"output": r.Output(), "TRACE log": readFile(t, logPath)} {
				if strings.Contains(text, secret) {
					t.Errorf("the %s shows the credential:\n%s", where, around(text, secret))
				}
			}
		})
	}
}
