package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// States lists every migration task state that GET /v3/tasks accepts in its state filter and
// that GenerateTasks produces. A state query parameter outside this list is answered with 400.
// It must not be modified.
var States = []string{
	"READY", "RUNNING", "SYNCING", "MIGRATE_SUCCESS", "MIGRATE_FAIL", "ABORTING", "ABORT",
	"DELETING", "SYNC_F_ROLLBACKING", "SYNC_F_ROLLBACK_SUCCESS", "SYNC_SUCCESS", "SYNC_FAIL",
	"SKIPPING", "RESETING",
}

// rotation fixes the states of the first tasks so that every state appears once n >= 14 and
// a MIGRATE_FAIL appears as early as the second task, which is what failure-path tests need.
var rotation = []string{
	"MIGRATE_SUCCESS", "MIGRATE_FAIL", "RUNNING", "READY", "SYNCING", "ABORTING", "ABORT",
	"DELETING", "SYNC_F_ROLLBACKING", "SYNC_F_ROLLBACK_SUCCESS", "SYNC_SUCCESS", "SYNC_FAIL",
	"SKIPPING", "RESETING",
}

// stateWeights shapes the states after the rotation roughly like a real account, where most
// tasks have finished and a few are in flight or failed.
var stateWeights = []struct {
	state  string
	weight int
}{
	{"MIGRATE_SUCCESS", 40}, {"RUNNING", 10}, {"READY", 8}, {"MIGRATE_FAIL", 8},
	{"SYNC_SUCCESS", 8}, {"SYNCING", 6}, {"SYNC_FAIL", 3}, {"ABORT", 3}, {"ABORTING", 2},
	{"DELETING", 2}, {"SYNC_F_ROLLBACKING", 2}, {"SYNC_F_ROLLBACK_SUCCESS", 2},
	{"SKIPPING", 2}, {"RESETING", 2},
}

// EnterpriseProjects are the enterprise_project_id values that GenerateTasks draws from; "0" is
// the default project, as on the real service. It must not be modified.
var EnterpriseProjects = []string{
	"0",
	"4f1e2c3a-9b8d-4e7f-a6c5-0d1e2f3a4b5c",
	"b7a6c5d4-e3f2-4a1b-8c9d-0e1f2a3b4c5d",
	"0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f",
}

var (
	roles        = []string{"web", "db", "app", "cache", "mq", "file", "api", "batch"}
	linuxOS      = []string{"CENTOS_7_6_64BIT", "CENTOS_7_9_64BIT", "UBUNTU_20_04_64BIT", "UBUNTU_22_04_64BIT", "EULEROS_2_5_64BIT", "DEBIAN_11_64BIT"}
	windowsOS    = []string{"WINDOWS2012_R2_64BIT", "WINDOWS2016_64BIT", "WINDOWS2019_64BIT", "WINDOWS2008_R2_64BIT"}
	linuxSteps   = []string{"CREATE_CLOUD_SERVER", "SSL_CONFIG", "ATTACH_AGENT_IMAGE", "FORMAT_DISK_LINUX", "MIGRATE_LINUX_FILE", "CONFIGURE_LINUX", "DETTACH_AGENT_IMAGE"}
	windowsSteps = []string{"CREATE_CLOUD_SERVER", "SSL_CONFIG", "ATTACH_AGENT_IMAGE", "FORMAT_DISK_WINDOWS", "MIGRATE_WINDOWS_BLOCK", "CONFIGURE_WINDOWS", "DETTACH_AGENT_IMAGE"}
	logStatuses  = []string{"INIT", "INIT", "INIT", "UPLOADING", "COMPLETED", "FAILED"}
	configKeys   = []string{"EXCLUDE_MIGRATE_PATH", "SYNC_EXCLUDE_PATH", "ONLY_SYNC_PATH"}
)

// newestCreateDate is the create_date, in milliseconds since the epoch, of the newest generated
// task; older tasks step back from it an hour at a time, so pages come newest first.
const newestCreateDate int64 = 1717171717000

// beyondFloat64 is a Long that a float64 cannot hold exactly (2^53 + 1). A few tasks carry it so
// that a client decoding numbers through float64 is caught by tests.
const beyondFloat64 int64 = 9007199254740993

// GenerateTasks returns n realistic tasks, the same for the same seed. Task i depends only on
// seed and i, so GenerateTasks(10, s) is a prefix of GenerateTasks(300, s). Every state appears
// once n >= 14 (MIGRATE_FAIL already at index 1); optional fields are sometimes null and
// sometimes absent; nested objects and arrays take every shape the API allows. Each task is
// built as a map, where a key set to nil is JSON null and a key never set is absent, and
// encoded with encoding/json.
func GenerateTasks(n int, seed int64) []json.RawMessage {
	out := make([]json.RawMessage, max(n, 0))
	for i := range out {
		out[i] = marshal(genTask(i, seed))
	}
	return out
}

// object is a JSON object under construction: a key set to nil is null, a key not set is absent.
type object = map[string]any

// genTask builds task i. Each task gets its own random source, seeded by seed and i.
func genTask(i int, seed int64) object {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
	state := pickState(r, i)
	windows := r.IntN(4) == 0
	osType, versions, steps := "LINUX", linuxOS, linuxSteps
	if windows {
		osType, versions, steps = "WINDOWS", windowsOS, windowsSteps
	}
	osVersion := versions[r.IntN(len(versions))]
	finished := state == "MIGRATE_SUCCESS" || state == "SYNC_SUCCESS" || state == "ABORT" ||
		state == "SYNC_F_ROLLBACK_SUCCESS" || state == "SKIPPING"
	failed := state == "MIGRATE_FAIL" || state == "SYNC_FAIL"
	createDate := newestCreateDate - int64(i)*3_600_000 - r.Int64N(3_600_000)

	t := object{"id": uuidString(seed, 0x7a5c, i), "name": name("sms-task-", "", i, 5), "os_type": osType, "state": state}
	if windows {
		t["type"] = "MIGRATE_BLOCK"
	} else {
		t["type"] = []string{"MIGRATE_FILE", "MIGRATE_FILE", "MIGRATE_BLOCK"}[r.IntN(3)]
	}
	switch {
	case i%97 == 13:
		t["estimate_complete_time"] = beyondFloat64
	case finished || failed || r.IntN(3) == 0:
		t["estimate_complete_time"] = nil
	default:
		t["estimate_complete_time"] = createDate + r.Int64N(86_400_000)
	}
	t["create_date"] = createDate
	t["priority"] = r.IntN(3)
	t["speed_limit"] = []int64{0, 0, 0, 50, 100, 200, 65535}[r.IntN(7)]
	t["migrate_speed"] = double(float64(r.IntN(2000)) / 10)
	if r.IntN(3) > 0 {
		t["compress_rate"] = double(float64(r.IntN(1000)) / 100)
	}
	t["start_target_server"] = r.IntN(5) > 0
	t["error_json"] = ""
	if failed {
		t["error_json"] = fmt.Sprintf(`{"error_code":"SMS.%04d","error_msg":"Migration failed at step %s."}`,
			6000+r.IntN(900), steps[r.IntN(len(steps))])
	}
	t["total_time"] = r.Int64N(20_000_000)
	switch r.IntN(4) {
	case 0:
		t["migration_ip"] = ""
	case 1:
		// Absent: older API versions omit the field.
	default:
		t["migration_ip"] = ipv4(192, 168, 1+r.IntN(250), 2+r.IntN(250))
	}
	setSubTasks(t, r, i, createDate, steps)
	setSourceServer(t, r, i, seed, osType, osVersion)
	switch r.IntN(12) {
	case 0:
		// Absent: a task created before enterprise projects existed.
	case 1:
		t["enterprise_project_id"] = nil
	default:
		t["enterprise_project_id"] = EnterpriseProjects[r.IntN(len(EnterpriseProjects))]
	}
	setTargetServer(t, r, i, seed, osType, osVersion)
	if r.IntN(8) > 0 {
		t["log_collect_status"] = logStatuses[r.IntN(len(logStatuses))]
	}
	switch r.IntN(8) {
	case 0:
		t["clone_server"] = object{"vm_id": uuidString(seed, 0xc10e, i), "name": name("clone-", roles[i%len(roles)], i%1000, 3)}
	case 1:
		t["clone_server"] = nil
	}
	t["syncing"] = state == "SYNCING" || state == "SYNC_SUCCESS" || r.IntN(6) == 0
	setNetworkCheck(t, r)
	setSpecialConfig(t, r)
	if r.IntN(5) > 0 {
		t["total_cpu_usage"] = double(float64(r.IntN(10000)) / 100)
		t["agent_cpu_usage"] = double(float64(r.IntN(3000)) / 100)
		t["total_mem_usage"] = double(float64(r.IntN(10000)) / 100)
		t["agent_mem_usage"] = double(float64(r.IntN(2000)) / 100)
		t["total_disk_io"] = double(float64(r.IntN(50000)) / 100)
		t["agent_disk_io"] = double(float64(r.IntN(20000)) / 100)
	}
	if r.IntN(4) > 0 { // Otherwise absent, like tasks created by older agents.
		t["need_migration_test"] = r.IntN(3) == 0
	}
	if r.IntN(3) > 0 {
		t["subtask_info"] = fmt.Sprintf("%d/%d subtasks completed", r.IntN(len(steps)+1), len(steps))
	}
	return t
}

// pickState takes the rotation for the first tasks and a weighted draw afterwards.
func pickState(r *rand.Rand, i int) string {
	if i < len(rotation) {
		return rotation[i]
	}
	total := 0
	for _, sw := range stateWeights {
		total += sw.weight
	}
	n := r.IntN(total)
	for _, sw := range stateWeights {
		if n < sw.weight {
			return sw.state
		}
		n -= sw.weight
	}
	return "MIGRATE_SUCCESS"
}

// setSubTasks sets sub_tasks to a filled array, [], null or nothing.
func setSubTasks(t object, r *rand.Rand, i int, createDate int64, steps []string) {
	switch r.IntN(10) {
	case 0:
		return
	case 1:
		t["sub_tasks"] = nil
		return
	case 2:
		t["sub_tasks"] = []object{}
		return
	}
	// At most four steps are listed: enough to exercise the nested list without making every
	// generated page several times larger than a real one.
	count := 1 + r.IntN(4)
	subTasks := make([]object, count)
	start := createDate + 60_000
	for s := range count {
		sub := object{"id": int64(i)*16 + int64(s) + 1_000_000, "name": steps[s], "start_date": start}
		end := start + r.Int64N(900_000)
		if s == count-1 && r.IntN(2) == 0 {
			sub["progress"], sub["end_date"] = r.IntN(100), nil
		} else {
			sub["progress"], sub["end_date"] = 100, end
		}
		if r.IntN(3) == 0 {
			sub["process_trace"] = fmt.Sprintf("%s: %d/5000 files", steps[s], r.IntN(5000))
		}
		subTasks[s] = sub
		start = end
	}
	t["sub_tasks"] = subTasks
}

// setSourceServer sets source_server to an object, null or nothing. One task in ten re-uses
// the previous task's source server, as a re-migration does, so that the source_server_id
// filter can match more than one task.
func setSourceServer(t object, r *rand.Rand, i int, seed int64, osType, osVersion string) {
	v := r.IntN(10)
	if v == 0 {
		t["source_server"] = nil
		return
	}
	if v == 1 {
		return
	}
	server := i
	if i > 0 && i%10 == 5 {
		server = i - 1
	}
	ss := object{"id": uuidString(seed, 0x5e7e, server), "name": name("src-", roles[server%len(roles)], server%1000, 3),
		"os_type": osType, "os_version": osVersion}
	if r.IntN(6) == 0 {
		ss["ip"] = nil
	} else {
		ss["ip"] = ipv4(10, server/65536%256, server/256%256, server%256)
	}
	ss["oem_system"] = osType == "WINDOWS" && r.IntN(4) == 0
	ss["state"] = []string{"AVAILABLE", "AVAILABLE", "AVAILABLE", "MIGRATING", "UNAVAILABLE"}[r.IntN(5)]
	t["source_server"] = ss
}

// setTargetServer sets target_server to an object, null or nothing, with the empty strings and
// nulls that the reference's example shows for a server not yet created.
func setTargetServer(t object, r *rand.Rand, i int, seed int64, osType, osVersion string) {
	switch r.IntN(10) {
	case 0:
		t["target_server"] = nil
		return
	case 1:
		return
	}
	ts := object{"id": uuidString(seed, 0x7a67, i), "os_type": osType}
	if r.IntN(3) == 0 {
		ts["vm_id"], ts["name"], ts["ip"] = "", "", nil
	} else {
		ts["vm_id"] = uuidString(seed, 0x0e65, i)
		ts["name"] = name("tgt-", roles[i%len(roles)], i%1000, 3)
		ts["ip"] = ipv4(192, 168, 1+i/250%250, 2+i%250)
	}
	if r.IntN(4) == 0 {
		ts["os_version"] = nil
	} else {
		ts["os_version"] = osVersion
	}
	t["target_server"] = ts
}

// setNetworkCheck sets network_check_info to an object, null or nothing; most tasks predate
// the network check and lack it.
func setNetworkCheck(t object, r *rand.Rand) {
	switch r.IntN(4) {
	case 0:
		t["network_check_info"] = nil
	case 1:
		t["network_check_info"] = object{
			"domain_connectivity":      r.IntN(5) > 0,
			"destination_connectivity": r.IntN(5) > 0,
			"network_delay":            double(float64(r.IntN(20000)) / 100),
			"network_jitter":           double(float64(r.IntN(5000)) / 100),
			"migration_speed":          double(float64(r.IntN(100000)) / 100),
			"loss_percentage":          double(float64(r.IntN(500)) / 100),
			"cpu_usage":                double(float64(r.IntN(10000)) / 100),
			"mem_usage":                double(float64(r.IntN(10000)) / 100),
			"evaluation_result":        []string{"GOOD", "NORMAL", "BAD", "UNKNOWN"}[r.IntN(4)],
		}
	}
}

// setSpecialConfig sets special_config to a filled array, [], null or nothing.
func setSpecialConfig(t object, r *rand.Rand) {
	switch r.IntN(5) {
	case 0:
		return
	case 1:
		t["special_config"] = nil
		return
	case 2:
		t["special_config"] = []object{}
		return
	}
	var configs []object
	for c := range 1 + r.IntN(2) {
		config := object{
			"config_key":   configKeys[(c+r.IntN(3))%len(configKeys)],
			"config_value": []string{"/tmp,/var/log", "/data/cache", "/home/*/Downloads", "/opt/app"}[r.IntN(4)],
		}
		if r.IntN(2) == 0 {
			config["config_status"] = ""
		} else {
			config["config_status"] = nil
		}
		configs = append(configs, config)
	}
	t["special_config"] = configs
}
