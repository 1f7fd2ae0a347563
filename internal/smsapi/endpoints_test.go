package smsapi

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
)

func TestShowTask_DecodesEveryLevelAndKeepsNulls(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"id":"t-1","state":"RUNNING","remain_seconds":9223372036854775807,"finish_date":null,
			"source_server":{"id":"s","migration_cycle":"replicating"},
			"target_server":{"disks":[{"id":101,"physical_volumes":[{"free_size":5}]}],"btrfs_list":[null,"b"]},
			"sub_tasks":[{"id":1,"migrate_speed":85.5,"user_op":null}],"clone_server":null}`)
	})
	c := newTestClient(t, srv.URL+"/sms/")
	d, err := c.ShowTask(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1" {
		t.Errorf("path %q", gotPath)
	}
	switch {
	case *d.ID != "t-1" || *d.RemainSeconds != math.MaxInt64 || d.FinishDate != nil || d.StartDate != nil:
		t.Errorf("top level: %+v", d)
	case *d.SourceServer.MigrationCycle != "replicating" || d.CloneServer != nil:
		t.Errorf("source/clone server: %+v %+v", d.SourceServer, d.CloneServer)
	case *d.TargetServer.Disks[0].PhysicalVolumes[0].FreeSize != 5 || d.TargetServer.BtrfsList[0] != nil || *d.TargetServer.BtrfsList[1] != "b":
		t.Errorf("target server: %+v", d.TargetServer)
	case *d.SubTasks[0].MigrateSpeed != 85.5 || d.SubTasks[0].UserOp != nil || d.TargetServer.VolumeGroups != nil:
		t.Errorf("sub tasks: %+v", d.SubTasks)
	}
}

func TestShowTask_NotFoundNamesTheTask(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-404")
		writeJSON(w, 404, `{"error_code":"SMS.6002","error_msg":"not found"}`)
	})
	c := newTestClient(t, srv.URL)
	_, err := c.ShowTask(context.Background(), "gone-task")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.ID != "gone-task" || !strings.Contains(err.Error(), `"gone-task"`) ||
		!strings.Contains(err.Error(), "SMS.6002") || !strings.Contains(err.Error(), "req-404") {
		t.Fatalf("err = %v", err)
	}
	if ae, ok := AsAPIError(err); !ok || ae.Status != 404 {
		t.Errorf("not an APIError 404: %v", err)
	}
}

// Only a 404 that the SMS API answers with an error code of its own says the task does not exist.
// A gateway's 404 (APIGW.0101 for an API that is not published there, an HTML page, a body
// without a code) is about the endpoint, and stays the APIError it is.
func TestShowTask_GatewayNotFoundIsNotTaskNotFound(t *testing.T) {
	for name, c := range map[string]struct {
		contentType, body string
	}{
		"API gateway": {"application/json", `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment"}`},
		"HTML page":   {"text/html", "<html><body><h1>404 Not Found</h1></body></html>"},
		"no code":     {"application/json", `{"message":"not found"}`},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", c.contentType)
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(c.body))
		})
		_, err := newTestClient(t, srv.URL).ShowTask(context.Background(), "t-1")
		var nf *NotFoundError
		if ae, ok := AsAPIError(err); !ok || ae.Status != 404 || errors.As(err, &nf) {
			t.Errorf("%s: got %v, want a 404 APIError that is not NotFoundError", name, err)
		}
	}
}

func TestShowTask_RejectsIDsThatNameAnotherPath(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent for a bad id: %s", r.URL)
	})
	c := newTestClient(t, srv.URL)
	for _, id := range []string{"", "..", ".", "a/b", "a?b", "a b", strings.Repeat("a", 256), "../sources"} {
		if _, err := c.ShowTask(context.Background(), id); err == nil {
			t.Errorf("ShowTask(%q) accepted", id)
		}
	}
}

// A 200 for GET /v3/tasks/{task_id} that holds no task, or another task than the one asked
// for, must fail the read: a gate over sms_task would otherwise pass on nulls or judge the
// wrong task.
func TestShowTask_BodyThatIsNotTheTaskFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":    {`{}`, "holds none of the task's fields"},
		"unknown fields":  {`{"count":"x","tasks":[]}`, "holds none of the task's fields"},
		"another task":    {`{"id":"other-task","name":"n","state":"MIGRATE_FAIL"}`, `the task "other-task"`},
		"a huge id":       {`{"id":"` + strings.Repeat("x", 100000) + `"}`, `the task "xxxx`},
		"no id, no state": {`{"error_json":"","sub_tasks":[]}`, "names neither the task's id nor its state"},
		"an error body beside the task's fields": {`{"error_code":"SMS.2007","error_msg":"backend exception","id":"abc-123","state":"RUNNING"}`,
			"(error_code SMS.2007): backend exception"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			detail, err := newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (detail %+v)", tc.want, err, detail)
			}
			if n := len(err.Error()); n > 400 {
				t.Errorf("the error is %d bytes long", n)
			}
		})
	}
}

// A detail without an id but with other fields is kept: the reference does not promise the id
// in the detail, and the fields it holds are still the answer for the path's id.
func TestShowTask_DetailWithoutIDIsKept(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"name":"n","state":"RUNNING"}`)
	})
	detail, err := newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
	if err != nil || detail.State == nil || *detail.State != "RUNNING" {
		t.Fatalf("got %+v, %v", detail, err)
	}
	// And a detail that names the task keeps a null state null.
	srv = newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"id":"abc-123","state":null,"name":null}`)
	})
	detail, err = newTestClient(t, srv.URL).ShowTask(context.Background(), "abc-123")
	if err != nil || detail.State != nil {
		t.Fatalf("got %+v, %v, want the null state kept", detail, err)
	}
}

func TestShowSourcesOverview_OlderLayoutKeepsNulls(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v3/sources/overview" || r.URL.RawQuery != "" {
			t.Errorf("request %s", r.URL)
		}
		writeJSON(w, 200, `{"waiting":5,"replicating":6,"syncing":3,"other":2}`)
	})
	o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *o.Waiting != 5 || *o.Syncing != 3 || o.Replicate != nil || o.Unconfigured != nil {
		t.Errorf("overview %+v", o)
	}
}

// The older four-counter layout stays readable: every counter is optional.
func TestShowSourcesOverview_OlderLayoutKept(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"waiting":2,"finished":0}`) })
	o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
	if err != nil || o.Waiting == nil || *o.Waiting != 2 || o.Finished == nil || *o.Finished != 0 || o.Error != nil {
		t.Fatalf("got %+v, %v", o, err)
	}
}

// An overview that holds none of the counters, or a negative one, is not an overview.
func TestShowSourcesOverview_NoCounterOrNegativeFails(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ body, want string }{
		"empty object":     {`{}`, "holds none of the counters"},
		"unknown fields":   {`{"count":3}`, "holds none of the counters"},
		"negative counter": {`{"waiting":-5,"finished":3}`, `"waiting" is negative (-5)`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			o, err := newTestClient(t, srv.URL).ShowSourcesOverview(context.Background())
			var de *DecodeError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a DecodeError saying %q, got %v (overview %+v)", tc.want, err, o)
			}
		})
	}
}

func TestShowTaskSpeedLimits_DecodesAndKeepsNulls(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"speed_limit":[{"start":"00:00","end":"08:00","speed":9223372036854775807,"over_speed_threshold":null},
			{"start":"08:00","end":"23:59","speed":null,"over_speed_threshold":12.5}]}`)
	})
	s, err := newTestClient(t, srv.URL+"/sms/").ShowTaskSpeedLimits(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1/speed-limit" {
		t.Errorf("path %q", gotPath)
	}
	l := s.SpeedLimit
	if len(l) != 2 || *l[0].Start != "00:00" || *l[0].Speed != math.MaxInt64 || l[0].OverSpeedThreshold != nil ||
		l[1].Speed != nil || *l[1].OverSpeedThreshold != 12.5 || *l[1].End != "23:59" {
		t.Errorf("speed limits: %+v", l)
	}
}

func TestShowTaskSpeedLimits_NotFoundAndBadBodies(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"error_code":"SMS.6002","error_msg":"not found"}`)
	})
	var nf *NotFoundError
	if _, err := newTestClient(t, srv.URL).ShowTaskSpeedLimits(context.Background(), "gone-task"); !errors.As(err, &nf) || nf.ID != "gone-task" {
		t.Errorf("404: %v", err)
	}
	if _, err := newTestClient(t, srv.URL).ShowTaskSpeedLimits(context.Background(), "../sources"); err == nil || errors.As(err, &nf) {
		t.Errorf("bad id: %v", err)
	}
	for body, want := range map[string]string{
		`{}`:                            "no speed_limit array",
		`{"speed_limit":null}`:          "no speed_limit array",
		`{"speed_limit":[{"end":"1"}]}`: "speed_limit[0] lacks its start or end",
		`{"speed_limit":[{"start":"0","end":"1","speed":-1}]}`: "negative speed",
		`{"speed_limit":[{"start":0}]}`:                        `field "speed_limit.start"`,
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		_, err := newTestClient(t, srv.URL).ShowTaskSpeedLimits(context.Background(), "t-1")
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want a DecodeError saying %q, got %v", body, want, err)
		}
	}
	srv = newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"speed_limit":[]}`) })
	if s, err := newTestClient(t, srv.URL).ShowTaskSpeedLimits(context.Background(), "t-1"); err != nil || s.SpeedLimit == nil || len(s.SpeedLimit) != 0 {
		t.Errorf("no limits: %+v, %v", s, err)
	}
}

func TestShowTaskConfiguration_DecodesAndKeepsNulls(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"task_id":"t-1","migrate_type":null,"configurations":[{"config_key":"NUM_PROCESS_MIGRATE","config_value":"4","config_status":null}]}`)
	})
	c, err := newTestClient(t, srv.URL+"/sms/").ShowTaskConfiguration(context.Background(), "t-1")
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/tasks/t-1/configuration-setting" {
		t.Errorf("path %q", gotPath)
	}
	if *c.TaskID != "t-1" || c.MigrateType != nil || len(c.Configurations) != 1 || *c.Configurations[0].ConfigValue != "4" ||
		c.Configurations[0].ConfigStatus != nil {
		t.Errorf("configuration: %+v", c)
	}
}

func TestShowTaskConfiguration_NotFoundAndBadBodies(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"error_code":"SMS.6002","error_msg":"not found"}`)
	})
	var nf *NotFoundError
	if _, err := newTestClient(t, srv.URL).ShowTaskConfiguration(context.Background(), "gone-task"); !errors.As(err, &nf) || nf.ID != "gone-task" {
		t.Errorf("404: %v", err)
	}
	for body, want := range map[string]string{
		`{}`:                  "holds none of the configuration's fields",
		`{"task_id":"other"}`: `configuration of task "other", not of the task "t-1"`,
		`{"configurations":[{"config_value":"x"}]}`: "configurations[0] has no config_key",
		`{"migrate_type":1}`:                        `field "migrate_type"`,
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		_, err := newTestClient(t, srv.URL).ShowTaskConfiguration(context.Background(), "t-1")
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want a DecodeError saying %q, got %v", body, want, err)
		}
	}
}
