package smsapi

// The types of GET /v3/sources/{source_id}, the SDK's ShowServerResponse. The objects it shares
// with the server list (EnvironmentCheck, InitTargetServer, VolumeGroup, TargetServerRef,
// CloneServerDetail) are the types of sources_types.go; what only the detail has is declared
// here. Every field is a pointer or a slice, so JSON null and absent stay null.

// SourceServerDetail is the body of GET /v3/sources/{source_id}: one registered source server with
// its disks, networks, volume groups, Btrfs file systems and Agent.
type SourceServerDetail struct {
	ID                  *string            `json:"id" doc:"Source server ID in SMS."`
	IP                  *string            `json:"ip" doc:"IP address of the source server."`
	Name                *string            `json:"name" doc:"Source server name in SMS."`
	Hostname            *string            `json:"hostname" doc:"Host name of the source server, as its Agent registered it."`
	EnterpriseProjectID *string            `json:"enterprise_project_id" doc:"Enterprise project the source server belongs to."`
	AddDate             *int64             `json:"add_date" doc:"Time the server was registered with SMS, as an epoch timestamp (milliseconds assumed)."`
	OSType              *string            `json:"os_type" doc:"OS family: 'WINDOWS' or 'LINUX'."`
	OSVersion           *string            `json:"os_version" doc:"Detailed OS version, such as 'CENTOS_7_6_64BIT'."`
	OEMSystem           *bool              `json:"oem_system" doc:"Whether the OS is an OEM edition (Windows)."`
	State               *string            `json:"state" doc:"Status of the source server, such as 'unavailable' (the environment check failed), 'waiting', 'replicate', 'syncing', 'finished' or 'error'. Not validated: new states appear as the API reports them."`
	Connected           *bool              `json:"connected" doc:"Whether the SMS Agent on the server is currently connected to SMS."`
	Firmware            *string            `json:"firmware" doc:"Boot firmware of the source server: 'BIOS' or 'UEFI'."`
	InitTargetServer    *InitTargetServer  `json:"init_target_server" doc:"Recommended target server layout (disks and, for Linux, volume groups) derived from the source."`
	CPUQuantity         *int64             `json:"cpu_quantity" doc:"Number of CPU cores."`
	Memory              *int64             `json:"memory" doc:"Physical memory, in MB as the SDK describes this answer (the server list describes its 'memory' in bytes; which unit each answer really uses is not confirmed)."`
	CurrentTask         *SourceServerTask  `json:"current_task" doc:"The migration task currently associated with the server."`
	Disks               []ServerDisk       `json:"disks" doc:"Disks of the source server."`
	VolumeGroups        []VolumeGroup      `json:"volume_groups" doc:"LVM volume groups of the source server (Linux; an empty list when it has none)."`
	BtrfsList           []BtrfsFileSystem  `json:"btrfs_list" doc:"Btrfs file systems of the source server (Linux; an empty list when it has none)."`
	Networks            []ServerNetwork    `json:"networks" doc:"Network interfaces of the source server."`
	Checks              []EnvironmentCheck `json:"checks" doc:"Results of the environment checks run against the server."`
	MigrationCycle      *string            `json:"migration_cycle" doc:"Migration stage: 'checking', 'setting', 'replicating', 'syncing', 'cutovering' or 'cutovered'."`
	StateActionTime     *int64             `json:"state_action_time" doc:"Time 'state' last changed, as an epoch timestamp (milliseconds assumed)."`
	ReplicateSize       *int64             `json:"replicatesize" doc:"Data already replicated, in bytes."`
	TotalSize           *int64             `json:"totalsize" doc:"Total data to migrate, in bytes."`
	LastVisitTime       *int64             `json:"last_visit_time" doc:"Time the Agent's connection state last changed, as an epoch timestamp (milliseconds assumed)."`
	StageActionTime     *int64             `json:"stage_action_time" doc:"Time 'migration_cycle' last changed, as an epoch timestamp (milliseconds assumed)."`
	AgentVersion        *string            `json:"agent_version" doc:"Version of the SMS Agent installed on the server."`
	HasTC               *bool              `json:"has_tc" doc:"Whether the tc (traffic control) component is installed; mandatory for Linux."`
	StartType           *string            `json:"start_type" doc:"How the migration is started: 'MANUAL', 'AUTO' or empty (not validated by the service); anything but 'MANUAL' means it is started from the MgC platform."`
}

// SourceServerTask is the SDK's TaskByServerSource: the task a source server is in, as the
// server's detail returns it. It has fewer fields than the server list's ServerTask (no ETA,
// compression ratio or log links).
type SourceServerTask struct {
	ID                *string            `json:"id" doc:"ID of the associated migration task."`
	Name              *string            `json:"name" doc:"Name of the associated migration task."`
	Type              *string            `json:"type" doc:"Migration type: 'MIGRATE_BLOCK' or 'MIGRATE_FILE'."`
	State             *string            `json:"state" doc:"State of the task, such as 'RUNNING' or 'MIGRATE_SUCCESS'."`
	StartDate         *int64             `json:"start_date" doc:"Task start time, as an epoch timestamp (milliseconds assumed)."`
	SpeedLimit        *int64             `json:"speed_limit" doc:"Migration rate limit of the task (Mbit/s assumed; not stated for this object)."`
	MigrateSpeed      *float64           `json:"migrate_speed" doc:"Current migration rate (unit not stated for this object; the task detail states Mbit/s)."`
	StartTargetServer *bool              `json:"start_target_server" doc:"Whether the target server is started after the migration."`
	VMTemplateID      *string            `json:"vm_template_id" doc:"ID of the target server template used by the task."`
	RegionID          *string            `json:"region_id" doc:"Region ID of the target server."`
	ProjectName       *string            `json:"project_name" doc:"Name of the project that holds the target server."`
	ProjectID         *string            `json:"project_id" doc:"ID of the project that holds the target server."`
	TargetServer      *TargetServerRef   `json:"target_server" doc:"Target server of the task (ID and name)."`
	LogCollectStatus  *string            `json:"log_collect_status" doc:"Log collection status: 'INIT', 'UPLOADING', 'UPLOAD_FAIL' or 'UPLOADED'."`
	ExistServer       *bool              `json:"exist_server" doc:"Whether an existing server is used as the target."`
	UsePublicIP       *bool              `json:"use_public_ip" doc:"Whether the migration goes over a public IP address."`
	CloneServer       *CloneServerDetail `json:"clone_server" doc:"Cloned server of the task."`
	SubtaskInfo       *string            `json:"subtask_info" doc:"Current subtask and its progress, as a string." text:"multiline"`
}

// ServerDisk is the SDK's ServerDisk: one disk of a source server.
type ServerDisk struct {
	Name            *string         `json:"name" doc:"Disk name."`
	PartitionStyle  *string         `json:"partition_style" doc:"Partition table type, such as 'MBR' or 'GPT' (EVS terms; not an enum)."`
	DeviceUse       *string         `json:"device_use" doc:"Role of the disk, such as 'NORMAL', 'OS', 'BOOT', 'VOLUME_GROUP' or 'BTRFS' (not validated; may be empty)."`
	Size            *int64          `json:"size" doc:"Total size of the disk, in bytes."`
	UsedSize        *int64          `json:"used_size" doc:"Used space on the disk, in bytes."`
	PhysicalVolumes []DiskPartition `json:"physical_volumes" doc:"Partitions on the disk."`
	OSDisk          *bool           `json:"os_disk" doc:"Whether this is the system disk."`
	RelationName    *string         `json:"relation_name" doc:"Linux: name of the disk in the target ECS that this disk is paired with."`
	InodeSize       *int64          `json:"inode_size" doc:"Inode size of the disk."`
}

// DiskPartition is the SDK's PhysicalVolume: one partition of a source server's disk. The
// server list's recommended layout uses PhysicalVolume (the SDK's PhysicalVolumes), which lacks
// inode_nums and size_per_cluster.
type DiskPartition struct {
	DeviceUse      *string `json:"device_use" doc:"Role of the partition, such as 'NORMAL', 'OS', 'BOOT', 'VOLUME_GROUP' or 'BTRFS' (not validated; may be empty)."`
	FileSystem     *string `json:"file_system" doc:"File system type."`
	Index          *int64  `json:"index" doc:"Sequence number of the partition."`
	MountPoint     *string `json:"mount_point" doc:"Mount point."`
	Name           *string `json:"name" doc:"Partition name: the drive letter on Windows, the device name on Linux."`
	Size           *int64  `json:"size" doc:"Partition size (bytes assumed)."`
	UsedSize       *int64  `json:"used_size" doc:"Used space (bytes assumed)."`
	InodeSize      *int64  `json:"inode_size" doc:"Number of inodes, as the SDK describes it (the name suggests the inode size)."`
	InodeNums      *int64  `json:"inode_nums" doc:"Number of inode nodes."`
	UUID           *string `json:"uuid" doc:"GUID of the partition, as read on the source."`
	SizePerCluster *int64  `json:"size_per_cluster" doc:"Size of each cluster (bytes assumed)."`
}

// ServerNetwork is the SDK's NetWork: one network interface of a source server.
type ServerNetwork struct {
	Name    *string `json:"name" doc:"Name of the network interface."`
	IP      *string `json:"ip" doc:"IP address bound to the interface."`
	IPv6    *string `json:"ipv6" doc:"IPv6 address of the interface."`
	Netmask *string `json:"netmask" doc:"Subnet mask."`
	Gateway *string `json:"gateway" doc:"Gateway."`
	MTU     *int64  `json:"mtu" doc:"MTU of the interface (mandatory for Linux)."`
	MAC     *string `json:"mac" doc:"MAC address (required for the first interface of the list)."`
	ID      *string `json:"id" doc:"ID of the interface record in SMS."`
}

// BtrfsFileSystem is the SDK's BtrfsFileSystem: one Btrfs file system of a source server.
type BtrfsFileSystem struct {
	Name                   *string          `json:"name" doc:"Name of the file system."`
	Label                  *string          `json:"label" doc:"Label of the file system; an empty string when it has none."`
	UUID                   *string          `json:"uuid" doc:"UUID of the file system."`
	Device                 *string          `json:"device" doc:"Devices the file system is made of."`
	Size                   *int64           `json:"size" doc:"Space taken by the file system's data."`
	NodeSize               *int64           `json:"nodesize" doc:"Node size of the file system."`
	SectorSize             *int64           `json:"sectorsize" doc:"Sector size."`
	DataProfile            *string          `json:"data_profile" doc:"Data profile (RAID level)."`
	SystemProfile          *string          `json:"system_profile" doc:"System profile (RAID level)."`
	MetadataProfile        *string          `json:"metadata_profile" doc:"Metadata profile (RAID level)."`
	GlobalReserve1         *string          `json:"global_reserve1" doc:"Global reserve information of the file system, as a string."`
	GVolUsedSize           *int64           `json:"g_vol_used_size" doc:"Used space of the Btrfs volume."`
	DefaultSubvolID        *string          `json:"default_subvolid" doc:"ID of the default subvolume."`
	DefaultSubvolName      *string          `json:"default_subvol_name" doc:"Name of the default subvolume."`
	DefaultSubvolMountPath *string          `json:"default_subvol_mountpath" doc:"Mount path of the default subvolume, that is of the file system."`
	Subvolumn              []BtrfsSubvolume `json:"subvolumn" doc:"Subvolumes of the file system (the API spells the key 'subvolumn')."`
}

// BtrfsSubvolume is the SDK's BtrfsSubvolumn: one subvolume of a Btrfs file system.
type BtrfsSubvolume struct {
	UUID            *string `json:"uuid" doc:"UUID of the parent volume."`
	IsSnapshot      *string `json:"is_snapshot" doc:"Whether the subvolume is a snapshot, as the string the API sends."`
	SubvolID        *string `json:"subvol_id" doc:"ID of the subvolume."`
	ParentID        *string `json:"parent_id" doc:"ID of the parent volume."`
	SubvolName      *string `json:"subvol_name" doc:"Name of the subvolume."`
	SubvolMountPath *string `json:"subvol_mount_path" doc:"Mount path of the subvolume."`
}
