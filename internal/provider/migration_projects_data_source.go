package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*migrationProjectsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*migrationProjectsDataSource)(nil)
)

// NewMigrationProjectsDataSource is sms_migration_projects: every migration project of the
// account, over every page of GET /v3/migprojects.
func NewMigrationProjectsDataSource() datasource.DataSource {
	return &migrationProjectsDataSource{}
}

type migrationProjectsDataSource struct {
	data *providerData
}

// The API reference names the identity-policy actions of both requests, each depending on
// sms:server:queryServer; the SDK names none.
var migrationProjectsTarget = readTarget{
	dataSource: "sms_migration_projects", request: "GET /v3/migprojects", what: "migration projects",
	title: "SMS Migration Projects", body: "a valid migration project list", list: "SMS Migration Project List",
	permission: "list migration projects: grant the IAM action sms:migproject:list and the action it depends on, sms:server:queryServer",
}

var migrationProjectTarget = readTarget{
	dataSource: "sms_migration_project", request: "GET /v3/migprojects/{mig_project_id}", what: "migration project",
	title: "SMS Migration Project", body: "a migration project",
	permission: "read migration projects: grant the IAM action sms:migproject:get and the action it depends on, sms:server:queryServer",
}

// NewMigrationProjectDataSource is sms_migration_project: one migration project by its id, GET
// /v3/migprojects/{mig_project_id}, with the fields of sms_migration_projects' items.
func NewMigrationProjectDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.MigrationProject]{typeName: "_migration_project", target: migrationProjectTarget,
		id: &idArgument{name: "mig_project_id", description: "ID of the migration project to read (path parameter " +
			"`mig_project_id`), as `sms_migration_projects` returns it in `migprojects[*].id`."},
		show: (*smsapi.Client).ShowMigrationProject,
		description: "Reads one Huawei Cloud SMS migration project (`GET /v3/migprojects/{mig_project_id}`): the " +
			"settings its servers migrate with (`type`, `speed_limit`, `use_public_ip`, `start_target_server`, " +
			"`syncing`) and whether it has servers (`exist_server`). One request per read. `id` is null unless the " +
			"API returns it, which its reference does not promise; `mig_project_id` is the id read. Fields the API " +
			"returns as null or leaves out are null here, never `\"\"`, `0` or `false`."}
}

// migprojectsEncoding writes the migprojects attribute directly when the provider runs under
// NewServer.
var migprojectsEncoding = directstate.MustList[smsapi.MigrationProject]("migprojects",
	terraformTypeOf(migprojectsAttribute().GetType()), derivedOf)

func migprojectsAttribute() schema.ListNestedAttribute {
	return listAttribute[smsapi.MigrationProject]("Migration projects of the account, in the order the API returns " +
		"them (never sorted), with every field of the response under its API name.")
}

func (d *migrationProjectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_migration_projects"
}

func (d *migrationProjectsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Huawei Cloud SMS migration projects of the account (`GET /v3/migprojects`), " +
			"reading every page: to find a wave's project id by its name for `sms_source_servers`' `migproject_id`, " +
			"and to check the settings its servers migrate with. The API has no filters. A read returns every " +
			"project or fails; it never returns part of a listing that contradicts its own count.",
		Attributes: withAttributes(migrationProjectsFilters.dataSourceAttributes(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Identifier of the listing, the same run after run (the listing has no filters), " +
					"so it does not show up as a change in plans.",
			},
			"summary_only": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "When true, every page is still read but `migprojects` is left null, keeping only " +
					"`total_count`. Defaults to `false`.",
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of migration projects of the account, as the API counts them (`count`).",
			},
			"migprojects": migprojectsAttribute(),
			"timeouts":    timeoutsAttribute(ctx),
		}),
	}
}

// migrationProjectsFilters is the listing's page size; GET /v3/migprojects has no filters.
var migrationProjectsFilters = filterTable[smsapi.ListMigrationProjectsQuery]{
	noun: "projects",
	pageSizeDescription: fmt.Sprintf("Projects requested per page (query `limit`), a whole number between 1 "+
		"and %[1]d, the largest page this endpoint serves (the API's own default is 50); defaults to `%[1]d`. "+
		"Each page after the first starts at the last project of the page before; `1` is asked as pages of 2. "+
		"The result does not depend on it.", smsapi.MaxMigrationProjectsPageSize),
	pageSize:    func(q *smsapi.ListMigrationProjectsQuery) *int { return &q.PageSize },
	maxPageSize: smsapi.MaxMigrationProjectsPageSize,
}

func (d *migrationProjectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *migrationProjectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, d.data, migrationProjectsTarget, req, resp, readMigrationProjects)
}

func readMigrationProjects(ctx context.Context, r *dataSourceRead) error {
	q := migrationProjectsFilters.query(&r.args)
	_, err := readListing(ctx, r, migprojectsEncoding, q.Values(), q.PageSize, func(ctx context.Context) (*smsapi.MigrationProjectList, error) {
		return r.client.ListMigrationProjects(ctx, q)
	})
	return err
}
