package emulator

import (
	"encoding/json"
	"testing"
)

// MutateServers changes the served source servers between two pages, as Mutate does tasks, and
// keeps the migration projects of the servers that remain.
func TestMutateServersWhilePaging(t *testing.T) {
	servers := []json.RawMessage{
		json.RawMessage(`{"id":"s1","state":"finished"}`), json.RawMessage(`{"id":"s2","state":"replicate"}`),
		json.RawMessage(`{"id":"s3","state":"finished"}`),
	}
	s := start(t, Options{Servers: servers, ServerProjects: map[string]string{"s2": "p"}})
	first := sources(t, s, "limit=2")
	s.MutateServers(func(servers []json.RawMessage) []json.RawMessage {
		return append(servers[1:], json.RawMessage(`{"id":"s4","state":"finished"}`))
	})
	second := sources(t, s, "limit=2&offset=2")
	if *first.Count != 3 || *second.Count != 3 || len(second.SourceServers) != 1 || second.SourceServers[0].ID != "s4" {
		t.Errorf("pages %+v then %+v; want s4 alone at offset 2 of 3 after the change", first, second)
	}
	if got := sources(t, s, "migproject=p"); *got.Count != 1 || got.SourceServers[0].ID != "s2" {
		t.Errorf("migproject=p lists %+v, want s2", got)
	}
}
