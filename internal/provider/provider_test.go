package provider

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
)

// protoV6ProviderFactories serves the provider in-process, so the tests run through the real
// Terraform CLI without installing anything. It is the server main serves, with the direct
// encoding of listing reads, and an empty environment.
var protoV6ProviderFactories = factoriesWith(nil)

// frameworkProviderFactories serves the provider through the framework alone: the reference the
// direct encoding must match.
var frameworkProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"sms": frameworkServer(nil),
}

// environment is the environment a provider instance sees in a test. The machine's SMS_* and
// HW_* variables never reach it, and tests that configure the provider through variables run in
// parallel, because none of them changes the process environment.
type environment map[string]string

func (e environment) getenv(name string) string { return e[name] }

// factoriesWith serves the provider as main does, with env as its only environment.
func factoriesWith(env environment) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){"sms": directServer(env)}
}

// directServer is NewServer with env as the provider's environment;
// TestDirectServer_IsWhatMainServes keeps the two alike.
func directServer(env environment) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		framework, err := frameworkServer(env)()
		if err != nil {
			return nil, err
		}
		return directstate.NewServer(framework), nil
	}
}

// frameworkServer serves the provider through the framework alone, with env as its environment.
func frameworkServer(env environment) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&smsProvider{version: "test", getenv: env.getenv})
}

func TestDirectServer_IsWhatMainServes(t *testing.T) {
	t.Parallel()
	want, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	got, err := directServer(nil)()
	if err != nil {
		t.Fatal(err)
	}
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Errorf("the test server is a %T, main serves a %T", got, want)
	}
}

// A provider without an endpoint or credentials, with environment values that do not parse, or
// with an endpoint only known after apply fails with what to set and where.
func TestProvider_MissingInvalidAndUnknownSettings(t *testing.T) {
	t.Parallel()
	expectErrors(t, []errorCase{
		{name: "no endpoint", config: `provider "sms" {}` + "\n" + readAll, want: `(?s)Missing SMS Endpoint.*SMS_ENDPOINT`},
		{name: "no credentials", config: "provider \"sms\" {\n  endpoint = \"https://sms.example.invalid\"\n}\n" + readAll,
			want: `(?s)Missing SMS Credentials.*SMS_ACCESS_KEY.*HW_SECRET_KEY.*HW_PROFILE.*SMS_TOKEN.*HW_AUTH_TOKEN.*HW_USER_PASSWORD.*HW_AUTH_URL`},
		{name: "environment values that do not parse",
			env:    environment{"SMS_TOKEN": testsupport.Token, "SMS_ENDPOINT": "not a url", "SMS_MAX_RETRIES": "many", "SMS_INSECURE": "perhaps"},
			config: `provider "sms" {}` + "\n" + readAll,
			want:   `(?s)SMS_ENDPOINT.*SMS_MAX_RETRIES.*"many".*SMS_INSECURE.*"perhaps"`},
		{name: "endpoint unknown at configure", config: `
resource "terraform_data" "endpoint" {
  input = "http://127.0.0.1:1"
}
provider "sms" {
  endpoint = terraform_data.endpoint.output
  token    = "x"
}
` + readAll,
			want: `(?s)Unknown SMS Provider Setting.*"endpoint" is not known`},
	})
}

func TestProvider_InvalidArgumentsFailAtValidate(t *testing.T) {
	t.Parallel()
	block := func(argument string) string {
		return fmt.Sprintf("provider \"sms\" {\n  token = \"x\"\n  %s\n}\ndata \"sms_tasks\" \"all\" {}", argument)
	}
	expectErrors(t, []errorCase{
		{name: "endpoint scheme", config: block(`endpoint = "ftp://sms.example.com"`), want: `(?s)Invalid SMS Endpoint.*https://`},
		{name: "endpoint no host", config: block(`endpoint = "https://"`), want: `(?s)Invalid SMS Endpoint.*no host`},
		{name: "request_timeout", config: block(`request_timeout = "5 parsecs"`), want: `(?s)Invalid Time Duration String Value.*5\s+parsecs`},
		{name: "request_timeout 0", config: block(`request_timeout = "0s"`), want: `(?s)Invalid Duration.*"0s" is not a positive\s+duration`},
		{name: "request_timeout <0", config: block(`request_timeout = "-1m"`), want: `(?s)Invalid Duration.*"-1m" is not a positive\s+duration`},
		{name: "max_concurrency", config: block(`max_concurrency = 0`), want: `(?s)max_concurrency.*between 1 and 64`},
		{name: "max_retries", config: block(`max_retries = 100`), want: `(?s)max_retries.*between 0 and 20`},
		{name: "region", config: block(`region = "Narnia"`), want: `(?s)region.*ap-southeast-3`},
	})
}

// errorCase is a configuration that must fail at plan with an error matching want, planned by a
// provider whose environment is env.
type errorCase struct {
	name   string
	env    environment
	config string
	want   string
}

// expectErrors plans every case as one step of a single TestCase. A TestCase of its own per case
// would cost a terraform init, two version calls and a destroy each, about as much CPU as the
// plan that matters; the step's log line names the case, so a failure stays attributable.
// Providers are given per step only when some case has an environment of its own, since
// terraform-plugin-testing runs terraform init again for every step that brings providers.
func expectErrors(t *testing.T, cases []errorCase) {
	t.Helper()
	perStep := slices.ContainsFunc(cases, func(c errorCase) bool { return c.env != nil })
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{
			PreConfig:   func() { t.Logf("step %d of %d: %s", i+1, len(cases), c.name) },
			Config:      c.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		}
		if perStep {
			steps[i].ProtoV6ProviderFactories = factoriesWith(c.env)
		}
	}
	testCase := resource.TestCase{Steps: steps}
	if !perStep {
		testCase.ProtoV6ProviderFactories = protoV6ProviderFactories
	}
	resource.UnitTest(t, testCase)
}

func TestProvider_EnvironmentConfiguration(t *testing.T) {
	t.Parallel()
	server := testsupport.StartEmulator(t, emulator.Options{Tasks: emulator.GenerateTasks(7, 1)})
	env := environment{"SMS_ENDPOINT": server.URL(), "SMS_TOKEN": testsupport.Token, "SMS_MAX_RETRIES": "0"}
	server.InjectFaults(emulator.Fault{Status: 503})

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWith(env),
		Steps: []resource.TestStep{
			{
				// SMS_MAX_RETRIES=0 means the injected 503 is not retried.
				Config:      `provider "sms" {}` + "\n" + `data "sms_tasks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)SMS API Unavailable.*HTTP 503`),
			},
			{
				Config: `provider "sms" {}` + "\n" + `data "sms_tasks" "all" {}`,
				Check:  resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", "7"),
			},
		},
	})
}

func TestProvider_RegionEndpoints(t *testing.T) {
	cases := map[string]string{
		"cn-north-4":       "https://sms.cn-north-4.myhuaweicloud.com",
		"ap-southeast-3":   "https://sms.ap-southeast-3.myhuaweicloud.com",
		"my-kualalumpur-1": "https://sms.my-kualalumpur-1.myhuaweicloud.com",
		"ru-moscow-1":      "https://sms-api.ru-moscow-1.myhuaweicloud.com",
	}
	for region, want := range cases {
		if got := endpointFor(region, defaultCloud); got != want {
			t.Errorf("endpointFor(%q) = %q, want %q", region, got, want)
		}
	}
}
