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
	ID                   *string           `json:"id"`
	Name                 *string           `json:"name"`
	Type                 *string           `json:"type"`
	OSType               *string           `json:"os_type"`
	State                *string           `json:"state"`
	EstimateCompleteTime *int64            `json:"estimate_complete_time"`
	CreateDate           *int64            `json:"create_date"`
	Priority             *int64            `json:"priority"`
	SpeedLimit           *int64            `json:"speed_limit"`
	MigrateSpeed         *float64          `json:"migrate_speed"`
	CompressRate         *float64          `json:"compress_rate"`
	StartTargetServer    *bool             `json:"start_target_server"`
	ErrorJSON            *string           `json:"error_json"`
	TotalTime            *int64            `json:"total_time"`
	MigrationIP          *string           `json:"migration_ip"`
	SubTasks             []SubTask         `json:"sub_tasks"`
	SourceServer         *SourceServer     `json:"source_server"`
	EnterpriseProjectID  *string           `json:"enterprise_project_id"`
	TargetServer         *TargetServer     `json:"target_server"`
	LogCollectStatus     *string           `json:"log_collect_status"`
	CloneServer          *CloneServer      `json:"clone_server"`
	Syncing              *bool             `json:"syncing"`
	NetworkCheckInfo     *NetworkCheckInfo `json:"network_check_info"`
	SpecialConfig        []ConfigBody      `json:"special_config"`
	TotalCPUUsage        *float64          `json:"total_cpu_usage"`
	AgentCPUUsage        *float64          `json:"agent_cpu_usage"`
	TotalMemUsage        *float64          `json:"total_mem_usage"`
	AgentMemUsage        *float64          `json:"agent_mem_usage"`
	TotalDiskIO          *float64          `json:"total_disk_io"`
	AgentDiskIO          *float64          `json:"agent_disk_io"`
	NeedMigrationTest    *bool             `json:"need_migration_test"`
	SubtaskInfo          *string           `json:"subtask_info"`
}

// SubTask is the API's SubTaskAssociatedWithTask.
type SubTask struct {
	ID           *int64  `json:"id"`
	Name         *string `json:"name"`
	Progress     *int64  `json:"progress"`
	StartDate    *int64  `json:"start_date"`
	EndDate      *int64  `json:"end_date"`
	ProcessTrace *string `json:"process_trace"`
}

// SourceServer is the source server associated with a task.
type SourceServer struct {
	ID        *string `json:"id"`
	IP        *string `json:"ip"`
	Name      *string `json:"name"`
	OSType    *string `json:"os_type"`
	OSVersion *string `json:"os_version"`
	OEMSystem *bool   `json:"oem_system"`
	State     *string `json:"state"`
}

// TargetServer is the target server of a task.
type TargetServer struct {
	ID        *string `json:"id"`
	VMID      *string `json:"vm_id"`
	Name      *string `json:"name"`
	IP        *string `json:"ip"`
	OSType    *string `json:"os_type"`
	OSVersion *string `json:"os_version"`
}

// CloneServer is the API's CloneServerBrief.
type CloneServer struct {
	VMID *string `json:"vm_id"`
	Name *string `json:"name"`
}

// NetworkCheckInfo is the API's NetworkCheckInfoRequestBody.
type NetworkCheckInfo struct {
	DomainConnectivity      *bool    `json:"domain_connectivity"`
	DestinationConnectivity *bool    `json:"destination_connectivity"`
	NetworkDelay            *float64 `json:"network_delay"`
	NetworkJitter           *float64 `json:"network_jitter"`
	MigrationSpeed          *float64 `json:"migration_speed"`
	LossPercentage          *float64 `json:"loss_percentage"`
	CPUUsage                *float64 `json:"cpu_usage"`
	MemUsage                *float64 `json:"mem_usage"`
	EvaluationResult        *string  `json:"evaluation_result"`
}

// ConfigBody is one advanced migration option of a task.
type ConfigBody struct {
	ConfigKey    *string `json:"config_key"`
	ConfigValue  *string `json:"config_value"`
	ConfigStatus *string `json:"config_status"`
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
