package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

// polls serves one listing of tasks per poll from a script: poll i gets script[min(i, last)].
type polls struct {
	mu     sync.Mutex
	script [][]Task
	n      int
}

func (p *polls) poll(ctx context.Context) (*Listing[Task], error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	items := p.script[min(p.n, len(p.script)-1)]
	p.n++
	return &Listing[Task]{Count: int64(len(items)), Items: items}, nil
}

func (p *polls) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func task(id, state string) Task { return Task{ID: ptr(id), Name: ptr("vm-" + id), State: ptr(state)} }

var untilSuccess = Condition{"state": {"MIGRATE_SUCCESS"}}

// The wait polls until every task matches until, and returns the last poll's listing; each poll
// after the first reports progress with what is still waiting.
func TestWait_CompletesWhenEveryItemMatches(t *testing.T) {
	t.Parallel()
	p := &polls{script: [][]Task{
		{task("a", "RUNNING"), task("b", "RUNNING")},
		{task("a", "MIGRATE_SUCCESS"), task("b", "RUNNING")},
		{task("a", "MIGRATE_SUCCESS"), task("b", "MIGRATE_SUCCESS")},
	}}
	var progress []WaitProgress
	list, err := Wait(context.Background(), nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Minute,
		Interval: time.Second, Progress: func(wp WaitProgress) { progress = append(progress, wp) }}, p.poll)
	if err != nil {
		t.Fatal(err)
	}
	if p.count() != 3 || *list.Items[1].State != "MIGRATE_SUCCESS" {
		t.Errorf("%d polls, last listing %+v; want 3 polls ending with both tasks done", p.count(), list.Items)
	}
	if len(progress) != 2 || progress[1].Matched != 1 || progress[1].Total != 2 ||
		!strings.Contains(progress[1].String(), "1 of 2 tasks done; waiting for vm-b (b)") {
		t.Errorf("progress %+v", progress)
	}
}

// A task that matches fail_on (by default state MIGRATE_FAIL) fails the wait at once, naming it
// with its error_json; more than ten are bounded.
func TestWait_FailsFastNamingTheItems(t *testing.T) {
	t.Parallel()
	var items []Task
	for i := range 13 {
		tk := task(fmt.Sprint(i), "MIGRATE_FAIL")
		tk.ErrorJSON = ptr("{\"error_code\":\"SMS.1\",\n\"error_msg\":\"disk full\"}")
		items = append(items, tk)
	}
	items = append(items, task("ok", "RUNNING"))
	p := &polls{script: [][]Task{items}}
	_, err := Wait(context.Background(), nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Minute}, p.poll)
	var we *WaitError
	if !errors.As(err, &we) || we.Reason != WaitFailed || p.count() != 1 {
		t.Fatalf("err %v after %d polls; want a WaitFailed after one", err, p.count())
	}
	for _, want := range []string{"13 of 14 tasks match fail_on { state = [MIGRATE_FAIL] }", "vm-0 (0): state = MIGRATE_FAIL, error: " +
		`{"error_code":"SMS.1", "error_msg":"disk full"}`, "vm-9 (9)", "and 3 more"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	if strings.Contains(err.Error(), "vm-10") {
		t.Errorf("error names an eleventh task:\n%s", err)
	}
}

// An empty listing fails at once; a timeout says how many are done, which are not, and how long
// it waited.
func TestWait_EmptyAndTimeout(t *testing.T) {
	t.Parallel()
	_, err := Wait(context.Background(), nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Minute},
		(&polls{script: [][]Task{{}}}).poll)
	if err == nil || !strings.Contains(err.Error(), "nothing matches these filters") {
		t.Errorf("empty listing: %v", err)
	}
	started := time.Now()
	_, err = Wait(context.Background(), nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: 1500 * time.Millisecond},
		(&polls{script: [][]Task{{task("a", "MIGRATE_SUCCESS"), task("b", "RUNNING")}}}).poll)
	want := "timed out after waiting 2s (timeout 1.5s, 2 polls): 1 of 2 tasks match until { state = [MIGRATE_SUCCESS] }; not yet: vm-b (b): state = RUNNING"
	if err == nil || err.Error() != want {
		t.Errorf("timeout:\n got %v\nwant %s", err, want)
	}
	if d := time.Since(started); d > 3*time.Second {
		t.Errorf("the timeout of 1.5s took %s", d)
	}
}

// Cancelling the context ends the wait within a second, between polls and during one.
func TestWait_CancellationEndsTheWaitAtOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	p := &polls{script: [][]Task{{task("a", "RUNNING")}}}
	time.AfterFunc(200*time.Millisecond, cancel)
	started := time.Now()
	_, err := Wait(ctx, nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Hour, Interval: time.Hour}, p.poll)
	if !errors.Is(err, context.Canceled) || time.Since(started) > time.Second {
		t.Errorf("err %v after %s; want context.Canceled within a second", err, time.Since(started))
	}
}

// The client's Retry-After gate delays the next poll beyond the interval, and a poll throttled
// for longer than the client waits is polled again after the time the API asked for.
func TestWait_RetryAfterStretchesTheInterval(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")
	p := &polls{script: [][]Task{{task("a", "RUNNING")}, {task("a", "MIGRATE_SUCCESS")}}}
	var gapped time.Time
	first := func(ctx context.Context) (*Listing[Task], error) {
		if p.count() == 0 {
			c.closeGate(time.Now().Add(2500 * time.Millisecond))
			gapped = time.Now()
		}
		return p.poll(ctx)
	}
	if _, err := Wait(context.Background(), c, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Minute}, first); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(gapped); d < 2400*time.Millisecond {
		t.Errorf("second poll %s after the first; want the gate's 2.5s, not the 1s interval", d)
	}

	throttled := 0
	q := &polls{script: [][]Task{{task("a", "MIGRATE_SUCCESS")}}}
	started := time.Now()
	_, err := Wait(context.Background(), nil, &TaskWait, WaitConfig{Until: untilSuccess, Timeout: time.Minute},
		func(ctx context.Context) (*Listing[Task], error) {
			if throttled == 0 {
				throttled++
				return nil, &APIError{Status: http.StatusTooManyRequests, RetryAfter: time.Now().Add(1200 * time.Millisecond)}
			}
			return q.poll(ctx)
		})
	if err != nil || time.Since(started) < 1100*time.Millisecond {
		t.Errorf("err %v after %s; want success after the 1.2s Retry-After", err, time.Since(started))
	}
}

// Conditions name top-level single-valued attributes; enumerated ones take documented values,
// bools true or false, numbers compare by value.
func TestCheckCondition_KeysAndValues(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cond Condition
		want string // "" for valid
	}{
		{Condition{"state": {"MIGRATE_FAIL"}, "syncing": {"true"}, "priority": {"01"}}, ""},
		{Condition{"stat": {"x"}}, `until names "stat", which is not a top-level attribute`},
		{Condition{"sub_tasks": {"x"}}, `until names "sub_tasks"`},
		{Condition{"state": {"DONE"}}, `until.state lists "DONE", which is not a documented value; use one of: READY`},
		{Condition{"syncing": {"yes"}}, `until.syncing is a bool: use "true" or "false", not "yes"`},
		{Condition{"priority": {"1.5"}}, `until.priority is a whole number: "1.5" is not one`},
		{Condition{"state": {}}, `until.state lists no value`},
	} {
		err := CheckCondition[Task]("until", c.cond, TaskWait.Enums)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: got %v, want %q", c.cond, err, c.want)
		}
	}
	cc, err := compileCondition[SourceServerItem]("until", Condition{"connected": {"true"}, "memory": {"8"}, "totalsize": {"0"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := SourceServerItem{Connected: ptr(true), Memory: ptr(int64(8)), TotalSize: ptr(int64(0))}
	if !cc.matches(reflectValue(&s)) {
		t.Errorf("%s does not match %+v", cc, s)
	}
	s.TotalSize = nil
	if cc.matches(reflectValue(&s)) {
		t.Errorf("a null totalsize matches %s", cc)
	}
}

func reflectValue[T any](p *T) reflect.Value { return reflect.ValueOf(p).Elem() }

// A poll of a wave of 1,000 source servers at the default page size of 200 is one listing of
// 1 + ceil((1000 - 200) / 199) = 6 requests, the figure of the guide "Waiting for a wave": the
// wave is done at the second poll, after 12 requests.
func TestWait_APollOfAThousandServersIsSixRequests(t *testing.T) {
	t.Parallel()
	fleet := emulator.Fleet{}
	ids := fleet.AddWave("wave", 1000)
	opts := fleet.Options()
	opts.Token = testToken
	srv := emulator.NewTestServer(opts)
	t.Cleanup(func() { _ = srv.Close() })
	srv.Play(emulator.FinishInTurn(ids, "MIGRATE_SUCCESS", 2, len(ids))...)
	c := newTestClient(t, srv.URL())
	q := ListSourceServersQuery{MigProject: ptr("wave")}
	list, err := Wait(context.Background(), c, &SourceServerWait, WaitConfig{Until: Condition{"migration_cycle": {"cutovered"}},
		Timeout: time.Minute}, func(ctx context.Context) (*SourceServerList, error) { return c.ListSourceServers(ctx, q) })
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Stats().Requests; got != 12 || len(list.Items) != 1000 || srv.Reads() != 2 {
		t.Errorf("%d requests over %d reads for %d servers; want 12 over 2 for 1000", got, srv.Reads(), len(list.Items))
	}
}
