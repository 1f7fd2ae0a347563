package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

type consistencyBody struct {
	TaskID     *string `json:"task_id"`
	ResultList []struct {
		FinishedTime      int64 `json:"finished_time"`
		ConsistencyResult []struct {
			DirCheck   string `json:"dir_check"`
			Total      int64  `json:"num_total_files"`
			Different  int64  `json:"num_different_files"`
			TargetMiss int64  `json:"num_target_miss_files"`
			TargetMore int64  `json:"num_target_more_files"`
		} `json:"consistency_result"`
	} `json:"result_list"`
}

func consistencyOf(t *testing.T, s *Server, id string) consistencyBody {
	t.Helper()
	resp, body := getPath(t, s, "/v3/tasks/"+id+"/consistency-result")
	var got consistencyBody
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || got.ResultList == nil {
		t.Fatalf("consistency result of %s: %d %s (%v)", id, resp.StatusCode, body, err)
	}
	return got
}

// Only tasks that have migrated or synchronized their data have checks, and all of them do; of a
// generated fleet, some have found differences and others none, every answer names its task and stays the same,
// and a task that does not exist is a 404.
func TestConsistencyResult_FollowsTheTask(t *testing.T) {
	fleet := GenerateFleet(200, 7)
	s := start(t, fleet.Options())
	var checked, dirty int
	for _, raw := range fleet.Tasks {
		var task struct{ ID, State string }
		if err := json.Unmarshal(raw, &task); err != nil {
			t.Fatal(err)
		}
		got := consistencyOf(t, s, task.ID)
		if *got.TaskID != task.ID {
			t.Errorf("task %s: answer names %s", task.ID, *got.TaskID)
		}
		if checkedStates[task.State] != (len(got.ResultList) > 0) {
			t.Errorf("task %s in state %s has %d checks", task.ID, task.State, len(got.ResultList))
		}
		if len(got.ResultList) == 0 {
			continue
		}
		checked++
		found := false
		for _, check := range got.ResultList {
			for _, d := range check.ConsistencyResult {
				found = found || d.Different+d.TargetMiss+d.TargetMore > 0
				if d.Total <= 0 {
					t.Errorf("task %s: %+v", task.ID, d)
				}
			}
		}
		if found {
			dirty++
		}
	}
	if checked == 0 || dirty == 0 || dirty == checked {
		t.Errorf("%d tasks checked, %d of them with differences: want some clean and some not", checked, dirty)
	}
	resp, body := getPath(t, s, "/v3/tasks/missing/consistency-result")
	checkError(t, resp, body, http.StatusNotFound, "SMS.6002", "The migration task missing does not exist")
}

// A task's checks follow its state and os_type: none for a task still running, the OS's
// directories otherwise, "/" for an unknown OS; the same id gives the same answer every time.
func TestConsistencyResult_DirectoriesFollowTheOS(t *testing.T) {
	s := start(t, Options{TaskDetails: map[string]json.RawMessage{
		"run": json.RawMessage(`{"id":"run","state":"RUNNING","os_type":"LINUX"}`),
		"odd": json.RawMessage(`{"id":"odd","state":"MIGRATE_SUCCESS","os_type":1}`),
	}})
	if got := consistencyOf(t, s, "run"); len(got.ResultList) != 0 {
		t.Errorf("running task: %d checks, want none", len(got.ResultList))
	}
	if got := consistencyOf(t, s, "odd"); len(got.ResultList) == 0 || got.ResultList[0].ConsistencyResult[0].DirCheck != "/" {
		t.Errorf("task of an unknown OS: %+v, want a check of /", got)
	}
	for _, os := range []string{"LINUX", "WINDOWS"} {
		details := map[string]json.RawMessage{}
		for i := range 8 {
			id := os + string(rune('a'+i))
			details[id] = json.RawMessage(`{"id":"` + id + `","state":"SYNC_SUCCESS","os_type":"` + os + `","create_date":1000}`)
		}
		s := start(t, Options{TaskDetails: details})
		for id := range details {
			got := consistencyOf(t, s, id)
			if again := consistencyOf(t, s, id); len(again.ResultList) != len(got.ResultList) {
				t.Errorf("%s: answers differ", id)
			}
			if len(got.ResultList) == 0 {
				t.Errorf("%s: no check", id)
			}
			for _, check := range got.ResultList {
				if check.FinishedTime <= 1000 || len(check.ConsistencyResult) != len(checkedDirs[os]) ||
					check.ConsistencyResult[0].DirCheck != checkedDirs[os][0] {
					t.Errorf("%s: check %+v", id, check)
				}
			}
		}
	}
}
