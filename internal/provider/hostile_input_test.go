package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s\n", d.Summary(), d.Detail())
	}
	return b.String()
}

// Issue 10, item 1: URLs with user information or a query are shown without them, whether they
// come from the provider block or the environment.
func TestProvider_URLCredentialsNeverShown(t *testing.T) {
	t.Parallel()
	const secret = "PW-secret-31337"
	for _, raw := range []string{
		"http://admin:" + secret + "@sms.example.com",
		"https://sms.example.com/?X-Auth-Token=" + secret,
		"ftp://admin:" + secret + "@sms.example.com",
	} {
		var resp validator.StringResponse
		endpointURL().ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("endpoint"), ConfigValue: types.StringValue(raw)}, &resp)
		if !resp.Diagnostics.HasError() || strings.Contains(diagText(resp.Diagnostics), secret) {
			t.Errorf("endpoint %q: %s", raw, diagText(resp.Diagnostics))
		}

		env := environment{"SMS_ENDPOINT": raw, "HW_AUTH_URL": raw, "HW_USER_NAME": "user",
			"HW_USER_PASSWORD": "a-password", "HW_DOMAIN_NAME": "domain"}
		var diags diag.Diagnostics
		resolveSettings(providerModel{}, env.getenv, &diags)
		if text := diagText(diags); !strings.Contains(text, "Invalid SMS Endpoint") ||
			!strings.Contains(text, "Invalid IAM Auth URL") || strings.Contains(text, secret) {
			t.Errorf("SMS_ENDPOINT and HW_AUTH_URL %q: %s", raw, text)
		}
	}
}

// readErrorAgainst runs one read against handler and returns the diagnostic it produces.
func readErrorAgainst(t *testing.T, handler http.HandlerFunc, method authMethod, mods ...func(*smsapi.Config)) string {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	cfg := smsapi.Config{Endpoint: srv.URL, Auth: smsapi.TokenAuth{Token: testsupport.Token}, MaxRetries: 1,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := smsapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListTasks(context.Background(), smsapi.ListTasksQuery{})
	if err == nil {
		t.Fatal("the read succeeded")
	}
	var diags diag.Diagnostics
	addReadError(&diags, context.Background(), err, time.Minute, method, tasksTarget)
	return diagText(diags)
}

// Issue 10, item 3: a 5xx with a long Retry-After says when to retry, not that retries ran out.
func TestReadError_UnavailableWithLongRetryAfter(t *testing.T) {
	text := readErrorAgainst(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "86400")
		w.WriteHeader(http.StatusServiceUnavailable)
	}, authToken)
	want := time.Now().Add(24 * time.Hour).UTC().Format("2006-01-02T15")
	if !strings.Contains(text, "SMS API Unavailable") || !strings.Contains(text, "asked to wait until "+want) ||
		strings.Contains(text, "retries") {
		t.Errorf("diagnostic:\n%s", text)
	}
}

// Issue 10, item 9: each diagnostic says what happened and what to do, without a wrong hint.
func TestReadError_Wording(t *testing.T) {
	t.Run("redirect refused has no TLS hint", func(t *testing.T) {
		text := readErrorAgainst(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/v3/tasks", http.StatusFound)
		}, authToken)
		if !strings.Contains(text, "SMS API Redirect Refused") || strings.Contains(text, "TLS") || strings.Contains(text, "smsapi:") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("connection refused has no TLS hint", func(t *testing.T) {
		c, err := smsapi.New(smsapi.Config{Endpoint: "http://127.0.0.1:1", Auth: smsapi.TokenAuth{Token: testsupport.Token}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListTasks(context.Background(), smsapi.ListTasksQuery{})
		var diags diag.Diagnostics
		addReadError(&diags, context.Background(), err, time.Minute, authToken, tasksTarget)
		if text := diagText(diags); !strings.Contains(text, "Nothing accepts connections") || strings.Contains(text, "TLS") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("token with a newline", func(t *testing.T) {
		text := readErrorAgainst(t, func(w http.ResponseWriter, r *http.Request) {}, authToken,
			func(cfg *smsapi.Config) { cfg.Auth = smsapi.TokenAuth{Token: testsupport.Token + "\n"} })
		if !strings.Contains(text, "SMS Credentials Unusable") || !strings.Contains(text, "line break") ||
			strings.Contains(text, "TLS") || strings.Contains(text, "proxy") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("429 at the largest max_retries", func(t *testing.T) {
		text := readErrorAgainst(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
		}, authToken, func(cfg *smsapi.Config) { cfg.MaxRetries = maxRetriesLimit; cfg.RetryWaitMax = time.Millisecond })
		if !strings.Contains(text, "SMS API Throttled") || strings.Contains(text, "raise max_retries") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("404 names the host", func(t *testing.T) {
		var host string
		text := readErrorAgainst(t, func(w http.ResponseWriter, r *http.Request) {
			host = r.Host
			http.NotFound(w, r)
		}, authToken)
		if !strings.Contains(text, "SMS API Not Found") || !strings.Contains(text, "http://"+host+"/v3/tasks") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("401 advice follows the credential method", func(t *testing.T) {
		unauthorized := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }
		token := readErrorAgainst(t, unauthorized, authToken)
		aksk := readErrorAgainst(t, unauthorized, authAKSK)
		if !strings.Contains(token, "IAM tokens expire") || strings.Contains(token, "secret_key") ||
			!strings.Contains(aksk, "secret_key") || strings.Contains(aksk, "IAM tokens expire") {
			t.Errorf("token:\n%s\naccess keys:\n%s", token, aksk)
		}
	})
}

// Issue 10, item 6: a read timeout that is not above zero fails at plan, on every data source.
func TestDataSources_ReadTimeoutMustBePositive(t *testing.T) {
	t.Parallel()
	sources := []struct{ name, required string }{
		{"sms_tasks", ""},
		{"sms_source_servers", ""},
		{"sms_source_server_overview", ""},
		{"sms_task", `task_id = "t-1"`},
	}
	var cases []errorCase
	for _, source := range sources {
		for _, value := range []string{"0s", "-1m"} {
			cases = append(cases, errorCase{
				name: source.name + " " + value,
				config: fmt.Sprintf(`provider "sms" {
  endpoint = "http://127.0.0.1:1"
  token    = "x"
}
data %q "this" {
  %s
  timeouts = {
    read = %q
  }
}`, source.name, source.required, value),
				want: `(?s)Invalid Read Timeout.*must be above zero`,
			})
		}
	}
	expectErrors(t, cases)
}

// Issue 10, item 8: short secrets leave log lines readable and are masked where they stand alone.
func TestWithSecretMasks_ShortSecrets(t *testing.T) {
	var buf syncBuffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = withSecretMasks(ctx, []string{"t", "e", "long-secret-value"})
	tflog.Debug(ctx, "read timeout reached", map[string]any{"token": "t", "note": "read timeout", "other": "x long-secret-value y"})
	out := buf.String()
	if !strings.Contains(out, "read timeout reached") || !strings.Contains(out, `"note":"read timeout"`) {
		t.Errorf("the words around a short secret were masked: %s", out)
	}
	if strings.Contains(out, `"token":"t"`) || strings.Contains(out, "long-secret-value") {
		t.Errorf("a secret reached the log: %s", out)
	}
}
