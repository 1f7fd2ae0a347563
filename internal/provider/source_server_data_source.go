package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// NewSourceServerDataSource is sms_source_server: the detail of one registered source server,
// GET /v3/sources/{source_id}, with every field of the response at the top level.
func NewSourceServerDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.SourceServerDetail]{typeName: "_source_server", target: sourceServerTarget,
		id: sourceIDArgument, show: (*smsapi.Client).ShowSourceServer,
		description: "Reads one Huawei Cloud SMS source server (`GET /v3/sources/{source_id}`): every field of the " +
			"detail at the top level, including those the server list lacks: its `disks` with their partitions, " +
			"`networks`, `volume_groups`, `btrfs_list`, `firmware`, `hostname` and `agent_version`, beside its " +
			"environment `checks`, Agent connection and `current_task`. For pre-flight checks before a migration " +
			"wave. One request per read. Fields the API returns as null or leaves out are null here, never `\"\"`, " +
			"`0` or `false`."}
}

var sourceIDArgument = &idArgument{name: "source_id", description: "ID of the source server to read (path parameter " +
	"`source_id`), as `sms_source_servers` returns it in `servers[*].id`."}

// The official API reference page of ShowServer names the IAM action sms:server:get; the SDK
// does not name actions.
var sourceServerTarget = readTarget{
	dataSource: "sms_source_server", request: "GET /v3/sources/{source_id}", what: "source server",
	title: "SMS Source Server", body: "a source server",
	permission: "read a source server: grant the IAM policy action sms:server:get",
}
