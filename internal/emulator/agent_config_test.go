package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

// GET /v3/config names the region the task details name as the main region and the first
// region; like every endpoint it takes the token.
func TestAgentConfig_NamesTheTasksRegion(t *testing.T) {
	s := start(t, Options{Token: "tok"})
	resp, body := request(t, s, "/v3/config", "tok")
	var got struct {
		Config  map[string]string   `json:"config"`
		Regions []map[string]string `json:"regions"`
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v3/config: %d %s (%v)", resp.StatusCode, body, err)
	}
	if got.Config["mainRegion"] != "cn-north-4" || got.Config["obs_domain"] == "" || len(got.Regions) < 2 ||
		got.Regions[0]["region_name"] != got.Config["mainRegion"] {
		t.Errorf("config: %s", body)
	}
	if resp, _ := request(t, s, "/v3/config", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
}
