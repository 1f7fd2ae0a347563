package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The speed limits follow the task's speed_limit: the same for every request, none for a task
// without one, and a 404 for a task that does not exist, like the task itself; an unknown
// sub-resource is no route.
func TestTaskSpeedLimits_FollowTheTask(t *testing.T) {
	s := start(t, Options{TaskDetails: map[string]json.RawMessage{
		"t-2": json.RawMessage(`{"id":"t-2","speed_limit":300}`), "none": json.RawMessage(`{"id":"none","speed_limit":0}`),
	}})
	_, body := getPath(t, s, "/v3/tasks/t-2/speed-limit")
	if _, again := getPath(t, s, "/v3/tasks/t-2/speed-limit"); string(body) != string(again) {
		t.Errorf("answers differ: %s, %s", body, again)
	}
	var got struct {
		SpeedLimit []struct {
			Start, End string
			Speed      int64
		} `json:"speed_limit"`
	}
	if err := json.Unmarshal(body, &got); err != nil || len(got.SpeedLimit) == 0 || got.SpeedLimit[0].Speed != 300 || got.SpeedLimit[0].Start == "" {
		t.Errorf("limits of t-2: %s (%v)", body, err)
	}
	if resp, body := getPath(t, s, "/v3/tasks/none/speed-limit"); resp.StatusCode != http.StatusOK || string(body) != `{"speed_limit":[]}` {
		t.Errorf("limits of a task without: %d %s", resp.StatusCode, body)
	}
	resp, body := getPath(t, s, "/v3/tasks/missing/speed-limit")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6002", "The migration task missing does not exist")
	resp, body = getPath(t, s, "/v3/tasks/t-2/no-such-thing")
	checkError(t, resp, body, http.StatusNotFound, "APIG.0101", "The API does not exist")
}

// The configuration follows the task: its id, a migrate_type from its OS and type, and its
// special_config, null when the task has none; a task that does not exist is a 404.
func TestTaskConfiguration_FollowsTheTask(t *testing.T) {
	s := start(t, Options{TaskDetails: map[string]json.RawMessage{
		"lin": json.RawMessage(`{"id":"lin","os_type":"LINUX","type":"MIGRATE_FILE","special_config":[{"config_key":"MIGRATE_EXCLUDE_DIR","config_value":"/tmp","config_status":null}]}`),
		"win": json.RawMessage(`{"id":"win","os_type":"WINDOWS","special_config":null}`),
	}})
	for id, want := range map[string]string{
		"lin": `{"configurations":[{"config_key":"MIGRATE_EXCLUDE_DIR","config_value":"/tmp","config_status":null}],"migrate_type":"LINUX_MIGRATE_FILE","task_id":"lin"}`,
		"win": `{"configurations":null,"migrate_type":"WINDOWS_MIGRATE_BLOCK","task_id":"win"}`,
	} {
		if resp, body := getPath(t, s, "/v3/tasks/"+id+"/configuration-setting"); resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("configuration of %s: %d %s, want %s", id, resp.StatusCode, body, want)
		}
	}
	resp, body := getPath(t, s, "/v3/tasks/missing/configuration-setting")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6002", "The migration task missing does not exist")
}
