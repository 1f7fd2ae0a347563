package emulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// serverRecord is one stored source server: the keys the filters of GET /v3/sources compare,
// beside the server's JSON, served as given.
type serverRecord struct {
	id, name, ip, state, cycle, enterpriseProjectID, cloneVMID, migproject string
	connected, consistency                                                 string // "true", "false" or "" (not a boolean)
	hasTask                                                                bool
	raw                                                                    json.RawMessage
}

type serverKeys struct {
	ID                  looseString `json:"id"`
	Name                looseString `json:"name"`
	IP                  looseString `json:"ip"`
	State               looseString `json:"state"`
	MigrationCycle      looseString `json:"migration_cycle"`
	EnterpriseProjectID looseString `json:"enterprise_project_id"`
	Connected           looseBool   `json:"connected"`
	ConsistencyResult   looseBool   `json:"is_consistency_result_exist"`
	CurrentTask         *struct {
		ID          looseString `json:"id"`
		CloneServer looseObject `json:"clone_server"`
	} `json:"current_task"`
}

// looseBool keeps a JSON boolean as "true" or "false" and anything else as "".
type looseBool string

func (b *looseBool) UnmarshalJSON(data []byte) error {
	*b = ""
	if s := string(data); s == "true" || s == "false" {
		*b = looseBool(s)
	}
	return nil
}

func newServerRecords(servers []json.RawMessage, projects map[string]string) ([]serverRecord, error) {
	out := make([]serverRecord, len(servers))
	for i, raw := range servers {
		var k serverKeys
		if err := decodeObject(raw, &k); err != nil {
			return nil, fmt.Errorf("emulator: source server %d: %w", i, err)
		}
		out[i] = serverRecord{
			id: string(k.ID), name: string(k.Name), ip: string(k.IP), state: string(k.State),
			cycle: string(k.MigrationCycle), enterpriseProjectID: string(k.EnterpriseProjectID),
			connected: string(k.Connected), consistency: string(k.ConsistencyResult),
			migproject: projects[string(k.ID)], raw: raw,
		}
		// An empty object counts as no task, like an absent or null one.
		if ct := k.CurrentTask; ct != nil && ct.ID != "" {
			out[i].hasTask = true
			out[i].cloneVMID = string(ct.CloneServer.VMID)
		}
	}
	return out, nil
}

// serverQuery is a validated GET /v3/sources query; "" means no filter. ipv6 never matches a
// stored server, because the list body documents no ipv6 field to compare with, unless ip is
// also given, which the reference says takes precedence.
type serverQuery struct {
	filters       map[string]string
	limit, offset int
}

// serverFilters are the query parameters of GET /v3/sources, other than limit and offset.
var serverFilters = []string{"state", "name", "id", "ip", "ipv6", "migproject", "migration_cycle",
	"connected", "enterprise_project_id", "is_consistency_result_exist", "vm_id"}

func parseServerQuery(v url.Values) (serverQuery, error) {
	q := serverQuery{filters: map[string]string{}}
	for _, name := range serverFilters {
		if val := v.Get(name); val != "" {
			q.filters[name] = val
		}
	}
	var err error
	// limit=0 means the default page of 200 on this endpoint.
	if q.limit, err = intParam(v, "limit", 200, 200); err != nil {
		return q, err
	}
	if q.limit == 0 {
		q.limit = 200
	}
	if q.offset, err = intParam(v, "offset", 0, 65535); err != nil {
		return q, err
	}
	if s, ok := q.filters["state"]; ok && !slices.Contains(ServerStates, s) {
		return q, paramError(fmt.Sprintf("state must be one of %s, got %q", strings.Join(ServerStates, ", "), s))
	}
	if s, ok := q.filters["migration_cycle"]; ok && !slices.Contains(MigrationCycles, s) {
		return q, paramError(fmt.Sprintf("migration_cycle must be one of %s, got %q", strings.Join(MigrationCycles, ", "), s))
	}
	for _, name := range []string{"connected", "is_consistency_result_exist"} {
		if s, ok := q.filters[name]; ok {
			if _, err := strconv.ParseBool(s); err != nil || (s != "true" && s != "false") {
				return q, paramError(fmt.Sprintf("%s must be true or false, got %q", name, s))
			}
		}
	}
	return q, nil
}

func (q serverQuery) match(r *serverRecord) bool {
	for name, want := range q.filters {
		var got string
		switch name {
		case "state":
			got = r.state
		case "name":
			got = r.name
		case "id":
			got = r.id
		case "ip":
			got = r.ip
		case "ipv6":
			if _, ip := q.filters["ip"]; ip {
				continue
			}
		case "migproject":
			got = r.migproject
		case "migration_cycle":
			got = r.cycle
		case "connected":
			got = r.connected
		case "enterprise_project_id":
			got = r.enterpriseProjectID
		case "is_consistency_result_exist":
			got = r.consistency
		case "vm_id":
			got = r.cloneVMID
		}
		if got != want {
			return false
		}
	}
	return true
}

// sourcesPage builds the 200 body of GET /v3/sources: the matches at [offset, offset+limit)
// and their count, with each server's bytes as stored.
func (s *Server) sourcesPage(q serverQuery) []byte {
	var sel []json.RawMessage
	count := 0
	servers := *s.servers.Load()
	for i, r := range servers {
		if !q.match(&servers[i]) {
			continue
		}
		if count >= q.offset && count < q.offset+q.limit {
			sel = append(sel, r.raw)
		}
		count++
	}
	return marshal(struct {
		Count         int               `json:"count"`
		SourceServers []json.RawMessage `json:"source_servers"`
	}{count, append([]json.RawMessage{}, sel...)})
}

// overviewCounters are the 14 counters of GET /v3/sources/overview, in the reference's order.
var overviewCounters = []string{"waiting", "replicate", "syncing", "stopped", "deleting", "cutovering",
	"unavailable", "stopping", "skipping", "finished", "initialize", "error", "cloning", "unconfigured"}

// overview counts the served servers by state. unconfigured counts servers without a current
// task, which are counted under their state as well; servers in states without a counter
// (clearing, premiged, ...) are counted nowhere, as on the real service.
func (s *Server) overview() []byte {
	counts := make(map[string]int, len(overviewCounters))
	for _, name := range overviewCounters {
		counts[name] = 0
	}
	for _, r := range *s.servers.Load() {
		if _, ok := counts[r.state]; ok && r.state != "unconfigured" {
			counts[r.state]++
		}
		if !r.hasTask {
			counts["unconfigured"]++
		}
	}
	return marshal(counts)
}

// marshal encodes v, which the emulator builds itself and which therefore always encodes.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("emulator: " + err.Error())
	}
	return b
}
