package emulator

import (
	"net/http"
	"net/url"
)

// agentConfig is the body of GET /v3/config: the region every task detail names as its target
// (see deriveDetail) is the Agent's main region and the first of its regions.
var agentConfig = marshal(map[string]any{
	"config": map[string]string{
		"mainRegion": "cn-north-4", "obs_domain": "obs.cn-north-4.myhuaweicloud.com", "disktype": "SAS",
		"process_and_it": "true",
	},
	"regions": []map[string]string{
		{"region_name": "cn-north-4", "project_name": "cn-north-4"},
		{"region_name": "cn-east-3", "project_name": "cn-east-3"},
		{"region_name": "cn-south-1", "project_name": "cn-south-1"},
		{"region_name": "ap-southeast-1", "project_name": "ap-southeast-1"},
	},
})

// answerAgentConfig answers GET /v3/config, the same for every request.
func (s *Server) answerAgentConfig(_ *http.Request, _ url.Values, _ string) (int, []byte) {
	return http.StatusOK, agentConfig
}
