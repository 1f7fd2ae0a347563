package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-example", "-token", "t", "-path-prefix", "/sms",
			"-url-file", urlFile, "-v"}, &stderr)
	}()

	var base []byte
	for deadline := time.Now().Add(10 * time.Second); len(base) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; stderr: %s", stderr.String())
		}
		base, _ = os.ReadFile(urlFile)
	}
	if !strings.HasPrefix(string(base), "http://127.0.0.1:") || !strings.HasSuffix(string(base), "/sms") {
		t.Errorf("URL file holds %q", base)
	}
	req, _ := http.NewRequest(http.MethodGet, string(base)+"/v3/tasks?limit=2", nil)
	req.Header.Set("X-Auth-Token", "t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Count int               `json:"count"`
		Tasks []json.RawMessage `json:"tasks"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || body.Count != 3 || len(body.Tasks) != 2 {
		t.Errorf("status %d, count %d, %d tasks, err %v", resp.StatusCode, body.Count, len(body.Tasks), err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
		t.Errorf("URL file left behind after shutdown (%v)", err)
	}
	if !strings.Contains(stderr.String(), "GET /sms/v3/tasks?limit=2 -> 200") {
		t.Errorf("no request line logged with -v:\n%s", stderr.String())
	}
}

func TestRunRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:8900"}, {"-addr", ":8900"}, {"-tasks", "-1"}, {"-failure-rate", "2"}, {"-wave", "-1"}, {"-access-key", "AK"}, {"-bogus"}, {"extra"},
	} {
		if err := run(context.Background(), args, &syncBuffer{}); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// -tasks serves a fleet: the source servers of the generated tasks on /v3/sources, their
// overview and each task's detail, with the same token and prefix. -wave adds a wave whose
// servers finish one per read of its project, from the second read.
func TestRun_FleetEndpoints(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-tasks", "30", "-wave", "2", "-token", "t", "-path-prefix", "/sms",
			"-url-file", urlFile}, &stderr)
	}()
	var base []byte
	for deadline := time.Now().Add(10 * time.Second); len(base) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; stderr: %s", stderr.String())
		}
		base, _ = os.ReadFile(urlFile)
	}
	getJSON := func(path string, dst any) int {
		req, _ := http.NewRequest(http.MethodGet, string(base)+path, nil)
		req.Header.Set("X-Auth-Token", "t")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(dst); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return resp.StatusCode
	}
	var servers struct {
		Count         int `json:"count"`
		SourceServers []struct {
			CurrentTask *struct {
				ID string `json:"id"`
			} `json:"current_task"`
		} `json:"source_servers"`
	}
	if status := getJSON("/v3/sources", &servers); status != 200 || servers.Count == 0 || servers.SourceServers[0].CurrentTask == nil {
		t.Fatalf("status %d, %d servers", status, servers.Count)
	}
	var detail struct {
		ID string `json:"id"`
	}
	id := servers.SourceServers[0].CurrentTask.ID
	if status := getJSON("/v3/tasks/"+id, &detail); status != 200 || detail.ID != id {
		t.Errorf("detail of %s: status %d, id %q", id, status, detail.ID)
	}
	var overview map[string]int
	if status := getJSON("/v3/sources/overview", &overview); status != 200 || len(overview) != 14 {
		t.Errorf("overview: status %d, %v", status, overview)
	}
	var wave struct {
		SourceServers []struct {
			MigrationCycle string `json:"migration_cycle"`
		} `json:"source_servers"`
	}
	for read, want := range []string{"replicating", "cutovered"} {
		if status := getJSON("/v3/sources?migproject="+emulator.WaveProject, &wave); status != 200 || len(wave.SourceServers) != 2 ||
			wave.SourceServers[0].MigrationCycle != want || wave.SourceServers[1].MigrationCycle != "replicating" {
			t.Errorf("read %d of the wave: status %d, %+v; want the first server %s", read+1, status, wave.SourceServers, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	if want := "serving 32 tasks and"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
}
