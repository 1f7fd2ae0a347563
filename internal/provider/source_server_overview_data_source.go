package provider

import (
	"context"
	"maps"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*sourceServerOverviewDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceServerOverviewDataSource)(nil)
)

// NewSourceServerOverviewDataSource is the constructor the provider registers.
func NewSourceServerOverviewDataSource() datasource.DataSource {
	return &sourceServerOverviewDataSource{}
}

// sourceServerOverviewDataSource is sms_source_server_overview: GET /v3/sources/overview, the
// number of source servers per state, in one request.
type sourceServerOverviewDataSource struct {
	data *providerData
}

var overviewTarget = readTarget{
	dataSource: "sms_source_server_overview", request: "GET /v3/sources/overview", what: "source server overview", title: "SMS Source Server Overview",
	body: "an object of counters", permission: "list source servers: grant the IAM policy action sms:server:list",
}

func (d *sourceServerOverviewDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_server_overview"
}

func (d *sourceServerOverviewDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := apiAttributes(reflect.TypeFor[smsapi.SourcesOverview]())
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Counts the account's Huawei Cloud SMS source servers per state (`GET /v3/sources/overview`) in " +
			"one request, for dashboards and cheap gates. Each counter is named as the API's field. A counter the API " +
			"leaves out is null: older API versions return `waiting`, `replicating`, `syncing` and `other` only, so " +
			"`error` is null there and servers in error are counted in `other`. A gate must fail on null, not read it " +
			"as 0: `error == 0` is false when `error` is null, `coalesce(error, 0) == 0` is not. The counters need not add up to the number of " +
			"servers: there is no counter for some states (`clearing`, `premigready`, ...), and `unconfigured` is not a " +
			"state. Use `sms_source_servers` for a gate that names servers.",
		Attributes: attrs,
	}
}

func (d *sourceServerOverviewDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *sourceServerOverviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, overviewTarget, req, resp, readOverview)
}

func readOverview(ctx context.Context, r *dataSourceRead) error {
	overview, err := r.client.ShowSourcesOverview(ctx)
	if err != nil {
		return err
	}
	maps.Copy(r.state, apiObjectAttributes(reflect.ValueOf(overview).Elem(), r.stateType))
	return nil
}
