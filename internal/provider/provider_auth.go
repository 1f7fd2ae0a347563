package provider

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// Environment variables of the credentials. The HW_* names are those Huawei Cloud tools and CI
// templates already export; the SMS_* names win when both are set.
const (
	envAccessKey        = "SMS_ACCESS_KEY"
	envHWAccessKey      = "HW_ACCESS_KEY"
	envSecretKey        = "SMS_SECRET_KEY"
	envHWSecretKey      = "HW_SECRET_KEY"
	envSecurityToken    = "HW_SECURITY_TOKEN"
	envDomainID         = "HW_DOMAIN_ID"
	envProjectID        = "HW_PROJECT_ID"
	envAuthURL          = "HW_AUTH_URL"
	envUserName         = "HW_USER_NAME"
	envPassword         = "HW_PASSWORD"
	envDomainName       = "HW_DOMAIN_NAME"
	authURLExample      = "https://iam.ap-southeast-3.myhuaweicloud.com/v3"
	missingCredsDetails = "Set the arguments of one authentication method in the provider block, or its environment variables:\n" +
		"- AK/SK request signing (recommended for CI): access_key and secret_key (SMS_ACCESS_KEY or HW_ACCESS_KEY, " +
		"SMS_SECRET_KEY or HW_SECRET_KEY), plus security_token (HW_SECURITY_TOKEN) for temporary keys;\n" +
		"- an IAM token: token (SMS_TOKEN);\n" +
		"- an IAM user's password, from which the provider obtains a token: auth_url, user_name, password and " +
		"domain_name (HW_AUTH_URL, HW_USER_NAME, HW_PASSWORD, HW_DOMAIN_NAME)."
)

// credentialEnv lists the environment variables of each credential argument, in the order they
// are read.
var credentialEnv = map[string][]string{
	"token":          {envToken},
	"access_key":     {envAccessKey, envHWAccessKey},
	"secret_key":     {envSecretKey, envHWSecretKey},
	"security_token": {envSecurityToken},
	"domain_id":      {envDomainID},
	"project_id":     {envProjectID},
	"auth_url":       {envAuthURL},
	"user_name":      {envUserName},
	"password":       {envPassword},
	"domain_name":    {envDomainName},
}

// authMethod is the credential source the provider uses; exactly one is chosen.
type authMethod int

const (
	authNone authMethod = iota
	authToken
	authAKSK
	authPassword
)

// authMethods names the arguments of each method in precedence order. The first argument of a
// method (those that select it) is what conflict errors name.
var authMethods = []struct {
	method    authMethod
	arguments []string
	selectors []string // Environment variables that select the method when no argument does.
}{
	{authToken, []string{"token"}, []string{envToken}},
	{authAKSK, []string{"access_key", "secret_key", "security_token"}, []string{envAccessKey, envHWAccessKey, envSecretKey, envHWSecretKey}},
	{authPassword, []string{"auth_url", "user_name", "password", "domain_name"}, []string{envUserName, envPassword}},
}

// credentials are the resolved credentials of the chosen method.
type credentials struct {
	method                              authMethod
	token                               string
	accessKey, secretKey, securityToken string
	authURL, userName, password, domain string
	projectID, domainID                 string
}

// credentialArguments maps the credential arguments of the provider block to their values.
func (m providerModel) credentialArguments() map[string]types.String {
	return map[string]types.String{
		"token": m.Token, "access_key": m.AccessKey, "secret_key": m.SecretKey, "security_token": m.SecurityToken,
		"domain_id": m.DomainID, "project_id": m.ProjectID, "auth_url": m.AuthURL, "user_name": m.UserName,
		"password": m.Password, "domain_name": m.DomainName,
	}
}

// resolveCredentials chooses the authentication method. Arguments written in the provider block
// choose it, and two methods in the block are an error; with none there, the first method whose
// environment variables are set wins, in the order token, AK/SK, password. Every argument of the
// chosen method then falls back to its own environment variables.
func resolveCredentials(m providerModel, diags *diag.Diagnostics) credentials {
	args := m.credentialArguments()
	value := func(name string) string {
		v := strings.TrimSpace(args[name].ValueString())
		for _, env := range credentialEnv[name] {
			if v != "" {
				break
			}
			v = strings.TrimSpace(os.Getenv(env))
		}
		return v
	}

	var explicit []string // The first argument set in the block, per method.
	var c credentials
	for _, am := range authMethods {
		for _, name := range am.arguments {
			if args[name].ValueString() != "" {
				explicit = append(explicit, name)
				if c.method == authNone {
					c.method = am.method
				}
				break
			}
		}
	}
	if len(explicit) > 1 {
		diags.AddAttributeError(path.Root(explicit[1]), "Conflicting SMS Credentials",
			fmt.Sprintf("The provider block sets both %s, which belong to different authentication methods. "+
				"Keep the arguments of one method only.\n\n%s", joinAnd(explicit), missingCredsDetails))
		return c
	}
	if c.method == authNone {
		for _, am := range authMethods {
			if anyEnvSet(am.selectors) {
				c.method = am.method
				break
			}
		}
	}

	c.projectID, c.domainID = value("project_id"), value("domain_id")
	switch c.method {
	case authNone:
		diags.AddError("Missing SMS Credentials", missingCredsDetails)
	case authToken:
		c.token = value("token")
	case authAKSK:
		c.accessKey, c.secretKey, c.securityToken = value("access_key"), value("secret_key"), value("security_token")
		keys := [][2]string{{"access_key", c.accessKey}, {"secret_key", c.secretKey}}
		for i, k := range keys {
			if other := keys[1-i]; k[1] == "" && other[1] != "" {
				requireArgument(diags, k[0], fmt.Sprintf("%s is set but %s is not; AK/SK signing needs both keys.", other[0], k[0]))
			} else if k[1] == "" {
				requireArgument(diags, k[0], "AK/SK signing needs access_key and secret_key.")
			}
		}
	case authPassword:
		c.authURL, c.userName, c.password, c.domain = value("auth_url"), value("user_name"), value("password"), value("domain_name")
		for _, arg := range [][2]string{{"auth_url", c.authURL}, {"user_name", c.userName}, {"password", c.password}, {"domain_name", c.domain}} {
			if arg[1] == "" {
				requireArgument(diags, arg[0], "Obtaining an IAM token needs auth_url, user_name, password and domain_name.")
			}
		}
		if c.authURL != "" {
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
			strings.Join(credentialEnv[name], " or ")))
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

func anyEnvSet(names []string) bool {
	for _, name := range names {
		if strings.TrimSpace(os.Getenv(name)) != "" {
			return true
		}
	}
	return false
}

func joinAnd(names []string) string {
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
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
