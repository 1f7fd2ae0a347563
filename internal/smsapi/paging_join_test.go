package smsapi

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// naiveJoin is joinPages as the API's rules say it in the plainest way: the first skip[i] items
// of page i are left out (the item it shares with the page before and any ahead of it), the
// shared one not counted as dropped; another task is dropped when its id was on an earlier page,
// never because of its own page.
func naiveJoin(pages [][]Task, skip []int) ([]Task, int) {
	out := []Task{}
	earlier := map[string]bool{}
	dropped := 0
	for i, p := range pages {
		shared := 0
		if skip != nil {
			shared = skip[i]
		}
		for j, t := range p {
			switch {
			case j < shared-1:
				dropped++
			case j == shared-1:
			case t.ID != nil && earlier[*t.ID]:
				dropped++
			default:
				out = append(out, t)
			}
		}
		for _, t := range p[min(shared, len(p)):] {
			if t.ID != nil {
				earlier[*t.ID] = true
			}
		}
	}
	return out, dropped
}

// layOut puts pages 1.. into their windows of one array, as ListTasks decodes them, and returns
// the array and the pages as views into it.
func layOut(pages [][]Task, limit int) ([]Task, [][]Task) {
	buf := make([]Task, len(pages)*limit)
	views := make([][]Task, len(pages))
	views[0] = pages[0]
	for i := 1; i < len(pages); i++ {
		views[i] = buf[i*limit : i*limit+copy(buf[i*limit:(i+1)*limit], pages[i])]
	}
	return buf, views
}

// randomSkips returns, for each page after the first, a random number of leading items at or
// ahead of the item it shares with the page before.
func randomSkips(r *rand.Rand, pages [][]Task) []int {
	skip := make([]int, len(pages))
	for i := 1; i < len(pages); i++ {
		if r.IntN(2) == 0 {
			skip[i] = r.IntN(len(pages[i]) + 1)
		}
	}
	return skip
}

func randomPages(r *rand.Rand, limit int) [][]Task {
	pages := make([][]Task, 1+r.IntN(6))
	for i := range pages {
		n := limit
		if r.IntN(3) == 0 {
			n = r.IntN(limit + 1) // A short page: tasks deleted while paging.
		}
		for range n {
			var t Task
			if r.IntN(10) > 0 {
				// Few distinct ids, so duplicates within and across pages are common.
				t.ID = ptr(fmt.Sprintf("task-%d", r.IntN(3*limit)))
			}
			t.Name = ptr(fmt.Sprintf("name-%d", r.Int()))
			pages[i] = append(pages[i], t)
		}
	}
	return pages
}

// Moving tasks down within the decode array gives exactly what copying them out gives, whatever
// the duplicates, short pages and shared items left out, and really happens in place.
func TestJoinPages_InPlaceMatchesNaiveJoin(t *testing.T) {
	const limit = 8
	r := rand.New(rand.NewPCG(3, 5))
	for round := range 2000 {
		pages := randomPages(r, limit)
		skip := randomSkips(r, pages)
		want, wantDropped := naiveJoin(pages, skip)

		buf, views := layOut(pages, limit)
		got, dropped, _ := joinPages(views, skip, buf, limit, taskID, nil)
		if !reflect.DeepEqual(got, want) || dropped != wantDropped {
			t.Fatalf("round %d: in place got %d tasks (%d dropped), want %d (%d dropped)",
				round, len(got), dropped, len(want), wantDropped)
		}
		if len(got) > 0 && &got[0] != &buf[0] {
			t.Fatalf("round %d: the result was copied out of the decode array", round)
		}
		for i := len(got); i < len(buf); i++ {
			if !reflect.DeepEqual(buf[i], Task{}) {
				t.Fatalf("round %d: slot %d past the result still holds a task", round, i)
			}
		}

		copied, copiedDropped, _ := joinPages(pages, skip, nil, limit, taskID, nil)
		if !reflect.DeepEqual(copied, want) || copiedDropped != wantDropped {
			t.Fatalf("round %d: copying got %d tasks (%d dropped), want %d (%d dropped)",
				round, len(copied), copiedDropped, len(want), wantDropped)
		}
	}
}

// A page longer than the page size (an API that ignores limit) was decoded outside its window;
// joining must not write over a page it has not read yet.
func TestJoinPages_OversizedPageIsCopied(t *testing.T) {
	const limit = 2
	pages := [][]Task{
		{{ID: ptr("a")}, {ID: ptr("b")}, {ID: ptr("c")}},
		{{ID: ptr("d")}, {ID: ptr("a")}},
		{{ID: ptr("e")}},
	}
	buf, views := layOut([][]Task{pages[0][:limit], pages[1], pages[2]}, limit)
	views[0] = pages[0]
	got, dropped, _ := joinPages(views, nil, buf, limit, taskID, nil)
	want, wantDropped := naiveJoin(pages, nil)
	if !reflect.DeepEqual(got, want) || dropped != wantDropped {
		t.Fatalf("got %v (%d dropped), want %v (%d dropped)", ids(got), dropped, ids(want), wantDropped)
	}
	if &got[0] == &buf[0] {
		t.Fatal("an oversized page was joined in place")
	}
}

func ids(tasks []Task) []string {
	out := make([]string, len(tasks))
	for i, t := range tasks {
		if t.ID != nil {
			out[i] = *t.ID
		}
	}
	return out
}

// A task created in front of the pages already read pushes the tasks of a page onto the next
// one: the next page then holds the last task of the page before one place later, and the task
// ahead of it, repeated, is dropped there, so the count, grown by one, accounts for it. Repeats
// within a page (the reference example has three tasks with one id) are kept; so are tasks
// without an id, and one that two pages share is known by its content.
func TestListTasks_DedupesAcrossPagesNotWithin(t *testing.T) {
	const noID = `{"id":null,"name":"no id"}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("offset") {
		case "0":
			// The reference example: three tasks with one id on one page. Count raised to 6.
			writeJSON(w, http.StatusOK, strings.Replace(referenceExample, `"count" : 3`, `"count" : 6`, 1))
		case "2":
			// One task was created at the front since: the example's last task moved here, second.
			writeJSON(w, http.StatusOK, `{"count":7,"tasks":[{"id":"`+refID+`","state":"MIGRATE_SUCCESS"},{"id":"`+refID+`","state":"MIGRATE_SUCCESS"},`+noID+`]}`)
		case "4":
			writeJSON(w, http.StatusOK, `{"count":7,"tasks":[`+noID+`,{"name":"no id either"},{"id":"c"}]}`)
		default:
			writeJSON(w, http.StatusBadRequest, `{"error_code":"X","error_msg":"unexpected offset"}`)
		}
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListTasks(context.Background(), ListTasksQuery{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{refID, refID, refID, "<nil>", "<nil>", "c"}
	if got := taskIDs(list.Items); !slices.Equal(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
	if *list.Items[1].Name != "sms_task_xxx22" || *list.Items[2].Name != "sms_task_leddesktop" {
		t.Errorf("within-page duplicates were not kept in order")
	}
	if list.DuplicatesDropped != 1 || list.Requests != 3 || list.Incomplete() || list.Reread {
		t.Errorf("dropped = %d, requests = %d, incomplete = %v, reread = %v", list.DuplicatesDropped, list.Requests, list.Incomplete(), list.Reread)
	}
}
