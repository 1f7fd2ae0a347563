package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
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

// chunkSize is the size of the buffers that generated tasks are packed into. Packing avoids an
// allocation per task, and fixed chunks avoid growing one buffer of tens of megabytes by copying.
const chunkSize = 1 << 20

// GenerateTasks returns n realistic tasks, the same for the same seed. Task i depends only on
// seed and i, so GenerateTasks(10, s) is a prefix of GenerateTasks(300, s). Every state appears
// once n >= 14 (MIGRATE_FAIL already at index 1); optional fields are sometimes null and
// sometimes absent; nested objects and arrays take every shape the API allows. The JSON is built
// here, once; tasks share buffers, so callers must not modify the returned bytes.
func GenerateTasks(n int, seed int64) []json.RawMessage {
	out := make([]json.RawMessage, max(n, 0))
	w := &jsonWriter{b: make([]byte, 0, 4096)}
	var chunk []byte
	for i := range out {
		w.b = w.b[:0]
		genTask(w, i, seed)
		if cap(chunk)-len(chunk) < len(w.b) {
			chunk = make([]byte, 0, max(chunkSize, len(w.b)))
		}
		start := len(chunk)
		chunk = append(chunk, w.b...)
		// The full slice expression caps each task so that an append by a caller cannot
		// overwrite the next task in the shared chunk.
		out[i] = json.RawMessage(chunk[start:len(chunk):len(chunk)])
	}
	return out
}

// genTask appends task i to w. Each task gets its own random source, seeded by seed and i.
func genTask(w *jsonWriter, i int, seed int64) {
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

	w.b = append(w.b, '{')
	w.uuid("id", seed, 0x7a5c, i)
	w.name("sms-task-", "", i, 5)
	if windows {
		w.str("type", "MIGRATE_BLOCK")
	} else {
		w.str("type", []string{"MIGRATE_FILE", "MIGRATE_FILE", "MIGRATE_BLOCK"}[r.IntN(3)])
	}
	w.str("os_type", osType)
	w.str("state", state)
	switch {
	case i%97 == 13:
		w.int("estimate_complete_time", beyondFloat64)
	case finished || failed || r.IntN(3) == 0:
		w.null("estimate_complete_time")
	default:
		w.int("estimate_complete_time", createDate+r.Int64N(86_400_000))
	}
	w.int("create_date", createDate)
	w.int("priority", int64(r.IntN(3)))
	w.int("speed_limit", []int64{0, 0, 0, 50, 100, 200, 65535}[r.IntN(7)])
	w.float("migrate_speed", float64(r.IntN(2000))/10)
	if r.IntN(3) > 0 {
		w.float("compress_rate", float64(r.IntN(1000))/100)
	}
	w.bool("start_target_server", r.IntN(5) > 0)
	if failed {
		w.str("error_json", fmt.Sprintf(`{"error_code":"SMS.%04d","error_msg":"Migration failed at step %s."}`,
			6000+r.IntN(900), steps[r.IntN(len(steps))]))
	} else {
		w.str("error_json", "")
	}
	w.int("total_time", r.Int64N(20_000_000))
	switch r.IntN(4) {
	case 0:
		w.str("migration_ip", "")
	case 1:
		// Absent: older API versions omit the field.
	default:
		w.ip("migration_ip", 192, 168, 1+r.IntN(250), 2+r.IntN(250))
	}
	genSubTasks(w, r, i, createDate, steps)
	genSourceServer(w, r, i, seed, osType, osVersion)
	switch r.IntN(12) {
	case 0:
		// Absent: a task created before enterprise projects existed.
	case 1:
		w.null("enterprise_project_id")
	default:
		w.str("enterprise_project_id", EnterpriseProjects[r.IntN(len(EnterpriseProjects))])
	}
	genTargetServer(w, r, i, seed, osType, osVersion)
	if r.IntN(8) > 0 {
		w.str("log_collect_status", logStatuses[r.IntN(len(logStatuses))])
	}
	switch r.IntN(8) {
	case 0:
		w.open("clone_server")
		w.uuid("vm_id", seed, 0xc10e, i)
		w.name("clone-", roles[i%len(roles)], i%1000, 3)
		w.b = append(w.b, '}')
	case 1:
		w.null("clone_server")
	}
	w.bool("syncing", state == "SYNCING" || state == "SYNC_SUCCESS" || r.IntN(6) == 0)
	genNetworkCheck(w, r)
	genSpecialConfig(w, r)
	if r.IntN(5) > 0 {
		w.float("total_cpu_usage", float64(r.IntN(10000))/100)
		w.float("agent_cpu_usage", float64(r.IntN(3000))/100)
		w.float("total_mem_usage", float64(r.IntN(10000))/100)
		w.float("agent_mem_usage", float64(r.IntN(2000))/100)
		w.float("total_disk_io", float64(r.IntN(50000))/100)
		w.float("agent_disk_io", float64(r.IntN(20000))/100)
	}
	switch r.IntN(4) {
	case 0:
		// Absent, like tasks created by older agents.
	default:
		w.bool("need_migration_test", r.IntN(3) == 0)
	}
	if r.IntN(3) > 0 {
		done := r.IntN(len(steps) + 1)
		w.key("subtask_info")
		w.b = append(strconv.AppendInt(append(w.b, '"'), int64(done), 10), '/')
		w.b = append(strconv.AppendInt(w.b, int64(len(steps)), 10), " subtasks completed\""...)
	}
	w.b = append(w.b, '}')
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

// genSubTasks writes sub_tasks as a filled array, [], null or nothing.
func genSubTasks(w *jsonWriter, r *rand.Rand, i int, createDate int64, steps []string) {
	switch r.IntN(10) {
	case 0:
		return
	case 1:
		w.null("sub_tasks")
		return
	case 2:
		w.key("sub_tasks")
		w.b = append(w.b, '[', ']')
		return
	}
	w.key("sub_tasks")
	w.b = append(w.b, '[')
	// At most four steps are listed: enough to exercise the nested list without making every
	// generated page several times larger than a real one.
	count := 1 + r.IntN(4)
	start := createDate + 60_000
	for s := range count {
		w.elem()
		w.b = append(w.b, '{')
		w.int("id", int64(i)*16+int64(s)+1_000_000)
		w.str("name", steps[s])
		end := start + r.Int64N(900_000)
		if s == count-1 && r.IntN(2) == 0 {
			w.int("progress", int64(r.IntN(100)))
			w.int("start_date", start)
			w.null("end_date")
		} else {
			w.int("progress", 100)
			w.int("start_date", start)
			w.int("end_date", end)
		}
		if r.IntN(3) == 0 {
			w.key("process_trace")
			w.b = append(append(append(w.b, '"'), steps[s]...), ": "...)
			w.b = append(strconv.AppendInt(w.b, int64(r.IntN(5000)), 10), "/5000 files\""...)
		}
		w.b = append(w.b, '}')
		start = end
	}
	w.b = append(w.b, ']')
}

// genSourceServer writes source_server as an object, null or nothing. One task in ten re-uses
// the previous task's source server, as a re-migration does, so that the source_server_id
// filter can match more than one task.
func genSourceServer(w *jsonWriter, r *rand.Rand, i int, seed int64, osType, osVersion string) {
	v := r.IntN(10)
	if v == 0 {
		w.null("source_server")
		return
	}
	if v == 1 {
		return
	}
	server := i
	if i > 0 && i%10 == 5 {
		server = i - 1
	}
	w.open("source_server")
	w.uuid("id", seed, 0x5e7e, server)
	if r.IntN(6) == 0 {
		w.null("ip")
	} else {
		w.ip("ip", 10, server/65536%256, server/256%256, server%256)
	}
	w.name("src-", roles[server%len(roles)], server%1000, 3)
	w.str("os_type", osType)
	w.str("os_version", osVersion)
	w.bool("oem_system", osType == "WINDOWS" && r.IntN(4) == 0)
	w.str("state", []string{"AVAILABLE", "AVAILABLE", "AVAILABLE", "MIGRATING", "UNAVAILABLE"}[r.IntN(5)])
	w.b = append(w.b, '}')
}

// genTargetServer writes target_server as an object, null or nothing, with the empty strings
// and nulls that the reference's example shows for a server not yet created.
func genTargetServer(w *jsonWriter, r *rand.Rand, i int, seed int64, osType, osVersion string) {
	switch r.IntN(10) {
	case 0:
		w.null("target_server")
		return
	case 1:
		return
	}
	w.open("target_server")
	w.uuid("id", seed, 0x7a67, i)
	if r.IntN(3) == 0 {
		w.str("vm_id", "")
		w.str("name", "")
		w.null("ip")
	} else {
		w.uuid("vm_id", seed, 0x0e65, i)
		w.name("tgt-", roles[i%len(roles)], i%1000, 3)
		w.ip("ip", 192, 168, 1+i/250%250, 2+i%250)
	}
	w.str("os_type", osType)
	if r.IntN(4) == 0 {
		w.null("os_version")
	} else {
		w.str("os_version", osVersion)
	}
	w.b = append(w.b, '}')
}

// genNetworkCheck writes network_check_info as an object, null or nothing; most tasks predate
// the network check and lack it.
func genNetworkCheck(w *jsonWriter, r *rand.Rand) {
	switch r.IntN(4) {
	case 0:
		w.null("network_check_info")
	case 1:
		w.open("network_check_info")
		w.bool("domain_connectivity", r.IntN(5) > 0)
		w.bool("destination_connectivity", r.IntN(5) > 0)
		w.float("network_delay", float64(r.IntN(20000))/100)
		w.float("network_jitter", float64(r.IntN(5000))/100)
		w.float("migration_speed", float64(r.IntN(100000))/100)
		w.float("loss_percentage", float64(r.IntN(500))/100)
		w.float("cpu_usage", float64(r.IntN(10000))/100)
		w.float("mem_usage", float64(r.IntN(10000))/100)
		w.str("evaluation_result", []string{"GOOD", "NORMAL", "BAD", "UNKNOWN"}[r.IntN(4)])
		w.b = append(w.b, '}')
	}
}

// genSpecialConfig writes special_config as a filled array, [], null or nothing.
func genSpecialConfig(w *jsonWriter, r *rand.Rand) {
	switch r.IntN(5) {
	case 0:
		return
	case 1:
		w.null("special_config")
		return
	case 2:
		w.key("special_config")
		w.b = append(w.b, '[', ']')
		return
	}
	w.key("special_config")
	w.b = append(w.b, '[')
	for c := range 1 + r.IntN(2) {
		w.elem()
		w.b = append(w.b, '{')
		w.str("config_key", configKeys[(c+r.IntN(3))%len(configKeys)])
		w.str("config_value", []string{"/tmp,/var/log", "/data/cache", "/home/*/Downloads", "/opt/app"}[r.IntN(4)])
		if r.IntN(2) == 0 {
			w.str("config_status", "")
		} else {
			w.null("config_status")
		}
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}
