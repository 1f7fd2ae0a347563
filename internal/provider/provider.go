// Package provider maps between Terraform and the SMS API client: it declares the provider and
// data source schemas, turns configuration into smsapi calls and turns API answers into state.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ provider.Provider                       = (*smsProvider)(nil)
	_ provider.ProviderWithConfigValidators   = (*smsProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*smsProvider)(nil)
	_ provider.ProviderWithActions            = (*smsProvider)(nil)
)

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &smsProvider{version: version, getenv: os.Getenv}
	}
}

// smsProvider is the provider. Each Configure builds one client that every data source of that
// provider instance shares, so max_concurrency is a limit for the whole instance.
type smsProvider struct {
	version string
	// getenv reads the SMS_* and HW_* environment variables. It is os.Getenv except in tests,
	// which give each provider instance its own environment so that they can run in parallel.
	getenv func(string) string
}

// providerModel is the provider block.
type providerModel struct {
	Endpoint         types.String         `tfsdk:"endpoint"`
	Region           types.String         `tfsdk:"region"`
	Cloud            types.String         `tfsdk:"cloud"`
	Token            types.String         `tfsdk:"token"`
	AccessKey        types.String         `tfsdk:"access_key"`
	SecretKey        types.String         `tfsdk:"secret_key"`
	SecurityToken    types.String         `tfsdk:"security_token"`
	DomainID         types.String         `tfsdk:"domain_id"`
	ProjectID        types.String         `tfsdk:"project_id"`
	AuthURL          types.String         `tfsdk:"auth_url"`
	UserName         types.String         `tfsdk:"user_name"`
	Password         types.String         `tfsdk:"password"`
	DomainName       types.String         `tfsdk:"domain_name"`
	Profile          types.String         `tfsdk:"profile"`
	SharedConfigFile types.String         `tfsdk:"shared_config_file"`
	MaxRetries       types.Number         `tfsdk:"max_retries"`
	RequestTimeout   timetypes.GoDuration `tfsdk:"request_timeout"`
	MaxConcurrency   types.Number         `tfsdk:"max_concurrency"`
	Insecure         types.Bool           `tfsdk:"insecure"`
}

// providerData is handed to every data source by Configure.
type providerData struct {
	client *smsapi.Client
	// secrets are masked in every log line written while a data source reads.
	secrets []string
	// method is the authentication method in use, so that a 401 gets advice about it.
	method authMethod
}

func (p *smsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sms"
	resp.Version = p.version
}

func (p *smsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	// described ends a description with the argument's environment variables from settingsTable.
	described := func(name, text string) string { return text + envDescription(name) }
	resp.Schema = schema.Schema{
		MarkdownDescription: "The SMS provider reads Huawei Cloud Server Migration Service (SMS) data. " +
			"Every argument is optional; most fall back to the environment variables named in their descriptions, " +
			"which include those of the huaweicloud provider.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: described("endpoint", "Base URL of the SMS API, for example `https://sms.ap-southeast-3.myhuaweicloud.com`. "+
					"`/v3/tasks` is appended to its path, so a path prefix is kept. Takes precedence over `region`."),
				Optional:   true,
				Validators: []validator.String{endpointURL()},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: described("region", "Huawei Cloud region whose public SMS endpoint is used when `endpoint` is unset: "+
					"`https://sms.{region}.{cloud}` (for example `cn-north-4`, `ap-southeast-3`, `my-kualalumpur-1`), "+
					"and `https://sms-api.ru-moscow-1.myhuaweicloud.com` for `ru-moscow-1`. It also sets the default `auth_url`."),
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be a region name such as ap-southeast-3")},
			},
			"cloud": schema.StringAttribute{
				MarkdownDescription: described("cloud", "Domain of the Huawei Cloud site, used to build the default `endpoint` and "+
					"`auth_url` from `region`. Defaults to `myhuaweicloud.com`, and to `myhuaweicloud.eu` for `eu-west-1*` regions."),
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(cloudPattern, "must be a domain name such as myhuaweicloud.com")},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: described("token", "IAM token sent as `X-Auth-Token`. Tokens expire after 24 hours; for CI prefer "+
					"`access_key` and `secret_key`. The Authentication section explains how one method is chosen."),
				Optional:  true,
				Sensitive: true,
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: described("access_key", "Access key (AK) of an AK/SK pair. Every request is then signed with `SDK-HMAC-SHA256`, "+
					"as Huawei Cloud's API Request Signing Guide describes. Requires `secret_key`."),
				Optional: true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: described("secret_key", "Secret key (SK) of the AK/SK pair; it signs requests and is never sent."),
				Optional:            true,
				Sensitive:           true,
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: described("security_token", "Security token of temporary AK/SK credentials, sent as `X-Security-Token`."),
				Optional:            true,
				Sensitive:           true,
			},
			"domain_id": schema.StringAttribute{
				MarkdownDescription: described("domain_id", "Account (domain) ID, sent as `X-Domain-Id` with every request when set, whatever the "+
					"authentication method."),
				Optional: true,
			},
			"project_id": schema.StringAttribute{
				MarkdownDescription: described("project_id", "Project ID, sent as `X-Project-Id` with every request when set, whatever the "+
					"authentication method."),
				Optional: true,
			},
			"auth_url": schema.StringAttribute{
				MarkdownDescription: described("auth_url", "IAM endpoint with its version, from which the provider obtains a token with "+
					"`user_name`, `password` and `domain_name`. Defaults to `https://iam.{region}.{cloud}/v3`."),
				Optional: true,
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: described("user_name", "IAM user name for obtaining a token."),
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: described("password", "Password of `user_name`, sent only to `auth_url`."),
				Optional:            true,
				Sensitive:           true,
			},
			"domain_name": schema.StringAttribute{
				MarkdownDescription: described("domain_name", "Account (domain) name of `user_name`; the token is scoped to this account."),
				Optional:            true,
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: described("profile", "Profile of the shared configuration file (the Huawei Cloud CLI's "+
					"`~/.hcloud/config.json`) whose keys, region, project and account IDs are used where neither the block nor "+
					"the environment sets them. Defaults to the file's `current` profile when only `shared_config_file` is set."),
				Optional: true,
			},
			"shared_config_file": schema.StringAttribute{
				MarkdownDescription: described("shared_config_file", "Path of the shared configuration file; defaults to "+
					"`~/.hcloud/config.json` when `profile` is set."),
				Optional: true,
			},
			"max_retries": schema.NumberAttribute{
				MarkdownDescription: described("max_retries", "How many times a request is retried after HTTP 429, 500, 502, 503, 504 "+
					"or a connection error, with exponential backoff and jitter that honours `Retry-After`. A whole number "+
					"between 0 and 20; defaults to `4`."),
				Optional:   true,
				Validators: []validator.Number{wholeNumberBetween(0, maxRetriesLimit)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Bound on each HTTP attempt, including reading its body, as a Go duration such as `\"30s\"` or `\"2m\"`. " +
					"Defaults to `\"60s\"`. The whole read is bounded by the data source's `timeouts.read`.",
				Optional:   true,
				CustomType: timetypes.GoDurationType{},
				Validators: []validator.String{positiveRequestTimeout},
			},
			"max_concurrency": schema.NumberAttribute{
				MarkdownDescription: "Requests in flight at once for this provider instance, shared by every data source that uses it. " +
					"`1` fetches pages one after another. A whole number between 1 and 64; defaults to `4`.",
				Optional:   true,
				Validators: []validator.Number{wholeNumberBetween(1, maxConcurrencyLimit)},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: described("insecure", "Skip TLS certificate verification. Only for test endpoints with "+
					"self-signed certificates; never against the real API."),
				Optional: true,
			},
		},
	}
}

// ConfigValidators rejects arguments of two authentication methods in one provider block.
func (p *smsProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return credentialConflicts()
}

func (p *smsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := config.unknownAttributes(); len(unknown) > 0 {
		// A value that comes from a resource not yet created cannot configure a client. Terraform
		// clients that allow deferral get a deferred answer; older ones get the documented error.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, name := range unknown {
			addUnknownAttributeError(&resp.Diagnostics, name)
		}
		return
	}

	settings := resolveSettings(config, p.getenv, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	addTransportWarnings(settings, &resp.Diagnostics)

	client, err := smsapi.New(settings.clientConfig(p.version))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid SMS Endpoint",
			fmt.Sprintf("The SMS API client cannot be created: %s.", err))
		return
	}

	data := &providerData{client: client, secrets: settings.secrets(), method: settings.credentials.method}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ActionData = data
}

func (p *smsProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewWaitAction}
}

func (p *smsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewTasksDataSource, NewTaskDataSource, NewSourceServersDataSource, NewSourceServerOverviewDataSource,
		NewTaskSpeedLimitsDataSource, NewTaskConfigurationDataSource,
		NewMigrationProjectsDataSource, NewMigrationProjectDataSource,
		NewServerTemplatesDataSource, NewServerTemplateDataSource,
		NewTaskConsistencyResultDataSource, NewAgentConfigDataSource,
		NewSourceServerDataSource, NewSourceServerErrorsDataSource,
	}
}

func (p *smsProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewTaskCertificateEphemeralResource, NewTaskPassphraseEphemeralResource, NewServerTemplatePasswordEphemeralResource,
	}
}

func (p *smsProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}
