package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/directstate"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

var (
	_ datasource.DataSource              = (*sourceServersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceServersDataSource)(nil)
)

// NewSourceServersDataSource is the constructor the provider registers.
func NewSourceServersDataSource() datasource.DataSource {
	return &sourceServersDataSource{}
}

// sourceServersDataSource is sms_source_servers: every source server that matches the filters,
// over every page of GET /v3/sources.
type sourceServersDataSource struct {
	data *providerData
}

var sourceServersTarget = readTarget{
	dataSource: "sms_source_servers", request: "GET /v3/sources", what: "source servers", title: "SMS Source Servers", body: "a valid source server list",
	permission: "list source servers: grant the IAM policy action sms:server:list", list: "SMS Source Server List",
}

// sourceServerDerivedAttributes are the attributes of a server that the API does not return.
var sourceServerDerivedAttributes = []derivedAttribute{{
	name: "replication_progress",
	attribute: computedFloat64("Derived by the provider, not returned by the API: `replicatesize` / `totalsize` in " +
		"percent (0 to 100, more if the API reports more replicated than total). Null when either size is absent, " +
		"null or 0, since the API reports 0 before it has measured the source, and when either is negative, which no " +
		"size can be."),
	value: func(v reflect.Value) tftypes.Value {
		s, ok := v.Addr().Interface().(*smsapi.SourceServerItem)
		if !ok {
			return nullNumber // Only registered for this type, so never reached.
		}
		return replicationProgress(s.ReplicateSize, s.TotalSize)
	},
}}

// serversEncoding writes the servers attribute directly when the provider runs under NewServer;
// see DESIGN.md, "Encoding listing reads directly".
var serversEncoding = directstate.MustList[smsapi.SourceServerItem]("servers", terraformTypeOf(serversAttribute().GetType()), derivedOf)

// replicationProgress is replicated / total in percent, or null when either is unknown, zero or
// negative (a hostile or broken answer must not show as progress).
func replicationProgress(replicated, total *int64) tftypes.Value {
	if replicated == nil || total == nil || *replicated <= 0 || *total <= 0 {
		return nullNumber
	}
	percent := new(big.Float).Quo(new(big.Float).SetInt64(*replicated), new(big.Float).SetInt64(*total))
	f, _ := percent.Mul(percent, big.NewFloat(100)).Float64()
	return tftypes.NewValue(tftypes.Number, big.NewFloat(f))
}

func (d *sourceServersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source_servers"
}

func boolFilterAttribute(description string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, MarkdownDescription: description + " Unset filters are not sent."}
}

func (d *sourceServersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Huawei Cloud SMS source servers (`GET /v3/sources`), reading every page, with every " +
			"field of the response: replication progress in bytes, `migration_cycle`, `checks`, `current_task`, " +
			"`last_visit_time`. For wave gates (every server of a migration project cut over), progress dashboards and " +
			"alerts on disconnected agents.",
		Attributes: withAttributes(sourceServersFilters.dataSourceAttributes(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Identifier derived from the filters: the same filters give the same id, run after run.",
			},
			"summary_only": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "When true, every page is still read but `servers` is left null, keeping only " +
					"`total_count`, `state_counts` and `migration_cycle_counts`. Defaults to `false`.",
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of servers that match the filters, as the API counts them (`count`).",
			},
			"state_counts": schema.MapAttribute{
				Computed:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "Number of returned servers in each state; states with no server are absent, so use " +
					"`lookup(data.sms_source_servers.wave.state_counts, \"error\", 0)`.",
			},
			"migration_cycle_counts": schema.MapAttribute{
				Computed:    true,
				ElementType: types.Int64Type,
				MarkdownDescription: "Number of returned servers in each migration stage (`migration_cycle`); stages " +
					"with no server are absent.",
			},
			"servers":  serversAttribute(),
			"timeouts": timeoutsAttribute(ctx),
			"wait":     waitAttribute(&smsapi.SourceServerWait, "sms_source_servers"),
		}),
	}
}

func serversAttribute() schema.ListNestedAttribute {
	return listAttribute[smsapi.SourceServerItem]("Servers that match the filters, in API order, with every field of the " +
		"response under its API name.")
}

func (d *sourceServersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *sourceServersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readWithWait(ctx, d.data, sourceServersTarget, req, resp, readSourceServers)
}

// sourceServersFilters are the filter arguments of sms_source_servers, also those of the
// sms_wait action's source_servers.
var sourceServersFilters = filterTable[smsapi.ListSourceServersQuery]{
	noun: "servers",
	arguments: []filterArgument[smsapi.ListSourceServersQuery]{
		{name: "state", description: "Only servers in this state (query `state`).", values: smsapi.ServerStates,
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.State }},
		{name: "name", description: "Only servers with this name (query `name`). Whether the API matches exactly or by " +
			"substring is not confirmed; compare `servers[*].name` yourself where it matters.",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.Name }},
		{name: "source_server_id", description: "Only the server with this SMS source server ID (query `id`).",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.ID }},
		{name: "ip", description: "Only servers with this IP address (query `ip`); matching rule not confirmed.",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.IP }},
		{name: "ipv6", description: "Only servers with this IPv6 address (query `ipv6`; `ip` wins when both are set). " +
			"Added to the API in 2026; older regions may ignore it, so check the result.",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.IPv6 }},
		{name: "migproject_id", description: "Only servers of this migration project (query `migproject`).",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.MigProject }},
		{name: "migration_cycle", description: "Only servers in this migration stage (query `migration_cycle`).",
			values: smsapi.MigrationCycles, str: func(q *smsapi.ListSourceServersQuery) **string { return &q.MigrationCycle }},
		{name: "connected", description: "Filter on the Agent's connection state (query `connected`). The API's " +
			"true/false semantics are not confirmed, so for alerting read all servers and test `servers[*].connected` " +
			"instead, as the offline-agents example does.",
			boolean: func(q *smsapi.ListSourceServersQuery) **bool { return &q.Connected }},
		{name: "enterprise_project_id", description: "Only servers of this enterprise project (query `enterprise_project_id`).",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.EnterpriseProjectID }},
		{name: "is_consistency_result_exist", description: "Filter on whether a consistency-check result exists (query `is_consistency_result_exist`).",
			boolean: func(q *smsapi.ListSourceServersQuery) **bool { return &q.IsConsistencyResultExist }},
		{name: "vm_id", description: "Filter by the platform's cloned-server ID (query `vm_id`). Added to the API in 2026; " +
			"its semantics beyond that are not confirmed.",
			str: func(q *smsapi.ListSourceServersQuery) **string { return &q.VMID }},
	},
	pageSizeDescription: "Servers requested per page (query `limit`), a whole number between 1 and 200; defaults to `200`. " +
		"Each page after the first starts at the last server of the page before; `1` is asked as pages of 2. " +
		"The result does not depend on it.",
	pageSize: func(q *smsapi.ListSourceServersQuery) *int { return &q.PageSize },
}

func readSourceServers(ctx context.Context, r *dataSourceRead) error {
	q := sourceServersFilters.query(&r.args)
	list, err := readListing(ctx, r, serversEncoding, q.Values(), q.PageSize, func(ctx context.Context) (*smsapi.SourceServerList, error) {
		return waitForListing(ctx, r, &smsapi.SourceServerWait, func(ctx context.Context) (*smsapi.SourceServerList, error) {
			return r.client.ListSourceServers(ctx, q)
		})
	})
	if err != nil {
		return err
	}
	return setCounts(r, list.Items, map[string]func(*smsapi.SourceServerItem) *string{
		"state_counts":           func(s *smsapi.SourceServerItem) *string { return s.State },
		"migration_cycle_counts": func(s *smsapi.SourceServerItem) *string { return s.MigrationCycle },
	})
}

// filtersHash is the id of a list data source: a hash of its encoded filters.
func filtersHash(encoded string) string {
	sum := sha256.Sum256([]byte(encoded))
	return hex.EncodeToString(sum[:8])
}
