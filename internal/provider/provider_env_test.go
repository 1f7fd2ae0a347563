package provider

import (
	"context"
	"github.com/smsops/terraform-provider-sms/internal/testsupport"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// resolveForTest resolves a provider block with the given string arguments in env.
func resolveForTest(t *testing.T, env environment, args map[string]string) (settings, diag.Diagnostics) {
	t.Helper()
	var m providerModel
	for name, v := range args {
		value := types.StringValue(v)
		switch name {
		case "region":
			m.Region = value
		case "cloud":
			m.Cloud = value
		case "endpoint":
			m.Endpoint = value
		case "user_name":
			m.UserName = value
		case "password":
			m.Password = value
		case "domain_name":
			m.DomainName = value
		case "token":
			m.Token = value
		default:
			t.Fatalf("resolveForTest does not know %s", name)
		}
	}
	var diags diag.Diagnostics
	return resolveSettings(m, env.getenv, &diags), diags
}

// The SMS endpoint and the IAM URL follow region and cloud, with the Europe site's own domain
// for its regions, as in the huaweicloud provider.
func TestProvider_CloudDerivesEndpointAndAuthURL(t *testing.T) {
	t.Parallel()
	password := map[string]string{"user_name": "u", "password": "p", "domain_name": "d"}
	cases := []struct {
		args                   map[string]string
		wantEndpoint, wantAuth string
	}{
		{map[string]string{"region": "ap-southeast-3"},
			"https://sms.ap-southeast-3.myhuaweicloud.com", "https://iam.ap-southeast-3.myhuaweicloud.com/v3"},
		{map[string]string{"region": "eu-west-101"},
			"https://sms.eu-west-101.myhuaweicloud.eu", "https://iam.eu-west-101.myhuaweicloud.eu/v3"},
		{map[string]string{"region": "cn-north-4", "cloud": "example.org"},
			"https://sms.cn-north-4.example.org", "https://iam.cn-north-4.example.org/v3"},
		{map[string]string{"region": "ru-moscow-1"},
			"https://sms-api.ru-moscow-1.myhuaweicloud.com", "https://iam.ru-moscow-1.myhuaweicloud.com/v3"},
		{map[string]string{"region": "ru-moscow-1", "cloud": "example.org"},
			"https://sms.ru-moscow-1.example.org", "https://iam.ru-moscow-1.example.org/v3"},
	}
	for _, tc := range cases {
		args := map[string]string{}
		for k, v := range password {
			args[k] = v
		}
		for k, v := range tc.args {
			args[k] = v
		}
		s, diags := resolveForTest(t, nil, args)
		if diags.HasError() {
			t.Fatalf("%v: %v", tc.args, diags)
		}
		if s.endpoint != tc.wantEndpoint || s.credentials.authURL != tc.wantAuth {
			t.Errorf("%v: endpoint %q, auth_url %q; want %q, %q", tc.args, s.endpoint, s.credentials.authURL, tc.wantEndpoint, tc.wantAuth)
		}
	}
}

// Ours win over the huaweicloud provider's names, and the block wins over both.
func TestProvider_SMSVariablesWinOverHW(t *testing.T) {
	t.Parallel()
	env := environment{
		"HW_REGION_NAME": "cn-north-4", "SMS_REGION": "ap-southeast-3",
		"HW_AUTH_TOKEN": "hw-token", "SMS_TOKEN": "sms-token",
		"HW_MAX_RETRIES": "7", "SMS_MAX_RETRIES": "2",
		"HW_INSECURE": "true", "SMS_INSECURE": "false",
		"HW_CLOUD": "example.org",
	}
	s, diags := resolveForTest(t, env, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.endpoint != "https://sms.ap-southeast-3.example.org" || s.credentials.token != "sms-token" || s.maxRetries != 2 || s.insecure {
		t.Errorf("got endpoint %q, token %q, max_retries %d, insecure %v; want SMS_* values", s.endpoint, s.credentials.token, s.maxRetries, s.insecure)
	}

	s, _ = resolveForTest(t, env, map[string]string{"region": "my-kualalumpur-1", "token": "block-token"})
	if s.endpoint != "https://sms.my-kualalumpur-1.example.org" || s.credentials.token != "block-token" {
		t.Errorf("got endpoint %q, token %q; want the block's values", s.endpoint, s.credentials.token)
	}

	for _, name := range []string{"SMS_REGION", "SMS_TOKEN", "SMS_MAX_RETRIES", "SMS_INSECURE"} {
		delete(env, name)
	}
	env["HW_CLOUD"] = "not a domain"
	s, diags = resolveForTest(t, env, nil)
	if s.credentials.token != "hw-token" || !strings.Contains(s.endpoint, "cn-north-4") || s.maxRetries != 7 || !s.insecure {
		t.Errorf("got endpoint %q, token %q, max_retries %d, insecure %v; want the HW_* values",
			s.endpoint, s.credentials.token, s.maxRetries, s.insecure)
	}
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "HW_CLOUD") {
		t.Errorf("diagnostics %v, want an error naming HW_CLOUD", diags)
	}
}

// sharedConfigJSON is a Huawei Cloud CLI configuration with a plain profile and an SSO profile.
func sharedConfigJSON(current string) string {
	return `{
  "current": "` + current + `",
  "profiles": [
    {"name": "ops", "mode": "AKSK", "accessKeyId": "` + testAccessKey + `", "secretAccessKey": "` + testSecretKey + `",
     "region": "ap-southeast-3", "projectId": "project-profile", "domainId": "domain-profile"},
    {"name": "sso", "mode": "SSO", "region": "ap-southeast-3", "projectId": "project-sso",
     "ssoAuth": {"stsToken": {"accessKeyId": "` + testAccessKey + `", "secretAccessKey": "` + testSecretKey + `",
       "securityToken": "` + testSecurityToken + `"}}}
  ]
}`
}

// A profile of the shared configuration file supplies keys and IDs: the file's current profile,
// or the one HW_PROFILE names, SSO profiles with their temporary keys.
func TestProvider_SharedConfigProfile(t *testing.T) {
	t.Parallel()
	opts := akskOptions(4)
	opts.SecurityToken = testSecurityToken
	sso := startAuthServer(t, opts)
	plain := startAuthServer(t, akskOptions(3))
	file := filepath.Join(t.TempDir(), "config.json")
	testsupport.WriteFile(t, file, sharedConfigJSON("ops"))

	cases := []struct {
		name, profile string
		server        *authServer
		count         string
		headers       map[string]string
	}{
		{"current profile", "", plain, "3", map[string]string{"X-Project-Id": "project-profile", "X-Domain-Id": "domain-profile", "X-Security-Token": ""}},
		{"SSO profile", "sso", sso, "4", map[string]string{"X-Project-Id": "project-sso", "X-Security-Token": testSecurityToken}},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		env := environment{"SMS_ENDPOINT": tc.server.url, "HW_SHARED_CONFIG_FILE": file, "HW_PROFILE": tc.profile}
		steps[i] = resource.TestStep{
			ProtoV6ProviderFactories: factoriesWith(env),
			PreConfig:                func() { t.Logf("step %d: %s", i+1, tc.name) },
			Config:                   `provider "sms" {}` + "\n" + readAll,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.sms_tasks.all", "total_count", tc.count),
				tc.server.checkHeaders(tc.headers),
				tc.server.checkSignedByTestKey(),
			),
		}
	}
	resource.UnitTest(t, resource.TestCase{Steps: steps})
}

// A missing file, a missing profile or a file that is not JSON fail with the attribute named,
// and never quote the file's content.
func TestProvider_SharedConfigProfileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good, broken := filepath.Join(dir, "config.json"), filepath.Join(dir, "broken.json")
	testsupport.WriteFile(t, good, sharedConfigJSON("ops"))
	testsupport.WriteFile(t, broken, `{"profiles": [{"secretAccessKey": "`+testSecretKey+`" ]}`)
	block := func(arguments string) string {
		return "provider \"sms\" {\n  endpoint = \"https://sms.example.invalid\"\n  " + arguments + "\n}\n" + readAll
	}
	expectErrors(t, []errorCase{
		{name: "missing file", config: block(`shared_config_file = "` + filepath.Join(dir, "none.json") + `"`),
			want: `(?s)Unreadable Shared Configuration File.*does\s+not\s+exist`},
		{name: "missing profile", config: block(`shared_config_file = "` + good + `"` + "\n  profile = \"prod\""),
			want: `(?s)Unknown Shared Configuration Profile.*no\s+profile\s+named\s+"prod"`},
		{name: "not JSON", config: block(`shared_config_file = "` + broken + `"`),
			want: `(?s)Unreadable Shared Configuration File.*not\s+valid\s+JSON`},
	})
	var diags diag.Diagnostics
	readProfile(resolver{model: &providerModel{SharedConfigFile: types.StringValue(broken)}, getenv: environment(nil).getenv, diags: &diags})
	for _, d := range diags {
		if strings.Contains(d.Detail(), testSecretKey[:8]) {
			t.Errorf("the diagnostic quotes the file: %s", d.Detail())
		}
	}
	if !diags.HasError() {
		t.Error("a file that is not JSON gave no error")
	}
}

// Every argument of the provider block has exactly one row in settingsTable, which the unknown
// value check, the environment fallback and the descriptions rely on.
func TestProvider_SettingsTableMatchesSchema(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	var rows []string
	for _, s := range settingsTable {
		rows = append(rows, s.name)
	}
	slices.Sort(rows)
	if attributes := slices.Sorted(maps.Keys(resp.Schema.Attributes)); !slices.Equal(rows, attributes) {
		t.Errorf("settingsTable rows %v, schema attributes %v", rows, attributes)
	}
}
