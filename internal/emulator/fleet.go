package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// Fleet is one consistent data set for every endpoint of the emulator: the tasks of GET
// /v3/tasks, the source servers of GET /v3/sources that those tasks migrate, and the migration
// project of each server. A server's current_task is the newest task that names it as its
// source server, with that task's id, name and state; servers without a task are waiting to be
// configured. GET /v3/tasks/{id} and GET /v3/sources/overview are derived from the same data.
type Fleet struct {
	Tasks   []json.RawMessage
	Servers []json.RawMessage
	// ServerProjects maps a server id to the migration project it belongs to, which the list
	// body does not show but the migproject filter compares.
	ServerProjects map[string]string
}

// Options returns Options serving the fleet; set the other fields on the result.
func (f Fleet) Options() Options {
	return Options{Tasks: f.Tasks, Servers: f.Servers, ServerProjects: f.ServerProjects}
}

// MigrationProjects are the migration project ids GenerateFleet assigns servers to.
var MigrationProjects = []string{
	"2a4c6e80-1b3d-4f5a-8c7e-9d0f1a2b3c4d",
	"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
	"8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f",
}

// ServerStates lists the source server states GET /v3/sources accepts in its state filter; a
// value outside it is answered with 400. It must not be modified.
var ServerStates = []string{
	"unavailable", "waiting", "initialize", "replicate", "syncing", "stopping", "stopped",
	"skipping", "deleting", "clearing", "cleared", "clearfailed", "premigready", "premiged",
	"premigfailed", "cloning", "cutovering", "finished", "error",
}

// MigrationCycles lists the values of the migration_cycle filter. It must not be modified.
var MigrationCycles = []string{"checking", "setting", "replicating", "syncing", "cutovering", "cutovered"}

// serverStateOf is the state a source server is in while its current task is in a task state.
var serverStateOf = map[string]string{
	"READY": "waiting", "RUNNING": "replicate", "SYNCING": "syncing", "MIGRATE_SUCCESS": "finished",
	"MIGRATE_FAIL": "error", "ABORTING": "stopping", "ABORT": "stopped", "DELETING": "deleting",
	"SYNC_F_ROLLBACKING": "clearing", "SYNC_F_ROLLBACK_SUCCESS": "cleared", "SYNC_SUCCESS": "syncing",
	"SYNC_FAIL": "error", "SKIPPING": "skipping", "RESETING": "initialize",
}

// cycleOf is the migration_cycle of a source server in a state.
var cycleOf = map[string]string{
	"unavailable": "checking", "waiting": "setting", "initialize": "replicating", "replicate": "replicating",
	"syncing": "syncing", "stopping": "replicating", "stopped": "replicating", "skipping": "syncing",
	"deleting": "setting", "clearing": "cutovered", "cleared": "cutovered", "error": "replicating",
	"finished": "cutovered", "cutovering": "cutovering",
}

// taskSummary is what a server's current_task repeats of its task.
type taskSummary struct {
	ID               *string  `json:"id"`
	Name             *string  `json:"name"`
	Type             *string  `json:"type"`
	State            *string  `json:"state"`
	CreateDate       *int64   `json:"create_date"`
	SpeedLimit       *int64   `json:"speed_limit"`
	MigrateSpeed     *float64 `json:"migrate_speed"`
	CompressRate     *float64 `json:"compress_rate"`
	StartTarget      *bool    `json:"start_target_server"`
	EnterpriseProj   *string  `json:"enterprise_project_id"`
	LogCollectStatus *string  `json:"log_collect_status"`
	SubtaskInfo      *string  `json:"subtask_info"`
	SourceServer     *struct {
		ID        *string `json:"id"`
		IP        *string `json:"ip"`
		Name      *string `json:"name"`
		OSType    *string `json:"os_type"`
		OSVersion *string `json:"os_version"`
		OEMSystem *bool   `json:"oem_system"`
	} `json:"source_server"`
	TargetServer *struct {
		VMID *string `json:"vm_id"`
		Name *string `json:"name"`
	} `json:"target_server"`
	CloneServer *struct {
		VMID *string `json:"vm_id"`
		Name *string `json:"name"`
	} `json:"clone_server"`
}

// GenerateFleet returns GenerateTasks(tasks, seed), the source servers those tasks name (in the
// order of their newest task), and one more server in ten without any task. The same seed gives
// the same fleet.
func GenerateFleet(tasks int, seed int64) Fleet {
	f := Fleet{Tasks: GenerateTasks(tasks, seed), ServerProjects: map[string]string{}}
	seen := map[string]bool{}
	for i, raw := range f.Tasks {
		var t taskSummary
		if err := json.Unmarshal(raw, &t); err != nil {
			panic(fmt.Sprintf("emulator: generated task %d: %v", i, err))
		}
		if t.SourceServer == nil || t.SourceServer.ID == nil || seen[*t.SourceServer.ID] {
			continue
		}
		seen[*t.SourceServer.ID] = true
		f.addServer(genServer(&t, i, seed), *t.SourceServer.ID, i)
	}
	for i := range max(tasks/10, 1) {
		id := uuidString(seed, 0x5e7f, i)
		f.addServer(genIdleServer(id, i, seed), id, i)
	}
	return f
}

func (f *Fleet) addServer(server map[string]any, id string, i int) {
	raw, err := json.Marshal(server)
	if err != nil {
		panic("emulator: " + err.Error())
	}
	f.Servers = append(f.Servers, raw)
	f.ServerProjects[id] = MigrationProjects[i%len(MigrationProjects)]
}

// genServer builds the source server of task t (task number i) with t as its current task.
func genServer(t *taskSummary, i int, seed int64) map[string]any {
	r := rand.New(rand.NewPCG(uint64(seed)^0x5e7e, uint64(i)))
	ss := t.SourceServer
	state := serverStateOf[deref(t.State)]
	if state == "" {
		state = "waiting"
	}
	if state == "finished" && r.IntN(8) == 0 {
		state = "cutovering"
	}
	s := baseServer(r, deref(ss.ID), ss.Name, ss.IP, ss.OSType, ss.OSVersion, ss.OEMSystem, t.EnterpriseProj, state, i)
	total := (10 + r.Int64N(490)) << 30
	var replicated int64
	switch state {
	case "finished", "cutovering", "syncing", "clearing", "cleared":
		replicated = total
	case "waiting", "initialize":
		replicated = 0
	default:
		replicated = r.Int64N(total)
	}
	s["totalsize"], s["replicatesize"] = total, replicated
	if r.IntN(20) == 0 {
		s["totalsize"] = 0 // Not measured yet: replication progress is unknown.
	}
	s["current_task"] = currentTask(r, t)
	// A server has a consistency result exactly when its task has one (consistency.go).
	s["is_consistency_result_exist"] = checkedStates[deref(t.State)]
	return s
}

// genIdleServer builds a registered server that has no task yet.
func genIdleServer(id string, i int, seed int64) map[string]any {
	r := rand.New(rand.NewPCG(uint64(seed)^0x1d1e, uint64(i)))
	state := "waiting"
	if r.IntN(3) == 0 {
		state = "unavailable"
	}
	name := fmt.Sprintf("src-new-%03d", i%1000)
	ip := fmt.Sprintf("10.200.%d.%d", i/250%250, 2+i%250)
	osType, osVersion := "LINUX", linuxOS[r.IntN(len(linuxOS))]
	oem := false
	s := baseServer(r, id, &name, &ip, &osType, &osVersion, &oem, &EnterpriseProjects[i%len(EnterpriseProjects)], state, i)
	s["totalsize"], s["replicatesize"] = nil, nil
	if r.IntN(2) == 0 {
		delete(s, "replicatesize") // Older agents leave the sizes out.
		delete(s, "totalsize")
	}
	return s
}

func baseServer(r *rand.Rand, id string, name, ip, osType, osVersion *string, oem *bool, ep *string, state string, i int) map[string]any {
	added := newestCreateDate - int64(i)*3_700_000 - 86_400_000
	s := map[string]any{
		"id": id, "ip": ip, "name": name, "enterprise_project_id": ep,
		"add_date": added, "os_type": osType, "os_version": osVersion, "oem_system": oem,
		"state": state, "connected": r.IntN(8) != 0,
		"cpu_quantity": 2 << r.IntN(4), "memory": int64(4<<r.IntN(5)) << 30,
		"checks":             genChecks(r, state),
		"init_target_server": genInitTarget(r, deref(osType)),
		"stage_action_time":  added + 600_000, "state_action_time": added + 900_000,
		"last_visit_time":             added + r.Int64N(3_600_000),
		"migration_cycle":             cycleOf[state],
		"is_consistency_result_exist": state == "finished" && r.IntN(2) == 0,
		"has_tc":                      deref(osType) == "LINUX",
	}
	if r.IntN(4) == 0 {
		s["start_type"] = "MANUAL"
	}
	return s
}

func currentTask(r *rand.Rand, t *taskSummary) map[string]any {
	ct := map[string]any{
		"id": t.ID, "name": t.Name, "type": t.Type, "state": t.State,
		"start_date": t.CreateDate, "speed_limit": t.SpeedLimit, "migrate_speed": t.MigrateSpeed,
		"compress_rate": t.CompressRate, "start_target_server": t.StartTarget,
		"vm_template_id": "", "region_id": "cn-north-4", "project_name": "cn-north-4",
		"project_id": "0c0ffee0c0ffee0c0ffee0c0ffee0001", "log_collect_status": t.LogCollectStatus,
		"exist_server": r.IntN(2) == 0, "use_public_ip": r.IntN(3) > 0,
		"remain_seconds": remainSeconds(deref(t.State), deref(t.ID)), "subtask_info": t.SubtaskInfo,
	}
	if t.CreateDate != nil && deref(t.State) == "RUNNING" {
		ct["estimate_complete_time"] = *t.CreateDate + 3_600_000 + r.Int64N(86_400_000)
	} else {
		ct["estimate_complete_time"] = nil
	}
	if ts := t.TargetServer; ts != nil {
		ct["target_server"] = map[string]any{"vm_id": ts.VMID, "name": ts.Name}
	} else {
		ct["target_server"] = nil
	}
	if cs := t.CloneServer; cs != nil {
		ct["clone_server"] = map[string]any{"vm_id": cs.VMID, "name": cs.Name, "clone_error": "",
			"clone_state": "FINISHED", "error_msg": ""}
	}
	return ct
}

// remainSeconds is the ETA of a task: hours for a running one, 0 once done, null otherwise.
// Derived from the id, so the list's current_task and the task's detail agree.
func remainSeconds(state, id string) any {
	switch state {
	case "RUNNING", "SYNCING":
		h := int64(0)
		for _, c := range id {
			h = h*31 + int64(c)
		}
		return 60 + (h&0x7fffffff)%86_400
	case "MIGRATE_SUCCESS", "SYNC_SUCCESS":
		return 0
	}
	return nil
}

func genChecks(r *rand.Rand, state string) any {
	if r.IntN(10) == 0 {
		return nil
	}
	checks := []map[string]any{
		{"id": 1, "params": []string{}, "name": "OS_VERSION", "result": "OK", "error_code": "", "error_or_warn": "", "error_params": ""},
		{"id": 2, "params": []string{"/boot"}, "name": "DISK_SPACE", "result": []string{"OK", "OK", "WARN"}[r.IntN(3)],
			"error_code": nil, "error_or_warn": "", "error_params": nil},
	}
	if state == "unavailable" {
		checks = append(checks, map[string]any{"id": 3, "params": []string{"rsync"}, "name": "RSYNC_INSTALLED",
			"result": "ERROR", "error_code": "SMS.1205", "error_or_warn": "rsync is not installed", "error_params": "rsync"})
	}
	return checks
}

func genInitTarget(r *rand.Rand, osType string) any {
	if r.IntN(10) == 0 {
		return nil
	}
	size := int64(40+r.IntN(10)*20) << 30
	used := size / int64(2+r.IntN(6))
	disk := map[string]any{"name": "/dev/vda", "size": size, "device_use": "OS", "used_size": used,
		"physical_volumes": []map[string]any{{"device_use": "OS", "file_system": "ext4", "index": 0,
			"mount_point": "/", "name": "/dev/vda1", "size": size - 1<<20, "inode_size": 256, "used_size": used,
			"uuid": fmt.Sprintf("%08x-0000-4000-8000-%012x", r.Uint32(), r.Uint64()&(1<<48-1))}}}
	it := map[string]any{"disks": []map[string]any{disk}}
	switch {
	case osType == "WINDOWS":
		disk["name"] = "Disk 0"
	case r.IntN(2) == 0:
		it["volume_groups"] = []map[string]any{{"components": "/dev/vdb1", "free_size": 0, "name": "vg_data",
			"size": int64(100) << 30, "logical_volumes": []map[string]any{{"block_count": 26214400,
				"block_size": 4096, "file_system": "xfs", "inode_size": 512, "inode_nums": 52428800,
				"device_use": "NORMAL", "mount_point": "/data", "name": "lv_data", "size": int64(100) << 30,
				"used_size": int64(12) << 30, "free_size": int64(88) << 30}}}}
	default:
		it["volume_groups"] = []any{}
	}
	return it
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
