package smsapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// thing and thingsBody stand for an endpoint that is not built yet (GET /v3/migprojects, say):
// a types file and one listSpec are all a new listing needs.
type thing struct {
	ID    *string `json:"id"`
	State *string `json:"state"`
}

type thingsBody struct {
	Count  *int64  `json:"count"`
	Things []thing `json:"things"`
}

var thingsList = listSpec[thing, thingsBody]{
	path: "/v3/things", itemsKey: "things", noun: "things", name: "a thing list",
	fields: func(b *thingsBody) (*int64, *[]thing) { return b.Count, &b.Things },
	itemID: func(t *thing) (string, bool) {
		if t.ID == nil {
			return "", false
		}
		return *t.ID, true
	},
	itemState: func(t *thing) string { return deref(t.State) },
}

// A listing described only by a listSpec gets the whole engine: its filters and paging on every
// request, every page decoded and joined in order, and its own names in errors.
func TestListSpec_ANewListingNeedsOnlyItsSpec(t *testing.T) {
	var (
		mu      sync.Mutex
		queries []string
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		switch r.URL.Query().Get("offset") {
		case "0":
			writeJSON(w, http.StatusOK, `{"count":3,"things":[{"id":"a"},{"id":"b"}]}`)
		default: // The second page repeats the last of the first.
			writeJSON(w, http.StatusOK, `{"count":3,"things":[{"id":"b"},{"id":"c","state":"done"}]}`)
		}
	})
	c := newTestClient(t, srv.URL)
	filters := url.Values{"project": {"p 1"}}
	list, err := thingsList.list(context.Background(), c, filters, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 || *list.Items[0].ID != "a" || *list.Items[2].State != "done" || list.Count != 3 {
		t.Errorf("listing = %+v", list)
	}
	mu.Lock()
	got := strings.Join(queries, " ")
	mu.Unlock()
	if want := "/v3/things?limit=2&offset=0&project=p+1 /v3/things?limit=2&offset=1&project=p+1"; got != want {
		t.Errorf("requests %q, want %q", got, want)
	}
	if len(filters) != 1 || len(filters["project"]) != 1 {
		t.Errorf("the pages changed the listing's filters: %v", filters)
	}

	bad := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":1,"things":[null]}`)
	})
	_, err = thingsList.page(context.Background(), newTestClient(t, bad.URL), nil, 0, 0)
	var de *DecodeError
	if !errors.As(err, &de) || de.Resource != "things page" ||
		!strings.Contains(err.Error(), `invalid response for things page (offset 0): the "things" array holds 1 null element(s), which are not things`) {
		t.Errorf("err = %v, want a DecodeError for the things page", err)
	}
}

// settleItems tells an absent or null items key (nil) from [] (empty), and drops what decoding
// left of the window when the key was absent.
func TestSettleItems(t *testing.T) {
	window := make([]thing, 0, 2)
	for _, tc := range []struct {
		name             string
		items            []thing
		present, scanned bool
		wantNil          bool
		wantErr          bool
	}{
		{"absent, the window left in place", window[:0], false, true, true, false},
		{"an empty array", nil, true, true, false, false},
		{"items", []thing{{}}, true, true, false, false},
		{"not scanned, over the limit", []thing{{}, {}, {}}, true, false, false, true},
		{"not scanned, kept as decoded", window[:0], false, false, false, false},
	} {
		items := tc.items
		err := settleItems(&items, "things", 2, tc.present, tc.scanned)
		if (err != nil) != tc.wantErr || (items == nil) != tc.wantNil {
			t.Errorf("%s: items %v (nil %v), err %v", tc.name, items, items == nil, err)
		}
	}
}
