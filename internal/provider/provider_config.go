package provider

import (
	"fmt"
	"maps"
	"net"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// Defaults and limits of the provider block; the schema descriptions repeat them.
const (
	defaultMaxRetries     = 4
	defaultRequestTimeout = 60 * time.Second
	defaultMaxConcurrency = 4
	maxRetriesLimit       = 20
	maxConcurrencyLimit   = 64
)

// Environment variables read when the matching attribute is unset.
const (
	envEndpoint   = "SMS_ENDPOINT"
	envRegion     = "SMS_REGION"
	envToken      = "SMS_TOKEN"
	envMaxRetries = "SMS_MAX_RETRIES"
	envInsecure   = "SMS_INSECURE"
)

var regionPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)*-[0-9]+$`)

// regionEndpoints lists the sites whose SMS endpoint does not follow sms.{region}.myhuaweicloud.com.
var regionEndpoints = map[string]string{
	"ru-moscow-1": "https://sms-api.ru-moscow-1.myhuaweicloud.com",
}

// envOf names the environment variable behind each attribute, for error messages. The
// credential arguments are in credentialEnv.
var envOf = map[string]string{
	"endpoint":    envEndpoint,
	"region":      envRegion,
	"max_retries": envMaxRetries,
	"insecure":    envInsecure,
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
	add := func(name string, unknown bool) {
		if unknown {
			names = append(names, name)
		}
	}
	add("endpoint", m.Endpoint.IsUnknown())
	add("region", m.Region.IsUnknown())
	for _, name := range slices.Sorted(maps.Keys(credentialEnv)) {
		add(name, m.credentialArguments()[name].IsUnknown())
	}
	add("max_retries", m.MaxRetries.IsUnknown())
	add("request_timeout", m.RequestTimeout.IsUnknown())
	add("max_concurrency", m.MaxConcurrency.IsUnknown())
	add("insecure", m.Insecure.IsUnknown())
	return names
}

func addUnknownAttributeError(diags *diag.Diagnostics, name string) {
	detail := fmt.Sprintf("The provider cannot create the SMS API client because %q is not known until apply. "+
		"Set it to a value known at plan time", name)
	if env, ok := envOf[name]; ok {
		detail += fmt.Sprintf(", use the %s environment variable", env)
	} else if envs, ok := credentialEnv[name]; ok {
		detail += fmt.Sprintf(", use the %s environment variable", strings.Join(envs, " or "))
	}
	detail += ", or apply the resource it comes from first (terraform apply -target=...)."
	diags.AddAttributeError(path.Root(name), "Unknown SMS Provider Setting", detail)
}

// resolveSettings merges attributes with environment variables and applies defaults. Values from
// the configuration were validated by the schema; values from the environment are checked here.
func resolveSettings(m providerModel, diags *diag.Diagnostics) settings {
	s := settings{
		maxRetries:     defaultMaxRetries,
		requestTimeout: defaultRequestTimeout,
		maxConcurrency: defaultMaxConcurrency,
	}

	s.endpoint = stringOrEnv(m.Endpoint.ValueString(), envEndpoint)
	region := stringOrEnv(m.Region.ValueString(), envRegion)
	switch {
	case s.endpoint != "":
		if m.Endpoint.ValueString() == "" {
			if _, err := smsapi.CheckEndpointURL(s.endpoint); err != nil {
				diags.AddAttributeError(path.Root("endpoint"), "Invalid SMS Endpoint",
					fmt.Sprintf("The %s environment variable is not a usable endpoint: %s.", envEndpoint, err))
			}
		}
	case region != "":
		if !regionPattern.MatchString(region) {
			diags.AddAttributeError(path.Root("region"), "Invalid SMS Region",
				fmt.Sprintf("The %s environment variable %q is not a region name such as ap-southeast-3.", envRegion, region))
		}
		s.endpoint = endpointForRegion(region)
	default:
		diags.AddAttributeError(path.Root("endpoint"), "Missing SMS Endpoint",
			fmt.Sprintf("Set the endpoint or region argument in the provider block, or the %s or %s environment variable.",
				envEndpoint, envRegion))
	}

	s.credentials = resolveCredentials(m, diags)

	switch {
	case !m.MaxRetries.IsNull():
		s.maxRetries = int(m.MaxRetries.ValueInt64())
	case os.Getenv(envMaxRetries) != "":
		raw := os.Getenv(envMaxRetries)
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < 0 || n > maxRetriesLimit {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid SMS Max Retries",
				fmt.Sprintf("The %s environment variable %q must be a whole number between 0 and %d.", envMaxRetries, raw, maxRetriesLimit))
		}
		s.maxRetries = n
	}

	if !m.RequestTimeout.IsNull() {
		// The schema validator has already rejected anything that does not parse.
		s.requestTimeout, _ = time.ParseDuration(m.RequestTimeout.ValueString())
	}
	if !m.MaxConcurrency.IsNull() {
		s.maxConcurrency = int(m.MaxConcurrency.ValueInt64())
	}

	switch {
	case !m.Insecure.IsNull():
		s.insecure = m.Insecure.ValueBool()
	case os.Getenv(envInsecure) != "":
		raw := os.Getenv(envInsecure)
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid SMS Insecure Setting",
				fmt.Sprintf("The %s environment variable %q must be true or false.", envInsecure, raw))
		}
		s.insecure = b
	}
	return s
}

func stringOrEnv(value, env string) string {
	if value != "" {
		return value
	}
	return strings.TrimSpace(os.Getenv(env))
}

func endpointForRegion(region string) string {
	if endpoint, ok := regionEndpoints[region]; ok {
		return endpoint
	}
	return "https://sms." + region + ".myhuaweicloud.com"
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
