package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*sourceServerErrorsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceServerErrorsDataSource)(nil)
)

// NewSourceServerErrorsDataSource is the constructor the provider registers.
func NewSourceServerErrorsDataSource() datasource.DataSource {
	return &sourceServerErrorsDataSource{}
}

// sourceServerErrorsDataSource is sms_source_server_errors: every source server that failed to
// migrate, with its error, over every page of GET /v3/errors.
type sourceServerErrorsDataSource struct {
	data *providerData
}

// The official API reference page of ListErrorServers names the IAM action sms:server:listErrors.
var sourceServerErrorsTarget = readTarget{
	dataSource: "sms_source_server_errors", request: "GET /v3/errors", what: "source server errors",
	title: "SMS Source Server Errors", body: "a valid list of migration errors",
	permission: "list the source servers that failed to migrate: grant the IAM policy action sms:server:listErrors",
	list:       "SMS Source Server Error List",
}

// migrationErrorsEncoding writes the migration_errors attribute directly when the provider runs
// under NewServer; see DESIGN.md, "Encoding listing reads directly".
var migrationErrorsEncoding = directstate.MustList[smsapi.MigrationError]("migration_errors",
	terraformTypeOf(migrationErrorsAttribute().GetType()), derivedOf)

func migrationErrorsAttribute() schema.ListNestedAttribute {
	return listAttribute[smsapi.MigrationError]("Source servers that failed to migrate, each with its error, in API order, " +
		"with every field of the response under its API name.")
}

func (d *sourceServerErrorsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_server_errors"
}

func (d *sourceServerErrorsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Huawei Cloud SMS source servers that failed to migrate, with the error each one " +
			"reported (`GET /v3/errors`), reading every page. For triage: the servers of a wave in error, grouped by " +
			"error code, with what to do about each.",
		Attributes: withAttributes(sourceServerErrorsFilters.dataSourceAttributes(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Identifier derived from the filters: the same filters give the same id, run after run.",
			},
			"summary_only": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "When true, every page is still read but `migration_errors` is left null, keeping " +
					"only `total_count` and `error_code_counts`. Defaults to `false`.",
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of source servers with errors that match the filter, as the API counts them (`count`).",
			},
			"error_code_counts": schema.MapAttribute{
				Computed:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "Derived by the provider, not returned by the API: the number of entries of " +
					"`migration_errors` per `error_code` found in their `error_json`, such as `{\"SMS.0203\" = 2}`, kept " +
					"under `summary_only` too. An entry whose `error_json` is not a JSON object with a non-empty string " +
					"`error_code` is not counted, so the counts add up to fewer than the entries when the API sends " +
					"another shape. Codes with no entry are absent.",
			},
			"migration_errors": migrationErrorsAttribute(),
			"timeouts":         timeoutsAttribute(ctx),
		}),
	}
}

// sourceServerErrorsFilters are the query parameters of GET /v3/errors the SDK has.
var sourceServerErrorsFilters = filterTable[smsapi.ListSourceServerErrorsQuery]{
	noun: "errors",
	arguments: []filterArgument[smsapi.ListSourceServerErrorsQuery]{
		{name: "enterprise_project_id", description: "Only servers of this enterprise project (query `enterprise_project_id`). " +
			"The entries do not carry the project, so the provider cannot check that the API applied the filter.",
			str: func(q *smsapi.ListSourceServerErrorsQuery) **string { return &q.EnterpriseProjectID }},
	},
	pageSizeDescription: "Errors requested per page (query `limit`), a whole number between 1 and 100, the " +
		"largest page this endpoint serves; defaults to `100` (the API's own default is 50). Each page after " +
		"the first starts at the last entry of the page before; `1` is asked as pages of 2. The result does " +
		"not depend on it.",
	pageSize:    func(q *smsapi.ListSourceServerErrorsQuery) *int { return &q.PageSize },
	maxPageSize: smsapi.MaxErrorsPageSize,
}

func (d *sourceServerErrorsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *sourceServerErrorsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, sourceServerErrorsTarget, req, resp, readSourceServerErrors)
}

func readSourceServerErrors(ctx context.Context, r *dataSourceRead) error {
	q := sourceServerErrorsFilters.query(&r.args)
	list, err := readListing(ctx, r, migrationErrorsEncoding, q.Values(), q.PageSize, func(ctx context.Context) (*smsapi.SourceServerErrorList, error) {
		return r.client.ListSourceServerErrors(ctx, q)
	})
	if err != nil {
		return err
	}
	return setCounts(r, list.Items, map[string]func(*smsapi.MigrationError) *string{"error_code_counts": errorCode})
}

// errorCode is the error_code of an entry's error_json, nil when error_json is not a JSON object
// with a non-empty string error_code. error_json is at most 255 characters per the reference, and the
// whole answer is bounded by the client, so decoding every entry is cheap.
func errorCode(e *smsapi.MigrationError) *string {
	if e.ErrorJSON == nil {
		return nil
	}
	var body struct {
		ErrorCode *string `json:"error_code"`
	}
	if json.Unmarshal([]byte(*e.ErrorJSON), &body) != nil || body.ErrorCode == nil || *body.ErrorCode == "" {
		return nil
	}
	return body.ErrorCode
}
