package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

const (
	authURLExample      = "https://iam.ap-southeast-3.myhuaweicloud.com/v3"
	missingCredsDetails = "Set the arguments of one authentication method in the provider block, or its environment variables:\n" +
		"- AK/SK request signing (recommended for CI): access_key and secret_key (SMS_ACCESS_KEY or HW_ACCESS_KEY, " +
		"SMS_SECRET_KEY or HW_SECRET_KEY), plus security_token (HW_SECURITY_TOKEN) for temporary keys, or a profile " +
		"of the shared configuration file (HW_PROFILE, HW_SHARED_CONFIG_FILE);\n" +
		"- an IAM token: token (SMS_TOKEN or HW_AUTH_TOKEN);\n" +
		"- an IAM user's password, from which the provider obtains a token: user_name, password and domain_name " +
		"(HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME), with auth_url (HW_AUTH_URL) when region is unset."
)

// authMethod is the credential source the provider uses; exactly one is chosen. The order of the
// constants is the precedence among methods chosen by environment variables.
type authMethod int

const (
	authNone authMethod = iota
	authToken
	authAKSK
	authPassword
)

// credentials are the resolved credentials of the chosen method.
type credentials struct {
	method                              authMethod
	token                               string
	accessKey, secretKey, securityToken string
	authURL, userName, password, domain string
	projectID, domainID                 string
}

// credentialConflicts rejects, at validate time, a provider block that sets arguments of two
// authentication methods: every pair of arguments from different methods conflicts.
func credentialConflicts() []provider.ConfigValidator {
	var validators []provider.ConfigValidator
	for i, a := range settingsTable {
		for _, b := range settingsTable[i+1:] {
			if a.method != authNone && b.method != authNone && a.method != b.method {
				validators = append(validators, providervalidator.Conflicting(path.MatchRoot(a.name), path.MatchRoot(b.name)))
			}
		}
	}
	return validators
}

// chooseMethod returns the method of the arguments written in the provider block (the conflict
// validators allow one); with none there, the first method whose selecting environment variables
// are set, in the order token, AK/SK, password; then a profile that holds keys.
func chooseMethod(r resolver) authMethod {
	for _, s := range settingsTable {
		if v, ok := s.value(r.model).(types.String); ok && s.method != authNone && v.ValueString() != "" {
			return s.method
		}
	}
	for method := authToken; method <= authPassword; method++ {
		for _, s := range settingsTable {
			if _, env := r.envValue(s.name); s.method == method && s.selects && env != "" {
				return method
			}
		}
	}
	if r.profile["access_key"] != "" || r.profile["secret_key"] != "" {
		return authAKSK
	}
	return authNone
}

// resolveCredentials resolves the arguments of the chosen method, each from the block, its
// environment variables or the profile. auth_url defaults to the IAM endpoint of the region.
func resolveCredentials(r resolver, region, cloud string) credentials {
	c := credentials{method: chooseMethod(r), projectID: r.str("project_id"), domainID: r.str("domain_id")}
	diags := r.diags
	switch c.method {
	case authNone:
		if !r.profileFailed { // Otherwise the profile's own error says what is missing.
			diags.AddError("Missing SMS Credentials", missingCredsDetails)
		}
	case authToken:
		c.token = r.str("token")
	case authAKSK:
		c.accessKey, c.secretKey, c.securityToken = r.str("access_key"), r.str("secret_key"), r.str("security_token")
		keys := [][2]string{{"access_key", c.accessKey}, {"secret_key", c.secretKey}}
		for i, k := range keys {
			if other := keys[1-i]; k[1] == "" && other[1] != "" {
				requireArgument(diags, k[0], fmt.Sprintf("%s is set but %s is not; AK/SK signing needs both keys.", other[0], k[0]))
			} else if k[1] == "" {
				requireArgument(diags, k[0], "AK/SK signing needs access_key and secret_key.")
			}
		}
	case authPassword:
		c.authURL, c.userName, c.password, c.domain = r.str("auth_url"), r.str("user_name"), r.str("password"), r.str("domain_name")
		if c.authURL == "" && region != "" {
			c.authURL = "https://iam." + region + "." + cloud + "/v3"
		}
		for _, arg := range [][2]string{{"user_name", c.userName}, {"password", c.password}, {"domain_name", c.domain}} {
			if arg[1] == "" {
				requireArgument(diags, arg[0], "Obtaining an IAM token needs user_name, password and domain_name.")
			}
		}
		if c.authURL == "" {
			requireArgument(diags, "auth_url", "Obtaining an IAM token needs auth_url, or region to derive it from.")
		} else {
			checkAuthURL(diags, c.authURL)
		}
	}
	return c
}

// requireArgument reports a missing argument of the chosen method, naming its environment
// variables.
func requireArgument(diags *diag.Diagnostics, name, detail string) {
	diags.AddAttributeError(path.Root(name), "Missing SMS Credential Argument",
		fmt.Sprintf("%s Set %s in the provider block or the %s environment variable.", detail, name,
			strings.Join(settingNamed(name).env, " or ")))
}

// checkAuthURL accepts an absolute https URL such as https://iam.ap-southeast-3.myhuaweicloud.com/v3,
// and http for a loopback emulator only, because the password travels to it.
func checkAuthURL(diags *diag.Diagnostics, raw string) {
	// The same rules as the endpoint: the client appends its own path and sends credentials only
	// in the body, so a query, fragment or user information would be lost or leak.
	u, err := smsapi.CheckEndpointURL(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("auth_url"), "Invalid IAM Auth URL",
			fmt.Sprintf("The auth_url %s. Use the IAM endpoint with its version, such as %s.", err, authURLExample))
		return
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		diags.AddAttributeWarning(path.Root("auth_url"), "Unencrypted IAM Auth URL",
			fmt.Sprintf("The auth_url %s uses plain http, so the password travels unencrypted. Use https://.", smsapi.RedactURL(raw)))
	}
}

// authenticator builds the client's Authenticator for the chosen method.
func (c credentials) authenticator() smsapi.Authenticator {
	switch c.method {
	case authAKSK:
		return smsapi.SignerAuth{AccessKey: c.accessKey, SecretKey: c.secretKey, SecurityToken: c.securityToken,
			ProjectID: c.projectID, DomainID: c.domainID}
	case authPassword:
		// One per Configure: the token is fetched once and shared by every data source of the
		// provider instance for the rest of the Terraform command.
		return &smsapi.IAMPasswordAuth{AuthURL: c.authURL, UserName: c.userName, Password: c.password,
			DomainName: c.domain, ProjectID: c.projectID, DomainID: c.domainID}
	default:
		return smsapi.TokenAuth{Token: c.token, ProjectID: c.projectID, DomainID: c.domainID}
	}
}

// secrets returns every credential that must never reach a log line. The access key, user name
// and ids are identifiers, not secrets.
func (c credentials) secrets() []string {
	var out []string
	for _, s := range []string{c.token, c.secretKey, c.securityToken, c.password} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
