package emulator

import (
	"encoding/json"
	"hash/fnv"
)

// taskSubResources derives the body of GET /v3/tasks/{task_id}/{name} from the stored task (see
// storedTask), so that every sub-resource agrees with the task it belongs to.
var taskSubResources = map[string]func(task []byte, taskID string) []byte{
	"speed-limit":           speedLimits,
	"configuration-setting": configurationSetting,
	"consistency-result":    consistencyResult,
	"certkey":               certKey,
	"passphrase":            passphrase,
}

// speedLimits answers GET /v3/tasks/{task_id}/speed-limit: none for a task without a
// speed_limit; otherwise the task's limit in working hours and, for some tasks chosen by id, a
// the same one at night with an overspeed threshold, null for the others.
func speedLimits(task []byte, taskID string) []byte {
	var t struct {
		SpeedLimit *int64 `json:"speed_limit"`
	}
	_ = json.Unmarshal(task, &t) // A wrong type leaves no limit, which is a valid answer.
	limits := []map[string]any{}
	if t.SpeedLimit != nil && *t.SpeedLimit > 0 {
		limits = append(limits, map[string]any{"start": "08:00", "end": "20:00", "speed": *t.SpeedLimit,
			"over_speed_threshold": nil})
		if idHash(taskID)%2 == 0 {
			limits = append(limits, map[string]any{"start": "20:00", "end": "08:00", "speed": *t.SpeedLimit,
				"over_speed_threshold": 120.5})
		}
	}
	return marshal(map[string]any{"speed_limit": limits})
}

// configurationSetting answers GET /v3/tasks/{task_id}/configuration-setting: the task's id, a
// migrate_type from its os_type and type (null when the OS is not known), and its special_config
// as the configurations, null when the task has none.
func configurationSetting(task []byte, taskID string) []byte {
	var t struct {
		OSType        string          `json:"os_type"`
		Type          string          `json:"type"`
		SpecialConfig json.RawMessage `json:"special_config"`
	}
	_ = json.Unmarshal(task, &t) // Wrong types leave zero values: no type and no items.
	var migrateType any
	switch {
	case t.OSType == "WINDOWS":
		migrateType = "WINDOWS_MIGRATE_BLOCK"
	case t.OSType == "LINUX" && t.Type == "MIGRATE_FILE":
		migrateType = "LINUX_MIGRATE_FILE"
	case t.OSType == "LINUX":
		migrateType = "LINUX_MIGRATE_BLOCK"
	}
	configs := t.SpecialConfig
	if len(configs) == 0 || configs[0] != '[' {
		configs = json.RawMessage("null")
	}
	return marshal(map[string]any{"task_id": taskID, "migrate_type": migrateType, "configurations": configs})
}

// idHash is a stable hash of a task id, for choices that must not change between requests.
func idHash(id string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return h.Sum32()
}
