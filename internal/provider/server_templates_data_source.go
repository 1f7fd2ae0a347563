package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*serverTemplatesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*serverTemplatesDataSource)(nil)
)

// NewServerTemplatesDataSource is sms_server_templates: every target server template that
// matches the filters, over every page of GET /v3/vm/templates.
func NewServerTemplatesDataSource() datasource.DataSource {
	return &serverTemplatesDataSource{}
}

// NewServerTemplateDataSource is sms_server_template: one target server template, GET
// /v3/vm/templates/{id}, with every field of the answer's template object at the top level.
func NewServerTemplateDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.ServerTemplate]{typeName: "_server_template", target: serverTemplateTarget,
		id: &idArgument{name: "id", description: "ID of the template to read (path parameter `id`), as " +
			"`sms_server_templates` returns it."},
		show: (*smsapi.Client).ShowServerTemplate,
		description: "Reads one Huawei Cloud SMS target server template (`GET /v3/vm/templates/{id}`): the " +
			"region, availability zone, flavor, VPC, subnets, security groups, elastic IP and disks of the target " +
			"server SMS creates from it. The template's `target_password` is never read into the state; " +
			"`has_target_password` says whether one is set. One request per read. Fields the API returns as null " +
			"or leaves out are null here, never `\"\"`, `0` or `false`."}
}

// serverTemplatesDataSource is sms_server_templates.
type serverTemplatesDataSource struct {
	data *providerData
}

var serverTemplatesTarget = readTarget{
	dataSource: "sms_server_templates", request: "GET /v3/vm/templates", what: "server templates", title: "SMS Server Templates",
	body: "a valid template list", list: "SMS Server Template List",
	permission: "list target server templates: grant the IAM policy action sms:template:list (role-based policies: sms:server:queryServer)",
}

var serverTemplateTarget = readTarget{
	dataSource: "sms_server_template", request: "GET /v3/vm/templates/{id}", what: "server template", title: "SMS Server Template",
	body: "a template", permission: "read target server templates: grant the IAM policy action sms:template:get " +
		"(role-based policies: sms:server:queryServer)",
}

// templatesEncoding writes the templates attribute directly when the provider runs under
// NewServer; see DESIGN.md, "Encoding listing reads directly".
var templatesEncoding = directstate.MustList[smsapi.ServerTemplate]("templates", terraformTypeOf(templatesAttribute().GetType()), derivedOf)

func templatesAttribute() schema.ListNestedAttribute {
	return listAttribute[smsapi.ServerTemplate]("Templates that match the filters, in API order, with every field of " +
		"the response under its API name except `target_password`, which never reaches the state.")
}

func (d *serverTemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_server_templates"
}

func (d *serverTemplatesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Huawei Cloud SMS target server templates (`GET /v3/vm/templates`), reading every " +
			"page: how SMS creates each target server (region, availability zone, flavor, network, disks). For " +
			"pre-flight checks before a wave starts. The templates' `target_password` is never read into the state; " +
			"`has_target_password` says whether one is set.",
		Attributes: withAttributes(serverTemplatesFilters.dataSourceAttributes(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Only the template with this ID (query `id`), checked at plan time and against every " +
					"template returned. When unset, an identifier derived from the filters: the same filters give the " +
					"same id, run after run.",
				Validators: []validator.String{stringvalidator.RegexMatches(idRegexp,
					"must be an id: 1 to 255 letters, digits, '-', '_' or '.', not starting with '.'")},
			},
			"summary_only": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "When true, every page is still read but `templates` is left null, keeping only `total_count`. Defaults to `false`.",
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of templates that match the filters, as the API counts them (`count`).",
			},
			"templates": templatesAttribute(),
			"timeouts":  timeoutsAttribute(ctx),
		}),
	}
}

// serverTemplatesFilters are the filters of GET /v3/vm/templates but id, which is the data
// source's own id argument when set.
var serverTemplatesFilters = filterTable[smsapi.ListServerTemplatesQuery]{
	noun: "templates",
	arguments: []filterArgument[smsapi.ListServerTemplatesQuery]{
		{name: "name", description: "Only templates with this name (query `name`); whether the API matches exactly is not confirmed.",
			str: func(q *smsapi.ListServerTemplatesQuery) **string { return &q.Name }},
		{name: "availability_zone", description: "Only templates of this availability zone (query `availability_zone`), such as `cn-north-4a`.",
			str: func(q *smsapi.ListServerTemplatesQuery) **string { return &q.AvailabilityZone }},
		{name: "region", description: "Only templates of this region (query `region`), such as `cn-north-4`.",
			str: func(q *smsapi.ListServerTemplatesQuery) **string { return &q.Region }},
	},
	pageSizeDescription: "Templates requested per page (query `limit`), a whole number between 1 and 100, the " +
		"API's maximum; defaults to `100` (the API's own default is 50). Each page after the first starts at " +
		"the last template of the page before; `1` is asked as pages of 2. The result does not depend on it.",
	pageSize:    func(q *smsapi.ListServerTemplatesQuery) *int { return &q.PageSize },
	maxPageSize: smsapi.MaxTemplatePageSize,
}

func (d *serverTemplatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *serverTemplatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, serverTemplatesTarget, req, resp, readServerTemplates)
}

func readServerTemplates(ctx context.Context, r *dataSourceRead) error {
	q := serverTemplatesFilters.query(&r.args)
	q.ID = r.args.str("id")
	_, err := readListing(ctx, r, templatesEncoding, q.Values(), q.PageSize, func(ctx context.Context) (*smsapi.ServerTemplateList, error) {
		return r.client.ListServerTemplates(ctx, q)
	})
	if q.ID != nil {
		r.state["id"] = tftypes.NewValue(tftypes.String, *q.ID) // A configured id is the filter, and stays.
	}
	return err
}
