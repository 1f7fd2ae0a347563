package smsapi

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
)

// Every nested object of the detail decodes to its own type, an int64 beyond float64 stays
// exact, and nulls stay null at every level.
func TestShowSourceServer_DecodesEveryLevelAndKeepsNulls(t *testing.T) {
	t.Parallel()
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"id":"s-1","hostname":"web01","firmware":"UEFI","memory":16384,"agent_version":"25.3.0","start_type":null,
			"disks":[{"name":"/dev/vda","size":9223372036854775807,"os_disk":true,"relation_name":null,
				"physical_volumes":[{"name":"/dev/vda1","inode_nums":655360,"size_per_cluster":4096,"uuid":null}]}],
			"networks":[{"name":"eth0","ip":"10.0.0.5","ipv6":null,"mtu":1500,"mac":"fa:16:3e:00:00:01"}],
			"volume_groups":[],"btrfs_list":[{"name":"data","label":"","subvolumn":[{"subvol_id":"256","is_snapshot":"false"}]}],
			"checks":[{"id":3,"name":"RSYNC_INSTALLED","result":"ERROR","error_code":"SMS.1205","error_or_warn":null}],
			"current_task":{"id":"t-1","state":"RUNNING","target_server":{"vm_id":"v-1","name":null},"clone_server":null},
			"init_target_server":{"disks":[{"name":"/dev/vda","size":42949672960}],"volume_groups":[]}}`)
	})
	s, err := newTestClient(t, srv.URL+"/sms/").ShowSourceServer(context.Background(), "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/sources/s-1" {
		t.Errorf("path %q", gotPath)
	}
	switch d := s.Disks[0]; {
	case *s.Hostname != "web01" || *s.Firmware != "UEFI" || *s.Memory != 16384 || *s.AgentVersion != "25.3.0" || s.StartType != nil:
		t.Errorf("top level: %+v", s)
	case *d.Size != math.MaxInt64 || !*d.OSDisk || d.RelationName != nil || *d.PhysicalVolumes[0].InodeNums != 655360 ||
		*d.PhysicalVolumes[0].SizePerCluster != 4096 || d.PhysicalVolumes[0].UUID != nil:
		t.Errorf("disk: %+v", d)
	case *s.Networks[0].MTU != 1500 || s.Networks[0].IPv6 != nil || *s.Networks[0].MAC != "fa:16:3e:00:00:01" || s.Networks[0].ID != nil:
		t.Errorf("network: %+v", s.Networks[0])
	case s.VolumeGroups == nil || len(s.VolumeGroups) != 0 || *s.BtrfsList[0].Label != "" || *s.BtrfsList[0].Subvolumn[0].IsSnapshot != "false":
		t.Errorf("volume groups %+v, btrfs %+v", s.VolumeGroups, s.BtrfsList)
	case *s.Checks[0].ErrorCode != "SMS.1205" || s.Checks[0].ErrorOrWarn != nil:
		t.Errorf("checks: %+v", s.Checks)
	case *s.CurrentTask.TargetServer.VMID != "v-1" || s.CurrentTask.TargetServer.Name != nil || s.CurrentTask.CloneServer != nil:
		t.Errorf("current task: %+v", s.CurrentTask)
	case *s.InitTargetServer.Disks[0].Size != 42949672960 || s.InitTargetServer.VolumeGroups == nil:
		t.Errorf("init target server: %+v", s.InitTargetServer)
	}
}

// A 404 of the service names the server and its argument; a 404 of a gateway stays an APIError;
// an id that could name another path is refused before any request.
func TestShowSourceServer_NotFoundAndBadIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/gateway") {
			writeJSON(w, 404, `{"error_code":"APIGW.0101","error_msg":"The API does not exist"}`)
			return
		}
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, 404, `{"error_code":"SMS.0905","error_msg":"The source server does not exist"}`)
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ShowSourceServer(context.Background(), "gone-server")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.ID != "gone-server" || nf.Kind != "source server" || nf.Arg != "source_id" ||
		!strings.Contains(err.Error(), "SMS.0905") || !strings.Contains(err.Error(), "req-404") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.ShowSourceServer(context.Background(), "gateway"); errors.As(err, &nf) {
		t.Errorf("a gateway's 404 became %v", err)
	}
	for _, id := range []string{"", "..", "overview/../x", "a?b", strings.Repeat("a", 256)} {
		if _, err := c.ShowSourceServer(context.Background(), id); err == nil || errors.As(err, &nf) {
			t.Errorf("ShowSourceServer(%q): %v", id, err)
		}
	}
}

// A 200 that cannot be the server asked for fails the read: a pre-flight check over it would
// otherwise pass on nulls or judge another server.
func TestShowSourceServer_BodyThatIsNotTheServerFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":        {`{}`, "holds none of the source server's fields"},
		"only unknown fields": {`{"count":2,"source_servers":[]}`, "holds none of the source server's fields"},
		"another server":      {`{"id":"other-server","state":"waiting"}`, `the source server "other-server", not the source server "s-1"`},
		"a huge id":           {`{"id":"` + strings.Repeat("x", 100000) + `"}`, `the source server "xxxx`},
		"a list":              {`[{"id":"s-1"}]`, "the body is a JSON array, want a JSON object"},
		"a disk size string":  {`{"id":"s-1","disks":[{"size":"40G"}]}`, `field "disks.size"`},
		"an error body beside the fields": {`{"error_code":"SMS.2007","error_msg":"backend exception","id":"s-1"}`,
			"(error_code SMS.2007): backend exception"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			s, err := newTestClient(t, srv.URL).ShowSourceServer(context.Background(), "s-1")
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (server %+v)", tc.want, err, s)
			}
			if n := len(err.Error()); n > 400 {
				t.Errorf("the error is %d bytes long", n)
			}
		})
	}
}

// An answer without an id is kept, and an id that differs only in case is the same server.
func TestShowSourceServer_WithoutIDOrOtherCaseIsKept(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"name":"web01","state":"waiting"}`, `{"id":"S-1","state":"waiting"}`} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		s, err := newTestClient(t, srv.URL).ShowSourceServer(context.Background(), "s-1")
		if err != nil || *s.State != "waiting" {
			t.Errorf("%s: got %+v, %v", body, s, err)
		}
	}
}
