// Package provider maps between Terraform and the SMS API client: it declares the provider and
// data source schemas, turns configuration into smsapi calls and turns API answers into state.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var _ provider.Provider = (*smsProvider)(nil)

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &smsProvider{version: version}
	}
}

// smsProvider is the provider. It holds nothing but its version: each Configure builds one
// client that every data source of that provider instance shares, so max_concurrency is a
// limit for the whole instance.
type smsProvider struct {
	version string
}

// providerModel is the provider block.
type providerModel struct {
	Endpoint       types.String `tfsdk:"endpoint"`
	Region         types.String `tfsdk:"region"`
	Token          types.String `tfsdk:"token"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxConcurrency types.Int64  `tfsdk:"max_concurrency"`
	Insecure       types.Bool   `tfsdk:"insecure"`
}

// providerData is handed to every data source by Configure.
type providerData struct {
	client *smsapi.Client
	// secrets are masked in every log line written while a data source reads.
	secrets []string
}

func (p *smsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sms"
	resp.Version = p.version
}

func (p *smsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The SMS provider reads Huawei Cloud Server Migration Service (SMS) data. " +
			"Every argument is optional and falls back to the environment variable named in its description.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the SMS API, for example `https://sms.ap-southeast-3.myhuaweicloud.com`. " +
					"`/v3/tasks` is appended to its path, so a path prefix is kept. Takes precedence over `region`. " +
					"Environment variable: `SMS_ENDPOINT`.",
				Optional:   true,
				Validators: []validator.String{endpointURL()},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Huawei Cloud region whose public SMS endpoint is used when `endpoint` is unset: " +
					"`https://sms.{region}.myhuaweicloud.com` (for example `cn-north-4`, `ap-southeast-3`, `my-kualalumpur-1`), " +
					"and `https://sms-api.ru-moscow-1.myhuaweicloud.com` for `ru-moscow-1`. Environment variable: `SMS_REGION`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be a region name such as ap-southeast-3")},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "IAM token sent as `X-Auth-Token`. Tokens expire after 24 hours. " +
					"Environment variable: `SMS_TOKEN`.",
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried after HTTP 429, 500, 502, 503, 504 or a connection error, " +
					"with exponential backoff and jitter that honours `Retry-After`. Between 0 and 20; defaults to `4`. " +
					"Environment variable: `SMS_MAX_RETRIES`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Bound on each HTTP attempt, including reading its body, as a Go duration such as `\"30s\"` or `\"2m\"`. " +
					"Defaults to `\"60s\"`. The whole read is bounded by the data source's `timeouts.read`.",
				Optional:   true,
				Validators: []validator.String{positiveDuration()},
			},
			"max_concurrency": schema.Int64Attribute{
				MarkdownDescription: "Requests in flight at once for this provider instance, shared by every data source that uses it. " +
					"`1` fetches pages one after another. Between 1 and 64; defaults to `4`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxConcurrencyLimit)},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. Only for test endpoints with self-signed certificates; " +
					"never against the real API. Environment variable: `SMS_INSECURE`.",
				Optional: true,
			},
		},
	}
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

	settings := resolveSettings(config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	addTransportWarnings(settings, &resp.Diagnostics)

	client, err := smsapi.New(settings.clientConfig(p.version))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid SMS Endpoint", err.Error())
		return
	}

	data := &providerData{client: client, secrets: settings.secrets()}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *smsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewTasksDataSource}
}

func (p *smsProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}
