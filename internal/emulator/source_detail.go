package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
)

// answerSourceServer answers GET /v3/sources/{source_id} from the stored server with that id
// (GET /v3/sources/overview is a pattern of its own, which the mux prefers as the more specific).
func (s *Server) answerSourceServer(r *http.Request, _ url.Values, id string) (int, []byte) {
	sourceID := r.PathValue("source_id")
	if raw, ok := s.storedServer(sourceID); ok {
		return http.StatusOK, sourceDetail(raw, sourceID)
	}
	return sourceServerNotFound(sourceID, id)
}

// sourceServerNotFound is the answer for an unknown source server id. The reference does not
// document it; the emulator answers 404 with SMS.2216, the code the error reference gives for a
// source server that does not exist (when a task is created for it).
func sourceServerNotFound(sourceID, id string) (int, []byte) {
	return http.StatusNotFound, errorBody("SMS.2216", "The source server "+sourceID+" does not exist", id)
}

// storedServer is the stored JSON of the first listed source server with the id.
func (s *Server) storedServer(id string) (json.RawMessage, bool) {
	servers := *s.servers.Load()
	for i := range servers {
		if servers[i].id == id && id != "" {
			return servers[i].raw, true
		}
	}
	return nil, false
}

// detailTaskKeys are the members of a server's current_task that the detail keeps: the SDK's
// TaskByServerSource has no ETA, compression ratio or log links, which the list's has.
var detailTaskKeys = []string{"id", "name", "type", "state", "start_date", "speed_limit", "migrate_speed",
	"start_target_server", "vm_template_id", "region_id", "project_name", "project_id", "target_server",
	"log_collect_status", "exist_server", "use_public_ip", "clone_server", "subtask_info"}

// serverFacts are the members of a stored server that the detail's own members derive from.
type serverFacts struct {
	Name             looseString `json:"name"`
	IP               looseString `json:"ip"`
	OSType           looseString `json:"os_type"`
	Connected        looseBool   `json:"connected"`
	Memory           *int64      `json:"memory"`
	InitTargetServer *struct {
		Disks        []map[string]any `json:"disks"`
		VolumeGroups []map[string]any `json:"volume_groups"`
	} `json:"init_target_server"`
}

// sourceDetail builds the body of GET /v3/sources/{id} from the stored server: the same members
// with the same values, less the list-only is_consistency_result_exist and the list-only members
// of current_task, memory in MB as the SDK describes the detail's, and the members only the
// detail has (hostname, firmware, disks, networks, volume groups, Btrfs, Agent version), derived
// from the server and its id so that every request gets the same answer.
func sourceDetail(raw json.RawMessage, id string) []byte {
	var server map[string]json.RawMessage
	if err := json.Unmarshal(raw, &server); err != nil || server == nil {
		return raw // Stored servers are objects; this is unreachable.
	}
	var f serverFacts
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()    // Sizes are copied into the disks: a Long must not pass through float64.
	_ = dec.Decode(&f) // Wrong types leave zero values, which the derivation accepts.
	delete(server, "is_consistency_result_exist")
	if ct, ok := server["current_task"]; ok {
		server["current_task"] = detailTask(ct)
	}
	if f.Memory != nil {
		server["memory"] = marshal(*f.Memory >> 20)
	}
	r := rand.New(rand.NewPCG(uint64(idHash(id)), 0xde7a11))
	linux := string(f.OSType) != "WINDOWS"
	firmware := "BIOS"
	if !linux || r.IntN(3) == 0 {
		firmware = "UEFI"
	}
	detail := map[string]any{
		"hostname": hostnameOf(string(f.Name), linux), "firmware": firmware,
		"networks": []any{network(r, id, string(f.IP), linux)}, "agent_version": agentVersion(r, string(f.Connected)),
	}
	disks := serverDisks(r, f, firmware, linux)
	if linux {
		detail["volume_groups"], detail["btrfs_list"] = []any{}, []any{}
		if f.InitTargetServer != nil && f.InitTargetServer.VolumeGroups != nil {
			detail["volume_groups"] = f.InitTargetServer.VolumeGroups
		}
		if r.IntN(6) == 0 {
			detail["btrfs_list"] = []any{btrfs(r)}
			disks = append(disks, map[string]any{"name": "/dev/vdc", "partition_style": "GPT", "device_use": "BTRFS",
				"size": int64(200) << 30, "used_size": int64(31) << 30, "os_disk": false, "relation_name": "/dev/vdc",
				"inode_size": nil, "physical_volumes": []any{}})
		}
	}
	detail["disks"] = disks
	for k, v := range detail {
		if _, ok := server[k]; !ok {
			server[k] = marshal(v)
		}
	}
	return marshal(server)
}

// detailTask keeps the members of current_task that the detail has; anything but an object
// (null) stays as it is.
func detailTask(ct json.RawMessage) json.RawMessage {
	var task map[string]json.RawMessage
	if err := json.Unmarshal(ct, &task); err != nil || task == nil {
		return ct
	}
	kept := make(map[string]json.RawMessage, len(detailTaskKeys))
	for _, k := range detailTaskKeys {
		if v, ok := task[k]; ok {
			kept[k] = v
		}
	}
	return marshal(kept)
}

// hostnameOf is the host name the Agent registers: the SMS name in lower case on Linux, and in
// upper case cut to the 15 characters of a NetBIOS name on Windows. GET /v3/errors reports the
// same name.
func hostnameOf(name string, linux bool) string {
	if linux {
		return strings.ToLower(name)
	}
	name = strings.ToUpper(name)
	return name[:min(len(name), 15)]
}

// agentVersion is an Agent release; a disconnected Agent is more often an older one.
func agentVersion(r *rand.Rand, connected string) string {
	versions := []string{"25.3.0", "25.3.0", "25.1.2", "24.9.1"}
	if connected == "false" {
		return versions[2+r.IntN(2)]
	}
	return versions[r.IntN(len(versions))]
}

// network is the server's one interface, bound to its listed IP address.
func network(r *rand.Rand, id, ip string, linux bool) map[string]any {
	n := map[string]any{"name": "eth0", "ip": ip, "ipv6": nil, "netmask": "255.255.255.0", "gateway": nil, "mtu": 1500,
		"mac": fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", r.IntN(256), r.IntN(256), r.IntN(256)),
		"id":  fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", idHash(id), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Int64N(1<<48))}
	if i := strings.LastIndexByte(ip, '.'); i > 0 {
		n["gateway"] = ip[:i] + ".1"
	}
	if !linux {
		n["name"], n["mtu"] = "Ethernet0", nil
	}
	return n
}

// serverDisks are the source's disks: those of the recommended target layout with the same
// names and sizes, plus, for a Linux server with a volume group, the disk under it; one system
// disk of their own for a server without a layout.
func serverDisks(r *rand.Rand, f serverFacts, firmware string, linux bool) []any {
	style := map[string]string{"UEFI": "GPT", "BIOS": "MBR"}[firmware]
	var layout []map[string]any
	if f.InitTargetServer != nil {
		layout = f.InitTargetServer.Disks
	}
	if len(layout) == 0 {
		size := int64(40+20*r.IntN(4)) << 30
		name, part := "/dev/vda", "/dev/vda1"
		if !linux {
			name, part = "Disk 0", "C:"
		}
		layout = []map[string]any{{"name": name, "size": size, "device_use": "OS", "used_size": size / 3,
			"physical_volumes": []any{map[string]any{"device_use": "OS", "file_system": map[bool]string{true: "ext4", false: "NTFS"}[linux],
				"index": 0, "mount_point": map[bool]string{true: "/", false: "C:\\"}[linux], "name": part, "size": size - 1<<20,
				"used_size": size / 3, "uuid": nil}}}}
	}
	disks := make([]any, 0, len(layout)+1)
	for i, d := range layout {
		disk := map[string]any{"name": d["name"], "partition_style": style, "device_use": d["device_use"], "size": d["size"],
			"used_size": d["used_size"], "os_disk": i == 0, "relation_name": nil, "inode_size": nil,
			"physical_volumes": partitions(d["physical_volumes"], linux)}
		if linux {
			disk["relation_name"], disk["inode_size"] = d["name"], 256
		}
		disks = append(disks, disk)
	}
	if f.InitTargetServer != nil && len(f.InitTargetServer.VolumeGroups) > 0 {
		vg := f.InitTargetServer.VolumeGroups[0]
		disks = append(disks, map[string]any{"name": "/dev/vdb", "partition_style": style, "device_use": "VOLUME_GROUP",
			"size": vg["size"], "used_size": vg["size"], "os_disk": false, "relation_name": "/dev/vdb", "inode_size": 256,
			"physical_volumes": []any{map[string]any{"device_use": "VOLUME_GROUP", "file_system": "LVM2_member", "index": 0,
				"mount_point": "", "name": vg["components"], "size": vg["size"], "used_size": vg["size"], "uuid": nil,
				"inode_size": nil, "inode_nums": nil, "size_per_cluster": nil}}})
	}
	return disks
}

// partitions are a layout disk's partitions with the members only a source disk's have: the
// inode count on Linux, the cluster size on Windows.
func partitions(pvs any, linux bool) []any {
	list, _ := pvs.([]any)
	out := make([]any, 0, len(list))
	for _, pv := range list {
		p, ok := pv.(map[string]any)
		if !ok {
			continue
		}
		q := make(map[string]any, len(p)+2)
		for k, v := range p {
			q[k] = v
		}
		q["inode_nums"], q["size_per_cluster"] = nil, 4096
		if linux {
			q["inode_nums"], q["size_per_cluster"] = nil, nil
			if n, ok := p["size"].(json.Number); ok {
				if size, err := n.Int64(); err == nil {
					q["inode_nums"] = size / 16384
				}
			}
		}
		out = append(out, q)
	}
	return out
}

// btrfs is a Btrfs file system on /dev/vdc with a default subvolume and a snapshot of it.
func btrfs(r *rand.Rand) map[string]any {
	uuid := fmt.Sprintf("%08x-%04x-4%03x-9%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Int64N(1<<48))
	return map[string]any{"name": "data", "label": "", "uuid": uuid, "device": "/dev/vdc", "size": int64(31) << 30,
		"nodesize": 16384, "sectorsize": 4096, "data_profile": "single", "system_profile": "DUP", "metadata_profile": "DUP",
		"global_reserve1": "3.25MiB", "g_vol_used_size": int64(33) << 30, "default_subvolid": "5",
		"default_subvol_name": "<FS_TREE>", "default_subvol_mountpath": "/srv",
		"subvolumn": []any{
			map[string]any{"uuid": uuid, "is_snapshot": "false", "subvol_id": "256", "parent_id": "5", "subvol_name": "@data",
				"subvol_mount_path": "/srv/data"},
			map[string]any{"uuid": uuid, "is_snapshot": "true", "subvol_id": "257", "parent_id": "256", "subvol_name": "@data-snap",
				"subvol_mount_path": ""},
		}}
}
