package provider

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// Defaults and limits of the provider block; the schema descriptions repeat them.
const (
	defaultMaxRetries     = 4
	defaultRequestTimeout = 60 * time.Second
	defaultMaxConcurrency = 4
	maxRetriesLimit       = 20
	maxConcurrencyLimit   = 64
	defaultCloud          = "myhuaweicloud.com"
	// Regions of the Europe site default to its own domain, as in the huaweicloud provider.
	europeRegionPrefix = "eu-west-1"
	europeCloud        = "myhuaweicloud.eu"
)

var (
	regionPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)*-[0-9]+$`)
	cloudPattern  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
)

// regionEndpoints lists the sites whose SMS endpoint does not follow sms.{region}.{cloud}.
var regionEndpoints = map[string]string{
	"ru-moscow-1": "https://sms-api.ru-moscow-1.myhuaweicloud.com",
}

// setting is one argument of the provider block. env lists its environment variables in the
// order they are read: ours (SMS_*) first, then the huaweicloud provider's (HW_*), so a shell set
// up for that provider works unchanged and an SMS_* variable overrides it. method is the
// authentication method the argument belongs to (authNone for the others); selects marks the
// arguments whose environment variables choose that method when the block chooses none.
type setting struct {
	name    string
	env     []string
	method  authMethod
	selects bool
	value   func(m *providerModel) attr.Value
}

// settingsTable drives the environment fallback, the schema descriptions, the unknown-value and
// missing-argument diagnostics and the credential conflict validators. Adding an argument is one
// line here, one field in providerModel and one attribute in the schema.
var settingsTable = []setting{
	{"endpoint", []string{"SMS_ENDPOINT"}, authNone, false, func(m *providerModel) attr.Value { return m.Endpoint }},
	{"region", []string{"SMS_REGION", "HW_REGION_NAME"}, authNone, false, func(m *providerModel) attr.Value { return m.Region }},
	{"cloud", []string{"HW_CLOUD"}, authNone, false, func(m *providerModel) attr.Value { return m.Cloud }},
	{"token", []string{"SMS_TOKEN", "HW_AUTH_TOKEN"}, authToken, true, func(m *providerModel) attr.Value { return m.Token }},
	{"access_key", []string{"SMS_ACCESS_KEY", "HW_ACCESS_KEY"}, authAKSK, true, func(m *providerModel) attr.Value { return m.AccessKey }},
	{"secret_key", []string{"SMS_SECRET_KEY", "HW_SECRET_KEY"}, authAKSK, true, func(m *providerModel) attr.Value { return m.SecretKey }},
	{"security_token", []string{"HW_SECURITY_TOKEN"}, authAKSK, false, func(m *providerModel) attr.Value { return m.SecurityToken }},
	{"auth_url", []string{"HW_AUTH_URL"}, authPassword, false, func(m *providerModel) attr.Value { return m.AuthURL }},
	{"user_name", []string{"HW_USER_NAME"}, authPassword, true, func(m *providerModel) attr.Value { return m.UserName }},
	{"password", []string{"HW_USER_PASSWORD"}, authPassword, true, func(m *providerModel) attr.Value { return m.Password }},
	{"domain_name", []string{"HW_DOMAIN_NAME"}, authPassword, false, func(m *providerModel) attr.Value { return m.DomainName }},
	{"project_id", []string{"HW_PROJECT_ID"}, authNone, false, func(m *providerModel) attr.Value { return m.ProjectID }},
	{"domain_id", []string{"HW_DOMAIN_ID"}, authNone, false, func(m *providerModel) attr.Value { return m.DomainID }},
	{"profile", []string{"HW_PROFILE"}, authNone, false, func(m *providerModel) attr.Value { return m.Profile }},
	{"shared_config_file", []string{"HW_SHARED_CONFIG_FILE"}, authNone, false, func(m *providerModel) attr.Value { return m.SharedConfigFile }},
	{"max_retries", []string{"SMS_MAX_RETRIES", "HW_MAX_RETRIES"}, authNone, false, func(m *providerModel) attr.Value { return m.MaxRetries }},
	{"request_timeout", nil, authNone, false, func(m *providerModel) attr.Value { return m.RequestTimeout }},
	{"max_concurrency", nil, authNone, false, func(m *providerModel) attr.Value { return m.MaxConcurrency }},
	{"insecure", []string{"SMS_INSECURE", "HW_INSECURE"}, authNone, false, func(m *providerModel) attr.Value { return m.Insecure }},
}

// settingNamed returns the row of an argument; every caller names a row of the table.
func settingNamed(name string) setting {
	for _, s := range settingsTable {
		if s.name == name {
			return s
		}
	}
	panic("provider: no setting named " + name)
}

// envDescription is the sentence that ends an argument's description.
func envDescription(name string) string {
	env := settingNamed(name).env
	switch len(env) {
	case 0:
		return ""
	case 1:
		return " Environment variable: `" + env[0] + "`."
	}
	return " Environment variables: `" + strings.Join(env, "`, then `") + "`."
}

// settings is the provider configuration once attributes and environment variables are merged.
type settings struct {
	endpoint       string
	credentials    credentials
	maxRetries     int
	requestTimeout time.Duration
	maxConcurrency int
	insecure       bool
}

func (s settings) clientConfig(version string) smsapi.Config {
	return smsapi.Config{
		Endpoint:       s.endpoint,
		Auth:           s.credentials.authenticator(),
		MaxRetries:     s.maxRetries,
		RequestTimeout: s.requestTimeout,
		MaxConcurrency: s.maxConcurrency,
		Insecure:       s.insecure,
		UserAgent:      "terraform-provider-sms/" + version,
		Logger:         tflogLogger{},
	}
}

// secrets returns every credential that must never reach a log line.
func (s settings) secrets() []string { return s.credentials.secrets() }

// unknownAttributes names the attributes whose value is not known yet.
func (m providerModel) unknownAttributes() []string {
	var names []string
	for _, s := range settingsTable {
		if s.value(&m).IsUnknown() {
			names = append(names, s.name)
		}
	}
	return names
}

func addUnknownAttributeError(diags *diag.Diagnostics, name string) {
	detail := fmt.Sprintf("The provider cannot create the SMS API client because %q is not known until apply. "+
		"Set it to a value known at plan time", name)
	if env := settingNamed(name).env; len(env) > 0 {
		detail += fmt.Sprintf(", use the %s environment variable", strings.Join(env, " or "))
	}
	detail += ", or apply the resource it comes from first (terraform apply -target=...)."
	diags.AddAttributeError(path.Root(name), "Unknown SMS Provider Setting", detail)
}

// resolver looks up the value of an argument: the provider block, then its environment
// variables in order, then the shared configuration profile.
type resolver struct {
	model         *providerModel
	getenv        func(string) string
	profile       map[string]string
	profileFailed bool // The profile was asked for but could not be read; an error says why.
	diags         *diag.Diagnostics
}

// lookup returns the value of an argument and where it came from: "" for the provider block,
// else the environment variable or profile that supplied it, for error messages.
func (r resolver) lookup(name string) (value, source string) {
	s := settingNamed(name)
	if v, ok := s.value(r.model).(types.String); ok && strings.TrimSpace(v.ValueString()) != "" {
		return strings.TrimSpace(v.ValueString()), ""
	}
	for _, env := range s.env {
		if v := strings.TrimSpace(r.getenv(env)); v != "" {
			return v, "the " + env + " environment variable"
		}
	}
	if v := r.profile[name]; v != "" {
		return v, "the shared configuration profile"
	}
	return "", ""
}

func (r resolver) str(name string) string {
	v, _ := r.lookup(name)
	return v
}

// envValue returns the raw value of the first environment variable of name that is set.
func (r resolver) envValue(name string) (value, env string) {
	for _, env := range settingNamed(name).env {
		if v := r.getenv(env); strings.TrimSpace(v) != "" {
			return v, env
		}
	}
	return "", ""
}

// resolveSettings merges attributes with environment variables and applies defaults. Values from
// the configuration were validated by the schema; values from elsewhere are checked here.
func resolveSettings(m providerModel, getenv func(string) string, diags *diag.Diagnostics) settings {
	s := settings{
		maxRetries:     defaultMaxRetries,
		requestTimeout: defaultRequestTimeout,
		maxConcurrency: defaultMaxConcurrency,
	}
	r := resolver{model: &m, getenv: getenv, diags: diags}
	errorsBefore := diags.ErrorsCount()
	r.profile = readProfile(r)
	r.profileFailed = diags.ErrorsCount() > errorsBefore

	region, regionSource := r.lookup("region")
	if region != "" && regionSource != "" && !regionPattern.MatchString(region) {
		diags.AddAttributeError(path.Root("region"), "Invalid SMS Region",
			fmt.Sprintf("The region %q from %s is not a region name such as ap-southeast-3.", region, regionSource))
	}
	cloud, cloudSource := r.lookup("cloud")
	switch {
	case cloud != "" && cloudSource != "" && !cloudPattern.MatchString(cloud):
		diags.AddAttributeError(path.Root("cloud"), "Invalid Huawei Cloud Domain",
			fmt.Sprintf("The cloud %q from %s is not a domain name such as %s.", cloud, cloudSource, defaultCloud))
	case cloud == "" && strings.HasPrefix(region, europeRegionPrefix):
		cloud = europeCloud
	case cloud == "":
		cloud = defaultCloud
	}

	endpoint, endpointSource := r.lookup("endpoint")
	switch {
	case endpoint != "":
		if endpointSource != "" {
			if _, err := smsapi.CheckEndpointURL(endpoint); err != nil {
				diags.AddAttributeError(path.Root("endpoint"), "Invalid SMS Endpoint",
					fmt.Sprintf("The endpoint from %s is not usable: %s.", endpointSource, err))
			}
		}
		s.endpoint = endpoint
	case region != "":
		s.endpoint = endpointFor(region, cloud)
	default:
		diags.AddAttributeError(path.Root("endpoint"), "Missing SMS Endpoint",
			"Set the endpoint or region argument in the provider block, or one of the SMS_ENDPOINT, SMS_REGION or "+
				"HW_REGION_NAME environment variables.")
	}

	s.credentials = resolveCredentials(r, region, cloud)

	if !m.MaxRetries.IsNull() {
		s.maxRetries = wholeNumber(m.MaxRetries)
	} else if raw, env := r.envValue("max_retries"); env != "" {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < 0 || n > maxRetriesLimit {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid SMS Max Retries",
				fmt.Sprintf("The %s environment variable %q must be a whole number between 0 and %d.", env, raw, maxRetriesLimit))
		}
		s.maxRetries = n
	}

	if !m.RequestTimeout.IsNull() {
		// The type rejected what does not parse and positiveRequestTimeout what is not above zero.
		if d, _ := m.RequestTimeout.ValueGoDuration(); d > 0 {
			s.requestTimeout = d
		}
	}
	if !m.MaxConcurrency.IsNull() {
		s.maxConcurrency = wholeNumber(m.MaxConcurrency)
	}

	if !m.Insecure.IsNull() {
		s.insecure = m.Insecure.ValueBool()
	} else if raw, env := r.envValue("insecure"); env != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid SMS Insecure Setting",
				fmt.Sprintf("The %s environment variable %q must be true or false.", env, raw))
		}
		s.insecure = b
	}
	return s
}

// endpointFor is the public SMS endpoint of a region on a Huawei Cloud site.
func endpointFor(region, cloud string) string {
	if endpoint, ok := regionEndpoints[region]; ok && cloud == defaultCloud {
		return endpoint
	}
	return "https://sms." + region + "." + cloud
}

// addTransportWarnings warns about settings that weaken transport security.
func addTransportWarnings(s settings, diags *diag.Diagnostics) {
	if s.insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "TLS Verification Disabled",
			"insecure = true skips TLS certificate verification, so the token can be read by anyone who can "+
				"intercept the connection. Use it only with test endpoints.")
	}
	u, err := smsapi.CheckEndpointURL(s.endpoint)
	if err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		diags.AddAttributeWarning(path.Root("endpoint"), "Unencrypted SMS Endpoint",
			fmt.Sprintf("The endpoint %s uses plain http, so the credentials travel unencrypted. Use https://.", smsapi.RedactURL(s.endpoint)))
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// wholeNumber is a number argument that wholeNumberBetween has validated, as an int.
func wholeNumber(n types.Number) int {
	i, _ := n.ValueBigFloat().Int64()
	return int(i)
}
