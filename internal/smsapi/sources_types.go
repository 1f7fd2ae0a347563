package smsapi

// The types of GET /v3/sources, GET /v3/sources/overview and GET /v3/tasks/{task_id}. Every
// field is a pointer or a slice, so JSON null and absent stay null. The doc tag is the
// reference's description of the field (shortened), with code in single quotes; the provider
// uses it as the attribute's description, so a field is described in one place.

// ListSourceServersResponse is the body of a successful GET /v3/sources.
type ListSourceServersResponse struct {
	// Count is the number of servers that match the filters, independent of paging.
	Count         *int64             `json:"count"`
	SourceServers []SourceServerItem `json:"source_servers"`
}

// SourceServerItem is the API's SourceServersResponseBody: one registered source server.
type SourceServerItem struct {
	ID                       *string            `json:"id" doc:"Source server ID in SMS."`
	IP                       *string            `json:"ip" doc:"IP address of the source server."`
	Name                     *string            `json:"name" doc:"Source server name."`
	EnterpriseProjectID      *string            `json:"enterprise_project_id" doc:"Enterprise project the source server belongs to."`
	AddDate                  *int64             `json:"add_date" doc:"Time the server was registered with SMS, as an epoch timestamp (milliseconds assumed; the unit is not confirmed by the reference)."`
	OSType                   *string            `json:"os_type" doc:"OS family: 'WINDOWS' or 'LINUX'."`
	OSVersion                *string            `json:"os_version" doc:"Detailed OS version, such as 'CENTOS_7_6_64BIT'."`
	OEMSystem                *bool              `json:"oem_system" doc:"Whether the OS is an OEM edition (Windows)."`
	State                    *string            `json:"state" doc:"Status of the source server, such as 'waiting', 'replicate', 'syncing', 'finished' or 'error'. Not validated: new states appear as the API reports them."`
	Connected                *bool              `json:"connected" doc:"Whether the SMS Agent on the server is currently connected to SMS."`
	CPUQuantity              *int64             `json:"cpu_quantity" doc:"Number of CPU cores."`
	Memory                   *int64             `json:"memory" doc:"Physical memory, in bytes."`
	CurrentTask              *ServerTask        `json:"current_task" doc:"The migration task currently associated with the server (whether the API omits it, sends null or an empty object when there is none is not confirmed)."`
	Checks                   []EnvironmentCheck `json:"checks" doc:"Results of the environment checks run against the server."`
	InitTargetServer         *InitTargetServer  `json:"init_target_server" doc:"Recommended target server layout (disks and, for Linux, volume groups) derived from the source."`
	ReplicateSize            *int64             `json:"replicatesize" doc:"Data already replicated, in bytes."`
	StageActionTime          *int64             `json:"stage_action_time" doc:"Time 'migration_cycle' last changed, as an epoch timestamp (milliseconds assumed)."`
	TotalSize                *int64             `json:"totalsize" doc:"Total data to migrate, in bytes."`
	LastVisitTime            *int64             `json:"last_visit_time" doc:"Time the Agent's connection state last changed, as an epoch timestamp (milliseconds assumed)."`
	MigrationCycle           *string            `json:"migration_cycle" doc:"Migration stage: 'checking', 'setting', 'replicating', 'syncing', 'cutovering' or 'cutovered'."`
	StateActionTime          *int64             `json:"state_action_time" doc:"Time 'state' last changed, as an epoch timestamp (milliseconds assumed)."`
	IsConsistencyResultExist *bool              `json:"is_consistency_result_exist" doc:"Whether a consistency-check result exists for the server."`
	HasTC                    *bool              `json:"has_tc" doc:"Whether the tc (traffic control) component is installed; mandatory for Linux."`
	StartType                *string            `json:"start_type" doc:"How the migration is started: 'MANUAL', 'AUTO' or empty (not validated by the service). Only newer API versions return it."`
}

// ServerTask is the API's TaskByServerSources: the task a source server is in.
type ServerTask struct {
	ID                   *string            `json:"id" doc:"ID of the associated migration task."`
	Name                 *string            `json:"name" doc:"Name of the associated migration task."`
	Type                 *string            `json:"type" doc:"Migration type: 'MIGRATE_BLOCK' or 'MIGRATE_FILE'."`
	State                *string            `json:"state" doc:"State of the task, such as 'RUNNING' or 'MIGRATE_SUCCESS'."`
	EstimateCompleteTime *int64             `json:"estimate_complete_time" doc:"Estimated completion time, as an epoch timestamp (milliseconds assumed)."`
	StartDate            *int64             `json:"start_date" doc:"Task start time, as an epoch timestamp (milliseconds assumed)."`
	SpeedLimit           *int64             `json:"speed_limit" doc:"Migration rate limit of the task (Mbit/s assumed; not stated for this object)."`
	MigrateSpeed         *float64           `json:"migrate_speed" doc:"Current migration rate (unit not stated for this object; the task detail states Mbit/s)."`
	CompressRate         *float64           `json:"compress_rate" doc:"Compression ratio."`
	StartTargetServer    *bool              `json:"start_target_server" doc:"Whether the target server is started after the migration."`
	VMTemplateID         *string            `json:"vm_template_id" doc:"ID of the target server template used by the task."`
	RegionID             *string            `json:"region_id" doc:"Region ID of the target server."`
	ProjectName          *string            `json:"project_name" doc:"Name of the project that holds the target server."`
	ProjectID            *string            `json:"project_id" doc:"ID of the project that holds the target server."`
	TargetServer         *TargetServerRef   `json:"target_server" doc:"Target server of the task (ID and name)."`
	LogCollectStatus     *string            `json:"log_collect_status" doc:"Log collection status: 'INIT', 'UPLOADING', 'UPLOAD_FAIL' or 'UPLOADED'."`
	ExistServer          *bool              `json:"exist_server" doc:"Whether an existing server is used as the target."`
	UsePublicIP          *bool              `json:"use_public_ip" doc:"Whether the migration goes over a public IP address."`
	CloneServer          *CloneServerDetail `json:"clone_server" doc:"Cloned server of the task."`
	RemainSeconds        *int64             `json:"remain_seconds" doc:"Estimated remaining migration time, in seconds."`
	LogBucket            *string            `json:"log_bucket" doc:"Bucket the uploaded logs go to."`
	LogExpire            *int64             `json:"log_expire" doc:"Validity of the log share link (seconds assumed)."`
	LogUploadTime        *int64             `json:"log_upload_time" doc:"Time the logs were uploaded, as an epoch timestamp (milliseconds assumed)."`
	LogShareURL          *string            `json:"log_share_url" doc:"Share link of the uploaded logs."`
	SubtaskInfo          *string            `json:"subtask_info" doc:"Current subtask and its progress, as a string." text:"multiline"`
}

// TargetServerRef is the API's TargetServerById.
type TargetServerRef struct {
	VMID *string `json:"vm_id" doc:"ID of the target server (ECS)."`
	Name *string `json:"name" doc:"Name of the target server."`
}

// CloneServerDetail is the API's CloneServer.
type CloneServerDetail struct {
	VMID       *string `json:"vm_id" doc:"ID of the cloned server."`
	Name       *string `json:"name" doc:"Name of the cloned server."`
	CloneError *string `json:"clone_error" doc:"Error reported by the clone operation, if any." text:"multiline"`
	CloneState *string `json:"clone_state" doc:"State of the clone: 'NOT_READY', 'READY', 'PREPARING', 'CREATING', 'ERROR' or 'FINISHED'."`
	ErrorMsg   *string `json:"error_msg" doc:"Description of the clone error." text:"multiline"`
}

// EnvironmentCheck is one environment check of a source server.
type EnvironmentCheck struct {
	ID          *int64    `json:"id" doc:"ID of the check item."`
	Params      []*string `json:"params" doc:"Parameters of the check item."`
	Name        *string   `json:"name" doc:"Name of the check item."`
	Result      *string   `json:"result" doc:"Result of the check: 'OK', 'WARN' or 'ERROR'."`
	ErrorCode   *string   `json:"error_code" doc:"Error code when the check did not pass."`
	ErrorOrWarn *string   `json:"error_or_warn" doc:"Error or warning text of the check." text:"multiline"`
	ErrorParams *string   `json:"error_params" doc:"Error parameters when the check did not pass."`
}

// InitTargetServer is the recommended target layout of a source server.
type InitTargetServer struct {
	Disks        []InitDisk    `json:"disks" doc:"Recommended disks of the target server."`
	VolumeGroups []VolumeGroup `json:"volume_groups" doc:"Recommended LVM volume groups (Linux); empty when the source has none."`
}

// InitDisk is the API's DiskIntargetServer.
type InitDisk struct {
	Name            *string          `json:"name" doc:"Disk name."`
	Size            *int64           `json:"size" doc:"Disk size, in bytes."`
	DeviceUse       *string          `json:"device_use" doc:"Role of the disk: 'BOOT', 'OS' or 'NORMAL'."`
	UsedSize        *int64           `json:"used_size" doc:"Used space, in bytes."`
	PhysicalVolumes []PhysicalVolume `json:"physical_volumes" doc:"Partitions on the disk."`
}

// PhysicalVolume is the API's PhysicalVolumes: one partition of a source disk.
type PhysicalVolume struct {
	DeviceUse  *string `json:"device_use" doc:"Role of the partition."`
	FileSystem *string `json:"file_system" doc:"File system type."`
	Index      *int64  `json:"index" doc:"Sequence number of the partition."`
	MountPoint *string `json:"mount_point" doc:"Mount point."`
	Name       *string `json:"name" doc:"Partition name: the drive letter on Windows, the device name on Linux."`
	Size       *int64  `json:"size" doc:"Partition size (bytes assumed)."`
	InodeSize  *int64  `json:"inode_size" doc:"Inode figure of the partition."`
	UsedSize   *int64  `json:"used_size" doc:"Used space (bytes assumed)."`
	UUID       *string `json:"uuid" doc:"GUID of the partition, as read on the source."`
}

// VolumeGroup is the API's VolumeGroups.
type VolumeGroup struct {
	Components     *string         `json:"components" doc:"Physical volumes of the group, as a string."`
	FreeSize       *int64          `json:"free_size" doc:"Unallocated space in the group (bytes assumed)."`
	LogicalVolumes []LogicalVolume `json:"logical_volumes" doc:"Logical volumes of the group."`
	Name           *string         `json:"name" doc:"Volume group name."`
	Size           *int64          `json:"size" doc:"Total size of the group (bytes assumed)."`
}

// LogicalVolume is the API's LogicalVolumes.
type LogicalVolume struct {
	BlockCount *int64  `json:"block_count" doc:"Number of blocks."`
	BlockSize  *int64  `json:"block_size" doc:"Block size."`
	FileSystem *string `json:"file_system" doc:"File system type."`
	InodeSize  *int64  `json:"inode_size" doc:"Inode figure of the volume."`
	InodeNums  *int64  `json:"inode_nums" doc:"Number of inodes."`
	DeviceUse  *string `json:"device_use" doc:"Role of the volume, such as 'NORMAL', 'OS', 'BOOT', 'VOLUME_GROUP' or 'BTRFS' (not validated)."`
	MountPoint *string `json:"mount_point" doc:"Mount point."`
	Name       *string `json:"name" doc:"Logical volume name."`
	Size       *int64  `json:"size" doc:"Size (bytes assumed)."`
	UsedSize   *int64  `json:"used_size" doc:"Used space (bytes assumed)."`
	FreeSize   *int64  `json:"free_size" doc:"Free space (bytes assumed)."`
}

// SourcesOverview is the body of GET /v3/sources/overview: source servers per state.
type SourcesOverview struct {
	Waiting      *int64 `json:"waiting" doc:"Source servers waiting for migration (state 'waiting')."`
	Replicate    *int64 `json:"replicate" doc:"Source servers being replicated (state 'replicate')."`
	Syncing      *int64 `json:"syncing" doc:"Source servers in incremental synchronization (state 'syncing')."`
	Stopped      *int64 `json:"stopped" doc:"Source servers whose migration is paused (state 'stopped')."`
	Deleting     *int64 `json:"deleting" doc:"Source servers whose task is being deleted (state 'deleting')."`
	Cutovering   *int64 `json:"cutovering" doc:"Source servers whose target is being launched (state 'cutovering')."`
	Unavailable  *int64 `json:"unavailable" doc:"Source servers that failed the environment check (state 'unavailable')."`
	Stopping     *int64 `json:"stopping" doc:"Source servers whose migration is being paused (state 'stopping')."`
	Skipping     *int64 `json:"skipping" doc:"Source servers being skipped (state 'skipping')."`
	Finished     *int64 `json:"finished" doc:"Source servers whose target has been launched (state 'finished')."`
	Initialize   *int64 `json:"initialize" doc:"Source servers whose migration is initializing (state 'initialize')."`
	Error        *int64 `json:"error" doc:"Source servers in error (state 'error')."`
	Cloning      *int64 `json:"cloning" doc:"Source servers waiting for the target clone (state 'cloning')."`
	Unconfigured *int64 `json:"unconfigured" doc:"Source servers without a target server configured yet. Not a state; whether these are also counted under a state is not confirmed."`
	Replicating  *int64 `json:"replicating" doc:"Older API layout only: source servers being replicated. Null from the current API, which counts them under 'replicate'."`
	Other        *int64 `json:"other" doc:"Older API layout only: source servers in any status but waiting, replicating and syncing, those in error included. Null from the current API."`
}

// ServerStates lists the source server states the state filter of GET /v3/sources accepts.
var ServerStates = []string{
	"unavailable", "waiting", "initialize", "replicate", "syncing", "stopping", "stopped",
	"skipping", "deleting", "clearing", "cleared", "clearfailed", "premigready", "premiged",
	"premigfailed", "cloning", "cutovering", "finished", "error",
}

// MigrationCycles lists the values of the migration_cycle filter of GET /v3/sources.
var MigrationCycles = []string{"checking", "setting", "replicating", "syncing", "cutovering", "cutovered"}
