package emulator

import (
	"encoding/json"
)

// taskDetail builds the body of GET /v3/tasks/{id}: Options.TaskDetails[id] as given when set;
// otherwise the first listed task with that id, less the list-only members, plus the members
// only the detail has, derived from the task and from its source server, so that the detail
// agrees with both lists. It reports false when no task has the id.
func (s *Server) taskDetail(id string) ([]byte, bool) {
	if raw, ok := s.opts.TaskDetails[id]; ok {
		return raw, true
	}
	if raw, ok := s.listedTask(id); ok {
		return s.deriveDetail(raw, id), true
	}
	return nil, false
}

// storedTask is the task a sub-resource of /v3/tasks/{id} is derived from:
// Options.TaskDetails[id] when set, otherwise the first listed task with that id, with the
// members only the list has.
func (s *Server) storedTask(id string) ([]byte, bool) {
	if raw, ok := s.opts.TaskDetails[id]; ok {
		return raw, true
	}
	return s.listedTask(id)
}

func (s *Server) listedTask(id string) ([]byte, bool) {
	recs := *s.data.Load()
	for i := range recs {
		if recs[i].id == id && id != "" {
			return recs[i].raw, true
		}
	}
	return nil, false
}

func (s *Server) deriveDetail(raw json.RawMessage, id string) []byte {
	var task map[string]json.RawMessage
	if err := json.Unmarshal(raw, &task); err != nil {
		return raw // Stored tasks are objects; this is unreachable.
	}
	var keys struct {
		State      string `json:"state"`
		CreateDate *int64 `json:"create_date"`
		TotalTime  *int64 `json:"total_time"`
	}
	_ = json.Unmarshal(raw, &keys) // Wrong types leave zero values, which is all a detail needs.
	for _, listOnly := range []string{"log_collect_status", "syncing", "special_config"} {
		delete(task, listOnly)
	}
	detail := map[string]any{
		"region_id": "cn-north-4", "region_name": "cn-north-4", "project_name": "cn-north-4",
		"project_id": "0c0ffee0c0ffee0c0ffee0c0ffee0001", "vm_template_id": "", "float_ip": "",
		"target_snapshot_id": "", "connected": keys.State != "MIGRATE_FAIL",
		"remain_seconds": remainSeconds(keys.State, id), "start_date": nil, "finish_date": nil,
	}
	if keys.CreateDate != nil {
		detail["start_date"] = *keys.CreateDate + 60_000
		if keys.TotalTime != nil && remainSeconds(keys.State, id) == 0 {
			detail["finish_date"] = *keys.CreateDate + 60_000 + *keys.TotalTime
		}
	}
	for k, v := range detail {
		if _, ok := task[k]; !ok {
			task[k] = marshal(v)
		}
	}
	if ss, ok := task["source_server"]; ok {
		task["source_server"] = s.withMigrationCycle(ss)
	}
	return marshal(task)
}

// withMigrationCycle adds the migration_cycle of the listed source server with the same id to a
// task's source_server object.
func (s *Server) withMigrationCycle(ss json.RawMessage) json.RawMessage {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(ss, &obj); err != nil || obj == nil {
		return ss
	}
	var id string
	_ = json.Unmarshal(obj["id"], &id)
	servers := *s.servers.Load()
	for i := range servers {
		if servers[i].id == id && id != "" && servers[i].cycle != "" {
			obj["migration_cycle"] = marshal(servers[i].cycle)
			return marshal(obj)
		}
	}
	return ss
}
