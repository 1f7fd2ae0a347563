package smsapi

// TaskDetail is the body of GET /v3/tasks/{task_id}, the API's ShowTaskResponse.
type TaskDetail struct {
	Name                 *string                 `json:"name" doc:"Task name, set by the user."`
	Type                 *string                 `json:"type" doc:"Migration type: 'MIGRATE_FILE' or 'MIGRATE_BLOCK'."`
	OSType               *string                 `json:"os_type" doc:"OS family: 'WINDOWS' or 'LINUX'."`
	ID                   *string                 `json:"id" doc:"Migration task ID, as the API returns it."`
	Priority             *int64                  `json:"priority" doc:"Priority: 0 low, 1 standard, 2 high."`
	SpeedLimit           *int64                  `json:"speed_limit" doc:"Migration rate limit of the task (unit and the meaning of 0 not confirmed for v3)."`
	RegionID             *string                 `json:"region_id" doc:"Region of the target server."`
	StartTargetServer    *bool                   `json:"start_target_server" doc:"Whether the target server is started after the migration."`
	EnterpriseProjectID  *string                 `json:"enterprise_project_id" doc:"Enterprise project of the task."`
	MigrationIP          *string                 `json:"migration_ip" doc:"IP address of the target server used for migration (an EIP or a private IP)."`
	RegionName           *string                 `json:"region_name" doc:"Name of the region of the target server."`
	ProjectName          *string                 `json:"project_name" doc:"Name of the project that holds the target server."`
	ProjectID            *string                 `json:"project_id" doc:"ID of the project that holds the target server."`
	VMTemplateID         *string                 `json:"vm_template_id" doc:"ID of the target server template used by the task."`
	SourceServer         *TaskDetailSourceServer `json:"source_server" doc:"Source server of the task."`
	TargetServer         *TaskDetailTargetServer `json:"target_server" doc:"Target server of the task, with its disk and volume layout."`
	State                *string                 `json:"state" doc:"Task state, such as 'READY', 'RUNNING', 'MIGRATE_SUCCESS' or 'MIGRATE_FAIL'. Not validated."`
	EstimateCompleteTime *int64                  `json:"estimate_complete_time" doc:"Estimated completion time, as an epoch timestamp (milliseconds assumed; whether it is an absolute time is not confirmed, so prefer 'remain_seconds' for an ETA)."`
	Connected            *bool                   `json:"connected" doc:"Whether the task is connected to SMS."`
	CreateDate           *int64                  `json:"create_date" doc:"Creation time, in milliseconds since the Unix epoch."`
	StartDate            *int64                  `json:"start_date" doc:"Start time, as an epoch timestamp (milliseconds assumed)."`
	FinishDate           *int64                  `json:"finish_date" doc:"Finish time, as an epoch timestamp (milliseconds assumed)."`
	MigrateSpeed         *float64                `json:"migrate_speed" doc:"Current migration rate, in Mbit/s."`
	CompressRate         *float64                `json:"compress_rate" doc:"Compression ratio."`
	ErrorJSON            *string                 `json:"error_json" doc:"Error information of the task; often an empty string when there is none." text:"multiline"`
	TotalTime            *int64                  `json:"total_time" doc:"Total time the task took (milliseconds per the legacy reference; not confirmed for v3)."`
	FloatIP              *string                 `json:"float_ip" doc:"Floating IP, kept for old SMS-Agent versions."`
	RemainSeconds        *int64                  `json:"remain_seconds" doc:"Estimated remaining migration time, in seconds: the task's ETA."`
	TargetSnapshotID     *string                 `json:"target_snapshot_id" doc:"ID of the snapshot taken on the target side."`
	CloneServer          *CloneServerDetail      `json:"clone_server" doc:"Cloned server of the task, with clone state and errors."`
	SubTasks             []SubTaskDetail         `json:"sub_tasks" doc:"Subtasks of the task."`
	NetworkCheckInfo     *NetworkCheckInfo       `json:"network_check_info" doc:"Network check measurements."`
	TotalCPUUsage        *float64                `json:"total_cpu_usage" doc:"CPU usage of the source host, in percent."`
	AgentCPUUsage        *float64                `json:"agent_cpu_usage" doc:"CPU usage of the Agent, in percent."`
	TotalMemUsage        *float64                `json:"total_mem_usage" doc:"Memory used by the source host, in MB."`
	AgentMemUsage        *float64                `json:"agent_mem_usage" doc:"Memory used by the Agent, in MB."`
	TotalDiskIO          *float64                `json:"total_disk_io" doc:"Disk I/O of the source host, in Mbit/s."`
	AgentDiskIO          *float64                `json:"agent_disk_io" doc:"Disk I/O of the Agent, in Mbit/s."`
	NeedMigrationTest    *bool                   `json:"need_migration_test" doc:"Whether a migration drill is enabled for the task."`
	SubtaskInfo          *string                 `json:"subtask_info" doc:"Current subtask and its progress, as a string." text:"multiline"`
}

// TaskDetailSourceServer is the API's SourceServerResponse.
type TaskDetailSourceServer struct {
	ID             *string `json:"id" doc:"ID of the source server in SMS."`
	IP             *string `json:"ip" doc:"IP address of the source server."`
	Name           *string `json:"name" doc:"Name of the source server in SMS."`
	OSType         *string `json:"os_type" doc:"OS family: 'WINDOWS' or 'LINUX'."`
	OSVersion      *string `json:"os_version" doc:"OS version of the source server."`
	OEMSystem      *bool   `json:"oem_system" doc:"Whether the OS is an OEM edition (Windows)."`
	State          *string `json:"state" doc:"Status of the source server, such as 'replicate' or 'finished'."`
	MigrationCycle *string `json:"migration_cycle" doc:"Migration stage of the source server, such as 'replicating' or 'cutovered'."`
}

// TaskDetailTargetServer is the API's TaskTargetServer.
type TaskDetailTargetServer struct {
	ID                   *string       `json:"id" doc:"ID of the target server record in SMS."`
	VMID                 *string       `json:"vm_id" doc:"ID of the target ECS."`
	Name                 *string       `json:"name" doc:"Name of the target server."`
	IP                   *string       `json:"ip" doc:"IP address of the target server."`
	OSType               *string       `json:"os_type" doc:"OS family: 'WINDOWS' or 'LINUX'."`
	OSVersion            *string       `json:"os_version" doc:"OS version of the target server."`
	SystemDir            *string       `json:"system_dir" doc:"System directory (Windows)."`
	Disks                []TargetDisk  `json:"disks" doc:"Disks of the target server."`
	VolumeGroups         []VolumeGroup `json:"volume_groups" doc:"LVM volume groups of the target server."`
	BtrfsList            []*string     `json:"btrfs_list" doc:"Btrfs information taken from the source (Linux)."`
	ImageDiskID          *string       `json:"image_disk_id" doc:"ID of the Agent image disk attached to the target."`
	CutoveredSnapshotIDs *string       `json:"cutovered_snapshot_ids" doc:"ID(s) of the target-side rollback snapshots, as one string."`
}

// TargetDisk is one disk of a task's target server.
type TargetDisk struct {
	ID              *int64                 `json:"id" doc:"Numeric identifier of the disk record."`
	DeviceUse       *string                `json:"device_use" doc:"Role of the disk: 'NORMAL', 'OS' or 'BOOT'."`
	DiskID          *string                `json:"disk_id" doc:"ID of the target disk."`
	Name            *string                `json:"name" doc:"Disk name."`
	PhysicalVolumes []TargetPhysicalVolume `json:"physical_volumes" doc:"Partitions on the disk."`
	Size            *int64                 `json:"size" doc:"Disk size (bytes assumed)."`
	UsedSize        *int64                 `json:"used_size" doc:"Used space (bytes assumed)."`
	DiskIndex       *string                `json:"disk_index" doc:"Index of the disk, as a string."`
	OSDisk          *bool                  `json:"os_disk" doc:"Whether this is the system disk."`
	PartitionStyle  *string                `json:"partition_style" doc:"Partition table type: 'MBR' or 'GPT'."`
	RelationName    *string                `json:"relation_name" doc:"Linux: name of the paired disk in the target ECS."`
}

// TargetPhysicalVolume is one partition of a target disk.
type TargetPhysicalVolume struct {
	ID           *int64  `json:"id" doc:"Numeric identifier of the partition record."`
	DeviceUse    *string `json:"device_use" doc:"Role of the partition: 'NORMAL', 'OS' or 'BOOT'."`
	FileSystem   *string `json:"file_system" doc:"File system type."`
	Index        *int64  `json:"index" doc:"Sequence number of the partition."`
	MountPoint   *string `json:"mount_point" doc:"Mount point."`
	Name         *string `json:"name" doc:"Partition name."`
	Size         *int64  `json:"size" doc:"Partition size (bytes assumed)."`
	UsedSize     *int64  `json:"used_size" doc:"Used space (bytes assumed)."`
	UUID         *string `json:"uuid" doc:"UUID of the partition."`
	RelationName *string `json:"relation_name" doc:"Linux: name of the paired disk in the target ECS."`
	FreeSize     *int64  `json:"free_size" doc:"Free space (bytes assumed)."`
}

// SubTaskDetail is the API's SubTask, as the task detail returns it.
type SubTaskDetail struct {
	ID           *int64   `json:"id" doc:"Subtask ID."`
	Name         *string  `json:"name" doc:"Subtask name, such as 'CREATE_CLOUD_SERVER'."`
	Progress     *int64   `json:"progress" doc:"Progress of the subtask, from 0 to 100."`
	StartDate    *int64   `json:"start_date" doc:"Start time, as an epoch timestamp (milliseconds assumed)."`
	EndDate      *int64   `json:"end_date" doc:"End time, as an epoch timestamp; null while the subtask runs."`
	MigrateSpeed *float64 `json:"migrate_speed" doc:"Migration rate of the subtask, in Mbit/s."`
	UserOp       *string  `json:"user_op" doc:"User operation that triggered the subtask."`
	ProcessTrace *string  `json:"process_trace" doc:"Detailed progress trace of the migration or synchronization." text:"multiline"`
}
