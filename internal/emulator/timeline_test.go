package emulator

import (
	"encoding/json"
	"testing"
)

// A timeline's steps apply at the listing read they name, counted from Play at first pages only, and
// change the task and its source server together: the server's state, migration_cycle and
// current_task follow the task, and error_json is set on a failure.
func TestTimeline_StepsApplyAtTheirReadToTaskAndServer(t *testing.T) {
	fleet := GenerateFleet(3, 5)
	s := start(t, fleet.Options())
	server := sources(t, s, "limit=1").SourceServers[0]
	id := server.CurrentTask.ID
	s.Play(Step{Read: 2, Task: id, State: "MIGRATE_FAIL", ErrorJSON: `{"error_code":"SMS.1502"}`},
		Step{Read: 3, Task: id, State: "MIGRATE_SUCCESS"})

	sources(t, s, "limit=1&offset=1") // not a read: a later page
	if got := sources(t, s, "id="+server.ID).SourceServers[0]; s.Reads() != 1 || got.CurrentTask.State != server.CurrentTask.State {
		t.Fatalf("after %d reads the server is %+v; want it unchanged after 1", s.Reads(), got)
	}
	failed := sources(t, s, "id="+server.ID).SourceServers[0]
	if failed.State != "error" || failed.MigrationCycle != "replicating" || failed.CurrentTask.State != "MIGRATE_FAIL" {
		t.Errorf("at read 2 the server is %+v; want error, replicating, its task MIGRATE_FAIL", failed)
	}
	var task struct {
		State     string `json:"state"`
		ErrorJSON string `json:"error_json"`
	}
	if err := json.Unmarshal(list(t, s, "id="+id).Tasks[0], &task); err != nil {
		t.Fatal(err)
	}
	if task.State != "MIGRATE_SUCCESS" || task.ErrorJSON != `{"error_code":"SMS.1502"}` {
		t.Errorf("at read 3 the task is %+v; want MIGRATE_SUCCESS with the error_json of read 2", task)
	}
	if done := sources(t, s, "id="+server.ID).SourceServers[0]; done.State != "finished" || done.MigrationCycle != "cutovered" {
		t.Errorf("after the task succeeded the server is %+v; want finished, cutovered", done)
	}
}

// FinishInTurn gives perRead tasks their state at each read from the first one.
func TestFinishInTurn_PerRead(t *testing.T) {
	steps := FinishInTurn([]string{"a", "b", "c"}, "MIGRATE_SUCCESS", 2, 2)
	if steps[0].Read != 2 || steps[1].Read != 2 || steps[2].Read != 3 || steps[2].Task != "c" {
		t.Errorf("steps %+v", steps)
	}
}

// A wave added to a fleet is served under its project, running, and finishes with a timeline.
func TestFleet_AddWave(t *testing.T) {
	fleet := GenerateFleet(2, 1)
	ids := fleet.AddWave("wave-demo", 2)
	s := start(t, fleet.Options())
	s.Play(FinishInTurn(ids, "MIGRATE_SUCCESS", 2, 2)...)
	if got := sources(t, s, "migproject=wave-demo").SourceServers; len(got) != 2 || got[0].Name != "wave-web-01" ||
		got[0].MigrationCycle != "replicating" || got[1].CurrentTask.ID != "wave-task-02" {
		t.Fatalf("the wave is %+v", got)
	}
	for _, srv := range sources(t, s, "migproject=wave-demo").SourceServers {
		if srv.MigrationCycle != "cutovered" || srv.CurrentTask.State != "MIGRATE_SUCCESS" {
			t.Errorf("after the second read %+v is not done", srv)
		}
	}
}
