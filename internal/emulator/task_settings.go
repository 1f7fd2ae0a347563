package emulator

import (
	"encoding/json"
	"hash/fnv"
)

// taskSubResources derives the body of GET /v3/tasks/{task_id}/{name} from the task's detail, so
// that every sub-resource agrees with the task it belongs to.
var taskSubResources = map[string]func(detail []byte, taskID string) []byte{
	"speed-limit": speedLimits,
}

// speedLimits answers GET /v3/tasks/{task_id}/speed-limit: none for a task without a
// speed_limit; otherwise the task's limit in working hours and, for some tasks chosen by id, a
// the same one at night with an overspeed threshold, null for the others.
func speedLimits(detail []byte, taskID string) []byte {
	var task struct {
		SpeedLimit *int64 `json:"speed_limit"`
	}
	_ = json.Unmarshal(detail, &task) // A wrong type leaves no limit, which is a valid answer.
	limits := []map[string]any{}
	if task.SpeedLimit != nil && *task.SpeedLimit > 0 {
		limits = append(limits, map[string]any{"start": "08:00", "end": "20:00", "speed": *task.SpeedLimit,
			"over_speed_threshold": nil})
		if idHash(taskID)%2 == 0 {
			limits = append(limits, map[string]any{"start": "20:00", "end": "08:00", "speed": *task.SpeedLimit,
				"over_speed_threshold": 120.5})
		}
	}
	return marshal(map[string]any{"speed_limit": limits})
}

// idHash is a stable hash of a task id, for choices that must not change between requests.
func idHash(id string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return h.Sum32()
}
