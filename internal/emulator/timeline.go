package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// A timeline makes the fleet advance while it is read, so that tests and the demo can watch a
// wave run: "the tasks finish one per read", "task t-3 fails at the fifth read". The clock is the
// number of listing reads, counted at their first page (a request at offset 0 of GET /v3/tasks or
// GET /v3/sources), so a read of many pages sees one consistent fleet, and every step applies
// before the read it names is answered. A step changes a task and its source server together,
// through Mutate and MutateServers, so every endpoint agrees about them.

// Step changes one task at one read.
type Step struct {
	// Read is the listing read the step applies to, from 1.
	Read int
	// Task is the id of the task that changes.
	Task string
	// State is the task's new state. The source servers whose current task it is follow: their
	// state, migration_cycle, current_task.state and current_task.remain_seconds; a finished one
	// has every byte replicated.
	State string
	// ErrorJSON, when not empty, is the task's new error_json.
	ErrorJSON string
}

// timeline is a Server's steps and its read counter.
type timeline struct {
	mu    sync.Mutex
	reads int
	steps []Step
}

// timelines holds the timeline of each Server that has one: only servers that Play, so a server
// without steps costs one map lookup per request.
var timelines sync.Map // *Server -> *timeline

// Play adds steps to the server's timeline. Reads are counted from the first call to Play, so
// read 1 is the first listing read after it.
func (s *Server) Play(steps ...Step) {
	v, _ := timelines.LoadOrStore(s, &timeline{})
	tl, _ := v.(*timeline)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.steps = append(tl.steps, steps...)
}

// Reads is the number of listing reads since the first call to Play.
func (s *Server) Reads() int {
	v, ok := timelines.Load(s)
	if !ok {
		return 0
	}
	tl, _ := v.(*timeline)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.reads
}

// FinishInTurn is a timeline in which the tasks take state in order, perRead of them at each
// read from firstRead on: a wave that completes while it is watched.
func FinishInTurn(taskIDs []string, state string, firstRead, perRead int) []Step {
	steps := make([]Step, len(taskIDs))
	for i, id := range taskIDs {
		steps[i] = Step{Read: firstRead + i/max(perRead, 1), Task: id, State: state}
	}
	return steps
}

// advance counts a request that starts a listing read and applies the steps of that read. It
// is called for every authenticated request, before the answer is made.
func (s *Server) advance(urlPath string, query url.Values) {
	path := strings.TrimPrefix(urlPath, s.prefix)
	if path != "/v3/tasks" && path != "/v3/sources" || (query.Get("offset") != "" && query.Get("offset") != "0") {
		return
	}
	v, ok := timelines.Load(s)
	if !ok {
		return
	}
	tl, _ := v.(*timeline)
	tl.mu.Lock()
	tl.reads++
	var due []Step
	for _, step := range tl.steps {
		if step.Read == tl.reads {
			due = append(due, step)
		}
	}
	tl.mu.Unlock()
	if len(due) > 0 {
		s.apply(due)
	}
}

// apply changes the tasks and their servers as the steps say, all in one Mutate and one
// MutateServers; of two steps for one task, the later one wins.
func (s *Server) apply(steps []Step) {
	byTask := make(map[string]Step, len(steps))
	for _, step := range steps {
		byTask[step.Task] = step
	}
	s.Mutate(func(tasks []json.RawMessage) []json.RawMessage {
		for i, raw := range tasks {
			id, _ := stringKey(raw, "id")
			if step, ok := byTask[id]; ok {
				fields := map[string]any{"state": step.State}
				if step.ErrorJSON != "" {
					fields["error_json"] = step.ErrorJSON
				}
				tasks[i] = withFields(raw, fields)
			}
		}
		return tasks
	})
	s.MutateServers(func(servers []json.RawMessage) []json.RawMessage {
		for i, raw := range servers {
			var keys struct {
				CurrentTask map[string]json.RawMessage `json:"current_task"`
				TotalSize   json.RawMessage            `json:"totalsize"`
			}
			if json.Unmarshal(raw, &keys) != nil || keys.CurrentTask == nil {
				continue
			}
			var taskID string
			_ = json.Unmarshal(keys.CurrentTask["id"], &taskID)
			step, ok := byTask[taskID]
			if !ok {
				continue
			}
			current := map[string]any{}
			for k, v := range keys.CurrentTask {
				current[k] = v
			}
			current["state"] = step.State
			current["remain_seconds"] = remainSeconds(step.State, taskID)
			fields := map[string]any{"current_task": current}
			if serverState, known := serverStateOf[step.State]; known {
				fields["state"], fields["migration_cycle"] = serverState, cycleOf[serverState]
				if serverState == "finished" && keys.TotalSize != nil {
					fields["replicatesize"] = keys.TotalSize
				}
			}
			servers[i] = withFields(raw, fields)
		}
		return servers
	})
}

// stringKey reads one string member of a JSON object.
func stringKey(raw json.RawMessage, key string) (string, bool) {
	var obj map[string]json.RawMessage
	var s string
	if json.Unmarshal(raw, &obj) != nil || json.Unmarshal(obj[key], &s) != nil {
		return "", false
	}
	return s, true
}

// withFields is the JSON object raw with fields set, every other member kept as it was.
func withFields(raw json.RawMessage, fields map[string]any) json.RawMessage {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // int64 values beyond 2^53 stay exact.
	if err := dec.Decode(&obj); err != nil {
		return raw
	}
	for k, v := range fields {
		obj[k] = v
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return raw
	}
	return out
}

// WaveProject is the migration project of the wave the sms-emulator command adds with -wave.
const WaveProject = "7e57a11e-0000-4000-8000-00000000a7e5"

// AddWave adds a wave to the fleet: n running tasks named wave-web-01 … (ids wave-task-01 …),
// each migrating a source server of its own (wave-server-01 …, same names) in migration project
// project, replicating, with the API's estimate of the time left (half a minute per server). It returns the task ids, for a
// timeline such as FinishInTurn.
func (f *Fleet) AddWave(project string, n int) []string {
	if f.ServerProjects == nil {
		f.ServerProjects = map[string]string{}
	}
	ids := make([]string, n)
	for i := range n {
		name, task, server := fmt.Sprintf("wave-web-%02d", i+1), fmt.Sprintf("wave-task-%02d", i+1), fmt.Sprintf("wave-server-%02d", i+1)
		ids[i] = task
		f.Tasks = append(f.Tasks, mustJSON(map[string]any{"id": task, "name": name, "type": "MIGRATE_BLOCK", "state": "RUNNING",
			"error_json": "", "source_server": map[string]any{"id": server, "name": name}}))
		f.Servers = append(f.Servers, mustJSON(map[string]any{"id": server, "name": name, "state": "replicate",
			"migration_cycle": "replicating", "connected": true, "totalsize": int64(100) << 30, "replicatesize": int64(10*(i+1)) << 30,
			"current_task": map[string]any{"id": task, "name": name, "state": "RUNNING", "remain_seconds": 30 * (i + 1)}}))
		f.ServerProjects[server] = project
	}
	return ids
}

func mustJSON(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic("emulator: " + err.Error())
	}
	return raw
}
