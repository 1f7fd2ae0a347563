package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// NewAgentConfigDataSource is sms_agent_config: the configuration the SMS-Agent of a source server
// fetches when it starts, GET /v3/config, which has no argument.
func NewAgentConfigDataSource() datasource.DataSource {
	return &objectDataSource[smsapi.AgentConfig]{typeName: "_agent_config", target: agentConfigTarget,
		show: func(c *smsapi.Client, ctx context.Context, _ string) (*smsapi.AgentConfig, error) {
			return c.ShowAgentConfig(ctx)
		},
		description: "Reads the configuration the SMS-Agent of a source server fetches when it starts (`GET /v3/config`): " +
			"its settings as the map `config` (such as `mainRegion`, `obs_domain` and `disktype`) and the regions it " +
			"can migrate to as `regions`, a list of maps (such as `region_name` and `project_name`). One request per " +
			"read. A value the API sends as null is null in the map; a number or a boolean is kept as its JSON text. " +
			"Control characters and line breaks in keys and values are written as escapes (`\\n`); the read fails, " +
			"writing nothing, when two keys of a map become one that way or differ only in Unicode normalization, " +
			"which Terraform stores as one key."}
}

// The API reference names the IAM action of this request.
var agentConfigTarget = readTarget{
	dataSource: "sms_agent_config", request: "GET /v3/config", what: "agent configuration", title: "SMS Agent Config",
	body: "the Agent configuration", permission: "read the Agent configuration: grant the IAM policy action sms::getConfig",
}
