// Package smsapi is a small client for the Huawei Cloud Server Migration Service (SMS) API.
//
// It knows nothing about Terraform: the provider maps between Terraform values and the types
// here. Every optional field is a pointer or a slice so that a JSON null or an absent field
// stays distinguishable from a zero value all the way to the Terraform state.
package smsapi

// ListTasksResponse is the body of a successful GET /v3/tasks.
type ListTasksResponse struct {
	// Count is the number of tasks that match the filters, independent of paging.
	Count *int64 `json:"count"`
	// Tasks is one page of tasks in API order.
	Tasks []Task `json:"tasks"`
}

// Task is the API's TasksResponseBody, plus the fields the API added after the reference page
// was written (total_cpu_usage and the following ones).
type Task struct {
	ID                   *string           `json:"id" doc:"Migration task ID."`
	Name                 *string           `json:"name" doc:"Task name, defined by the user."`
	Type                 *string           `json:"type" doc:"Task type: 'MIGRATE_FILE' (file-level) or 'MIGRATE_BLOCK' (block-level)."`
	OSType               *string           `json:"os_type" doc:"OS type: 'WINDOWS' or 'LINUX'."`
	State                *string           `json:"state" doc:"Task state, such as 'READY', 'RUNNING', 'MIGRATE_SUCCESS' or 'MIGRATE_FAIL'. Not validated: new states appear as the API reports them."`
	EstimateCompleteTime *int64            `json:"estimate_complete_time" doc:"Estimated completion time, in milliseconds since the Unix epoch."`
	CreateDate           *int64            `json:"create_date" doc:"Creation time, in milliseconds since the Unix epoch."`
	Priority             *int64            `json:"priority" doc:"Migration process priority: 0 low, 1 normal, 2 high."`
	SpeedLimit           *int64            `json:"speed_limit" doc:"Migration rate limit, in Mbit/s; 0 means no limit."`
	MigrateSpeed         *float64          `json:"migrate_speed" doc:"Migration rate, in MB/s."`
	CompressRate         *float64          `json:"compress_rate" doc:"Compression rate."`
	StartTargetServer    *bool             `json:"start_target_server" doc:"Whether the target server is started after the migration."`
	ErrorJSON            *string           `json:"error_json" doc:"Error message of the task; the API often returns an empty string when there is none." text:"multiline"`
	TotalTime            *int64            `json:"total_time" doc:"Task duration, in milliseconds."`
	MigrationIP          *string           `json:"migration_ip" doc:"IP address of the target server used for the migration (an EIP or a private IP)."`
	SubTasks             []SubTask         `json:"sub_tasks" doc:"Subtasks of the migration task."`
	SourceServer         *SourceServer     `json:"source_server" doc:"Source server of the task."`
	EnterpriseProjectID  *string           `json:"enterprise_project_id" doc:"Enterprise project the task belongs to."`
	TargetServer         *TargetServer     `json:"target_server" doc:"Target server of the task."`
	LogCollectStatus     *string           `json:"log_collect_status" doc:"Log collection status, such as 'INIT', 'UPLOADING' or 'COMPLETED'."`
	CloneServer          *CloneServer      `json:"clone_server" doc:"Cloned server of the task."`
	Syncing              *bool             `json:"syncing" doc:"Whether synchronization is enabled."`
	NetworkCheckInfo     *NetworkCheckInfo `json:"network_check_info" doc:"Network performance measurements, taken by a network check."`
	SpecialConfig        []ConfigBody      `json:"special_config" doc:"Advanced migration options of the task."`
	TotalCPUUsage        *float64          `json:"total_cpu_usage" doc:"CPU usage of the source server, in percent."`
	AgentCPUUsage        *float64          `json:"agent_cpu_usage" doc:"CPU usage of the SMS agent, in percent."`
	TotalMemUsage        *float64          `json:"total_mem_usage" doc:"Memory usage of the source server."`
	AgentMemUsage        *float64          `json:"agent_mem_usage" doc:"Memory usage of the SMS agent."`
	TotalDiskIO          *float64          `json:"total_disk_io" doc:"Disk I/O of the source server."`
	AgentDiskIO          *float64          `json:"agent_disk_io" doc:"Disk I/O of the SMS agent."`
	NeedMigrationTest    *bool             `json:"need_migration_test" doc:"Whether a migration test is required."`
	SubtaskInfo          *string           `json:"subtask_info" doc:"Summary of the subtask in progress." text:"multiline"`
}

// SubTask is the API's SubTaskAssociatedWithTask.
type SubTask struct {
	ID           *int64  `json:"id" doc:"Subtask ID."`
	Name         *string `json:"name" doc:"Subtask name, such as 'CREATE_CLOUD_SERVER' or 'SSL_CONFIG'."`
	Progress     *int64  `json:"progress" doc:"Progress of the subtask, from 0 to 100."`
	StartDate    *int64  `json:"start_date" doc:"Start time of the subtask, in milliseconds since the Unix epoch."`
	EndDate      *int64  `json:"end_date" doc:"End time of the subtask, in milliseconds since the Unix epoch; null while it runs."`
	ProcessTrace *string `json:"process_trace" doc:"Detailed progress of the migration or synchronization." text:"multiline"`
}

// SourceServer is the source server associated with a task.
type SourceServer struct {
	ID        *string `json:"id" doc:"ID of the source server in the SMS database."`
	IP        *string `json:"ip" doc:"IP address of the source server."`
	Name      *string `json:"name" doc:"Name of the source server shown on the SMS console."`
	OSType    *string `json:"os_type" doc:"OS type of the source server: 'WINDOWS' or 'LINUX'."`
	OSVersion *string `json:"os_version" doc:"OS version of the source server, such as 'CENTOS_7_6_64BIT'."`
	OEMSystem *bool   `json:"oem_system" doc:"Whether the OS is an OEM edition (Windows)."`
	State     *string `json:"state" doc:"State of the source server, such as 'AVAILABLE'."`
}

// TargetServer is the target server of a task.
type TargetServer struct {
	ID        *string `json:"id" doc:"ID of the target server in the SMS database."`
	VMID      *string `json:"vm_id" doc:"ID of the target ECS."`
	Name      *string `json:"name" doc:"Name of the target server."`
	IP        *string `json:"ip" doc:"IP address of the target server."`
	OSType    *string `json:"os_type" doc:"OS type of the target server: 'WINDOWS' or 'LINUX'."`
	OSVersion *string `json:"os_version" doc:"OS version of the target server."`
}

// CloneServer is the API's CloneServerBrief.
type CloneServer struct {
	VMID *string `json:"vm_id" doc:"ID of the cloned server."`
	Name *string `json:"name" doc:"Name of the cloned server."`
}

// NetworkCheckInfo is the API's NetworkCheckInfoRequestBody.
type NetworkCheckInfo struct {
	DomainConnectivity      *bool    `json:"domain_connectivity" doc:"Whether domain names can be reached."`
	DestinationConnectivity *bool    `json:"destination_connectivity" doc:"Whether the target server can be reached."`
	NetworkDelay            *float64 `json:"network_delay" doc:"Network latency."`
	NetworkJitter           *float64 `json:"network_jitter" doc:"Network jitter."`
	MigrationSpeed          *float64 `json:"migration_speed" doc:"Measured bandwidth."`
	LossPercentage          *float64 `json:"loss_percentage" doc:"Packet loss rate, from 0 to 100."`
	CPUUsage                *float64 `json:"cpu_usage" doc:"CPU usage, from 0 to 100."`
	MemUsage                *float64 `json:"mem_usage" doc:"Memory usage, from 0 to 100."`
	EvaluationResult        *string  `json:"evaluation_result" doc:"Network evaluation result."`
}

// ConfigBody is one advanced migration option of a task.
type ConfigBody struct {
	ConfigKey    *string `json:"config_key" doc:"Key of the option: 'EXCLUDE_MIGRATE_PATH', 'SYNC_EXCLUDE_PATH' or 'ONLY_SYNC_PATH' in a task's special_config; 'MIGRATE_EXCLUDE_DIR', 'NUM_PROCESS_MIGRATE', 'LINUX_CPU_LIMIT' and others in its configuration setting."`
	ConfigValue  *string `json:"config_value" doc:"Value of the advanced migration option."`
	ConfigStatus *string `json:"config_status" doc:"Reserved status of the option."`
}

// TaskStates lists every task state the API documents, as a query value or in a response.
// The provider validates the state filter against it; responses are never validated.
var TaskStates = []string{
	"READY", "RUNNING", "SYNCING", "MIGRATE_SUCCESS", "MIGRATE_FAIL", "ABORTING", "ABORT",
	"DELETING", "SYNC_F_ROLLBACKING", "SYNC_F_ROLLBACK_SUCCESS", "SYNC_SUCCESS", "SYNC_FAIL",
	"SKIPPING", "RESETING",
}

// MaxPageSize is the largest page the API serves; MaxOffset is the largest offset it accepts.
const (
	MaxPageSize = 200
	MaxOffset   = 65535
)
