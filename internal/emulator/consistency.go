package emulator

import (
	"encoding/json"
)

// checkedStates are the task states after which SMS has compared the source's files with the
// target's: the migration is done, or its data is being or has been synchronized.
var checkedStates = map[string]bool{"MIGRATE_SUCCESS": true, "SYNCING": true, "SYNC_SUCCESS": true}

// checkedDirs are the directories a check compares, by the task's os_type.
var checkedDirs = map[string][]string{
	"LINUX":   {"/", "/boot", "/home", "/var/lib/mysql"},
	"WINDOWS": {`C:\`, `D:\data`},
}

// consistencyResult answers GET /v3/tasks/{task_id}/consistency-result from the stored task.
// Every task in a checkedState has run a check, some of them two (chosen by id); every other task
// has none. The newest check of one in three checked tasks, chosen by id, found different, missing
// and extra files in its last directory; every other check found the target identical. A task of
// an unknown os_type is checked at "/".
func consistencyResult(task []byte, taskID string) []byte {
	var t struct {
		State      string `json:"state"`
		OSType     string `json:"os_type"`
		CreateDate int64  `json:"create_date"`
	}
	_ = json.Unmarshal(task, &t) // Wrong types leave zero values: a task without checks.
	checks := []any{}
	if !checkedStates[t.State] {
		return marshal(map[string]any{"task_id": taskID, "result_list": checks})
	}
	dirs, known := checkedDirs[t.OSType]
	if !known {
		dirs = []string{"/"}
	}
	h := idHash(taskID)
	runs := 1 + int(h>>2%2)
	for run := range runs {
		dirty := run == runs-1 && h>>16%3 == 1
		results := make([]any, len(dirs))
		for i, dir := range dirs {
			total := int64(h>>(4+i)%5000) + 120
			counts := [3]int64{}
			if dirty && i == len(dirs)-1 {
				counts = [3]int64{int64(h%7) + 1, int64(h>>3%3) + 1, int64(h>>5%2) + 1}
			}
			results[i] = map[string]any{"dir_check": dir, "num_total_files": total, "num_different_files": counts[0],
				"num_target_miss_files": counts[1], "num_target_more_files": counts[2]}
		}
		checks = append(checks, map[string]any{
			"finished_time":      t.CreateDate + int64(run+1)*3_600_000,
			"check_result":       "success",
			"consistency_result": results,
		})
	}
	return marshal(map[string]any{"task_id": taskID, "result_list": checks})
}
