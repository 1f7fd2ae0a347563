package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

// detailBody is the part of a source server's detail these tests read.
type detailBody struct {
	ID       string `json:"id"`
	IP       string `json:"ip"`
	OSType   string `json:"os_type"`
	Hostname string `json:"hostname"`
	Firmware string `json:"firmware"`
	Memory   *int64 `json:"memory"`
	Agent    string `json:"agent_version"`
	Volumes  []any  `json:"volume_groups"`
	Btrfs    []any  `json:"btrfs_list"`
	Networks []struct {
		IP  string `json:"ip"`
		MAC string `json:"mac"`
	} `json:"networks"`
	Disks []struct {
		Name            string          `json:"name"`
		Size            json.RawMessage `json:"size"`
		OSDisk          bool            `json:"os_disk"`
		PartitionStyle  string          `json:"partition_style"`
		PhysicalVolumes []any           `json:"physical_volumes"`
	} `json:"disks"`
	InitTargetServer *struct {
		Disks []struct {
			Size json.RawMessage `json:"size"`
		} `json:"disks"`
	} `json:"init_target_server"`
}

// The detail of every server of a fleet repeats its listed members with the same values (memory
// in MB, current_task without the list-only members), adds the detail's own members, the same
// on every request, and names disks of the recommended layout's sizes.
func TestSourceDetail_AgreesWithTheListedServer(t *testing.T) {
	fleet := GenerateFleet(30, 4)
	s := start(t, fleet.Options())
	btrfsSeen := false
	for _, raw := range fleet.Servers {
		var listed map[string]json.RawMessage
		if err := json.Unmarshal(raw, &listed); err != nil {
			t.Fatal(err)
		}
		var id string
		_ = json.Unmarshal(listed["id"], &id)
		resp, body := getPath(t, s, "/v3/sources/"+id)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /v3/sources/%s: %d %s", id, resp.StatusCode, body)
		}
		if _, again := getPath(t, s, "/v3/sources/"+id); !bytes.Equal(body, again) {
			t.Errorf("%s: two answers differ", id)
		}
		var detail map[string]json.RawMessage
		if err := json.Unmarshal(body, &detail); err != nil {
			t.Fatal(err)
		}
		for k, v := range listed {
			switch k {
			case "is_consistency_result_exist":
				if _, ok := detail[k]; ok {
					t.Errorf("%s: the detail has the list-only %s", id, k)
				}
			case "memory", "current_task":
			default:
				if !bytes.Equal(detail[k], v) {
					t.Errorf("%s: %s is %s in the detail, %s in the list", id, k, detail[k], v)
				}
			}
		}
		checkDetailMembers(t, id, listed, detail)
		var d detailBody
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		checkDetailDerived(t, d)
		btrfsSeen = btrfsSeen || len(d.Btrfs) > 0
	}
	if !btrfsSeen {
		t.Error("no server of the fleet has a Btrfs file system")
	}
}

// checkDetailMembers checks memory in MB and the current_task members the detail keeps.
func checkDetailMembers(t *testing.T, id string, listed, detail map[string]json.RawMessage) {
	t.Helper()
	var listMemory, detailMemory int64
	if json.Unmarshal(listed["memory"], &listMemory) != nil || json.Unmarshal(detail["memory"], &detailMemory) != nil ||
		detailMemory != listMemory>>20 {
		t.Errorf("%s: memory %s in the detail, %s bytes in the list", id, detail["memory"], listed["memory"])
	}
	var listTask, detailTask map[string]json.RawMessage
	_ = json.Unmarshal(listed["current_task"], &listTask)
	_ = json.Unmarshal(detail["current_task"], &detailTask)
	if (listTask == nil) != (detailTask == nil) {
		t.Fatalf("%s: current_task %s in the detail, %s in the list", id, detail["current_task"], listed["current_task"])
	}
	for k, v := range detailTask {
		if !slices.Contains(detailTaskKeys, k) || !bytes.Equal(listTask[k], v) {
			t.Errorf("%s: current_task.%s is %s in the detail, %s in the list", id, k, v, listTask[k])
		}
	}
	if _, ok := detailTask["remain_seconds"]; ok {
		t.Errorf("%s: the detail's current_task has the list-only remain_seconds", id)
	}
}

// checkDetailDerived checks the members only the detail has.
func checkDetailDerived(t *testing.T, d detailBody) {
	t.Helper()
	switch {
	case d.Hostname == "" || d.Agent == "" || (d.Firmware != "BIOS" && d.Firmware != "UEFI"):
		t.Errorf("%s: hostname %q, agent %q, firmware %q", d.ID, d.Hostname, d.Agent, d.Firmware)
	case len(d.Networks) != 1 || d.Networks[0].IP != d.IP || d.Networks[0].MAC == "":
		t.Errorf("%s: networks %+v, ip %s", d.ID, d.Networks, d.IP)
	case len(d.Disks) == 0 || !d.Disks[0].OSDisk || d.Disks[0].PartitionStyle == "" || d.Disks[0].PhysicalVolumes == nil:
		t.Errorf("%s: disks %+v", d.ID, d.Disks)
	case d.OSType == "LINUX" && (d.Volumes == nil || d.Btrfs == nil):
		t.Errorf("%s: a Linux server without volume_groups or btrfs_list", d.ID)
	}
	if d.InitTargetServer != nil && len(d.InitTargetServer.Disks) > 0 && !bytes.Equal(d.Disks[0].Size, d.InitTargetServer.Disks[0].Size) {
		t.Errorf("%s: system disk of %s bytes, recommended %s", d.ID, d.Disks[0].Size, d.InitTargetServer.Disks[0].Size)
	}
}

// An unknown id is the service's 404; /v3/sources/overview stays the overview, not a server
// named "overview".
func TestSourceDetail_UnknownIDAndOverview(t *testing.T) {
	s := start(t, GenerateFleet(5, 1).Options())
	resp, body := getPath(t, s, "/v3/sources/no-such-server")
	checkError(t, resp, body, http.StatusNotFound, "SMS.2216", "The source server no-such-server does not exist")
	resp, body = getPath(t, s, "/v3/sources/overview")
	var overview map[string]int
	if err := json.Unmarshal(body, &overview); resp.StatusCode != http.StatusOK || err != nil || len(overview) != len(overviewCounters) {
		t.Errorf("overview: %d %s", resp.StatusCode, body)
	}
}

// A stored server of another shape is still served: a Windows server without a layout gets a
// system disk of its own, and a null current_task stays null.
func TestSourceDetail_WindowsWithoutLayout(t *testing.T) {
	s := start(t, Options{Servers: []json.RawMessage{
		json.RawMessage(`{"id":"w-1","name":"app-frontend-server-01","ip":"10.0.0.9","os_type":"WINDOWS","current_task":null,"init_target_server":null}`),
	}})
	_, body := getPath(t, s, "/v3/sources/w-1")
	var d struct {
		detailBody
		CurrentTask json.RawMessage `json:"current_task"`
		Memory      json.RawMessage `json:"memory"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	if d.Hostname != "APP-FRONTEND-SE" || d.Firmware != "UEFI" || len(d.Disks) != 1 || d.Disks[0].Name != "Disk 0" ||
		d.Volumes != nil || d.Btrfs != nil || string(d.CurrentTask) != "null" || d.Memory != nil {
		t.Errorf("detail %s", body)
	}
}
