package smsapi

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
)

// Endpoint describes one offset-paged list endpoint of the API (GET /v3/tasks, GET /v3/sources)
// to the paging engine, ListAll: what differs between endpoints is here, what must be the same for
// all of them is in ListAll. The client builds its Endpoints from a listSpec (tasksList,
// sourceServersList). The API of Endpoint, Page, Listing, ListAll and InconsistentListingError
// only grows.
type Endpoint[T any] struct {
	// Noun names the items in messages, in the plural: "tasks", "source servers".
	Noun string
	// ItemsKey is the body's key of the items array ("tasks", "source_servers"), named in errors.
	ItemsKey string
	// MaxLimit is the largest limit the endpoint accepts, at least 2 so that pages can overlap;
	// MaxOffset the largest offset.
	MaxLimit  int
	MaxOffset int
	// FetchPage performs the GET of the page at (limit, offset), holding one slot of the
	// client-wide concurrency limit while the request runs (Client.acquire), and decodes it.
	// dst is zeroed memory of capacity limit that the items may be decoded into (encoding/json
	// appends to the slice it is given), so pages need no copy when joined; nil for the first
	// page. Errors are returned as they are (an *APIError, a *DecodeError, a context error).
	// FetchPage should reject a page with more than limit items before decoding them, which is
	// what bounds memory (see checkPageShape); ListAll checks it again after.
	FetchPage func(ctx context.Context, limit, offset int, dst []T) (Page[T], error)
	// ItemID returns the id by which an item is known: the item a page shares with the page
	// before is found by it, and an item repeated on a later page is dropped. ok false means the
	// item has no id: it is never dropped as a repeat, and is known only by its whole content.
	ItemID func(item *T) (id string, ok bool)
	// ItemState returns an item's state, compared between copies of one id; nil compares none.
	ItemState func(item *T) string
}

// Page is one decoded page.
type Page[T any] struct {
	// Count is the body's count, nil when absent or null.
	Count *int64
	// Items are the page's items in API order.
	Items []T
	// ItemsNull reports that the items key was absent or null (as opposed to []).
	ItemsNull bool
	// RequestID is the response's request id, for diagnostics.
	RequestID string
}

// Listing is the result of ListAll.
type Listing[T any] struct {
	// Count is the API's count from the first page of the listing used.
	Count int64
	// Items are in API order, deduplicated across pages by id (never within a page), with the
	// item each page shares with the page before once. Never nil.
	Items []T
	// Requests is the number of pages fetched, over both listings when the first was re-read.
	Requests int
	// DuplicatesDropped counts items dropped because their id appeared on an earlier page, or
	// because they stood ahead of the item a page shares with the page before, which happens when
	// items are created while the pages are read. The shared items themselves are not counted.
	DuplicatesDropped int
	// OffsetCapped reports that Count exceeds what offsets up to MaxOffset can reach.
	OffsetCapped bool
	// Reread reports that the first listing contradicted itself and this is the second.
	Reread bool
	// FirstInconsistency says how the first listing contradicted itself when Reread is set.
	FirstInconsistency string
}

// Incomplete reports whether fewer items came back than the API counted. ListAll fails rather
// than return a listing that contradicts its count, so this happens only under the offset cap.
func (l *Listing[T]) Incomplete() bool {
	return l != nil && int64(len(l.Items)) < l.Count
}

// InconsistentListingError is returned when two listings in a row contradict themselves: the
// pages hold more or fewer items than count, a short page is followed by more items, or a page
// does not repeat the last item of the page before it. It names what was read against what was
// counted, and the request ids of the pages that disagree.
type InconsistentListingError struct {
	// Noun names the items: "tasks".
	Noun string
	// Count is the count of the second listing's first page.
	Count int64
	// Read is the number of items the second listing held after dropping repeats.
	Read int
	// Dropped is the number of items the second listing dropped as repeated across pages.
	Dropped int
	// Reason says how the second listing contradicts itself; FirstReason the first.
	Reason      string
	FirstReason string
	// RequestIDs are the request ids of the second listing's pages that disagree;
	// FirstRequestIDs those of the first listing.
	RequestIDs      []string
	FirstRequestIDs []string
	// PageCap, when not 0, is the number of items of the second listing's first page, fewer than
	// the PageSize it asked for while its count was larger: the API may cap its pages there, and
	// a smaller page size would then read the listing.
	PageCap  int
	PageSize int
}

func (e *InconsistentListingError) Error() string {
	if e == nil {
		return "smsapi: <nil InconsistentListingError>"
	}
	return "smsapi: the " + e.Noun + " listing contradicted itself on two reads in a row: " + e.Details()
}

// Details says what was read against what was counted, and how each read contradicted itself,
// with the request ids.
func (e *InconsistentListingError) Details() string {
	return fmt.Sprintf("read %d %s against a count of %d (%d more were dropped as repeated across pages). "+
		"Second read: %s%s. First read: %s%s",
		e.Read, e.Noun, e.Count, e.Dropped,
		e.Reason, requestIDsSuffix(e.RequestIDs), e.FirstReason, requestIDsSuffix(e.FirstRequestIDs))
}

func requestIDsSuffix(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " (request ids " + strings.Join(ids, ", ") + ")"
}

// listArguments checks what every listing call checks before its first request, a usable client
// and a page size the endpoint accepts, and returns the limit to send: PageSize 0 means the
// endpoint's largest page.
func (s *listSpec[T, R]) listArguments(ctx context.Context, c *Client, pageSize int) (int, error) {
	if err := c.usable(ctx); err != nil {
		return 0, err
	}
	switch maxLimit := s.maxPage(); {
	case pageSize == 0:
		return maxLimit, nil
	case pageSize < 0 || pageSize > maxLimit:
		return 0, fmt.Errorf("smsapi: PageSize must be between 1 and %d for %s, got %d", maxLimit, s.noun, pageSize)
	}
	return pageSize, nil
}

// maxPage is the largest limit the endpoint accepts.
func (s *listSpec[T, R]) maxPage() int {
	if s.maxLimit == 0 {
		return MaxPageSize
	}
	return s.maxLimit
}

// pageArguments is listArguments for a call that fetches one page, with its offset checked too.
func (s *listSpec[T, R]) pageArguments(ctx context.Context, c *Client, pageSize, offset int) (int, error) {
	limit, err := s.listArguments(ctx, c, pageSize)
	if err == nil && (offset < 0 || offset > MaxOffset) {
		err = fmt.Errorf("smsapi: offset must be between 0 and %d, got %d", MaxOffset, offset)
	}
	return limit, err
}

// listSpec describes one listing endpoint of the API, GET path answering {"count": n, itemsKey:
// [...]}, to the one request path (getAnswer) and the paging engine (ListAll). A new listing is
// its item type T, its body type R and one listSpec, used by a ListX and a ListXPage of one line.
type listSpec[T, R any] struct {
	// path is the endpoint's escaped path: "/v3/tasks".
	path string
	// itemsKey is the body's key of the items array: "tasks".
	itemsKey string
	// noun names the items in messages, in the plural: "tasks".
	noun string
	// name is what an error body came instead of: "a task list".
	name string
	// fields returns the body's count and where its items are, so pages are decoded without
	// reflection and straight into the listing's buffer.
	fields func(body *R) (count *int64, items *[]T)
	// itemID and itemState are Endpoint's ItemID and ItemState.
	itemID    func(item *T) (string, bool)
	itemState func(item *T) string
	// filters are the query's filters the API matches exactly, checked against every item of
	// every page (see checkFilters).
	filters []itemFilter[T]
	// maxLimit is the largest limit the endpoint accepts, when it is not MaxPageSize: the
	// migration project, error and template listings serve at most 100 per page.
	maxLimit int
}

// list reads every page with the filters through ListAll.
func (s *listSpec[T, R]) list(ctx context.Context, c *Client, filters url.Values, pageSize int) (*Listing[T], error) {
	limit, err := s.listArguments(ctx, c, pageSize)
	if err != nil {
		return nil, err
	}
	return ListAll(ctx, c, s.endpoint(c, filters), limit)
}

// page reads the one page at offset with the filters.
func (s *listSpec[T, R]) page(ctx context.Context, c *Client, filters url.Values, pageSize, offset int) (*R, error) {
	limit, err := s.pageArguments(ctx, c, pageSize, offset)
	if err != nil {
		return nil, err
	}
	body, _, err := s.get(ctx, c, filters, limit, offset, nil)
	return body, err
}

// endpoint describes the listing with the filters to ListAll.
func (s *listSpec[T, R]) endpoint(c *Client, filters url.Values) Endpoint[T] {
	return Endpoint[T]{
		Noun: s.noun, ItemsKey: s.itemsKey, MaxLimit: s.maxPage(), MaxOffset: MaxOffset,
		FetchPage: func(ctx context.Context, limit, offset int, dst []T) (Page[T], error) {
			body, reqID, err := s.get(ctx, c, filters, limit, offset, dst)
			if err != nil {
				return Page[T]{}, err
			}
			count, items := s.fields(body)
			return Page[T]{Count: count, Items: *items, ItemsNull: *items == nil, RequestID: reqID}, nil
		},
		ItemID:    s.itemID,
		ItemState: s.itemState,
	}
}

// get GETs the page at (limit, offset), decoding its items into dst's array when they fit (see
// Endpoint.FetchPage), and returns the body and its request id. The filters are built once per
// listing and shared by its concurrent pages, so each page copies them before adding its limit
// and offset. dst must be zeroed memory, because encoding/json leaves a field that is absent from
// the body as it finds it.
func (s *listSpec[T, R]) get(ctx context.Context, c *Client, filters url.Values, limit, offset int, dst []T) (*R, string, error) {
	query := make(url.Values, len(filters)+2)
	maps.Copy(query, filters)
	query.Set("limit", strconv.Itoa(limit))
	query.Set("offset", strconv.Itoa(offset))
	u, err := c.apiURL(s.path, query)
	if err != nil {
		return nil, "", err
	}
	var body R
	_, items := s.fields(&body)
	*items = dst[:0] // encoding/json appends to the slice it is given: the items land in dst's array.
	reqID, err := getAnswer(ctx, c, u, s.answer(limit, offset, filters), &body)
	if err != nil {
		return nil, reqID, err
	}
	return &body, reqID, nil
}

// answer is what the page at (limit, offset) of a query with filters must answer.
func (s *listSpec[T, R]) answer(limit, offset int, filters url.Values) answer[R] {
	return answer[R]{
		resource: s.noun + " page", offset: offset, want: "an object with count and " + s.itemsKey, name: s.name,
		itemsKey: s.itemsKey, limit: limit,
		settle: func(body *R, itemsPresent, scanned bool) error {
			_, items := s.fields(body)
			return settleItems(items, s.itemsKey, limit, itemsPresent, scanned)
		},
		validate: func(body *R) error {
			_, items := s.fields(body)
			return checkFilters(*items, filters, s.filters, s.noun, s.itemID)
		},
	}
}

// settleItems makes a decoded page's items nil exactly when the key was absent or null (decoding
// leaves dst[:0] in place when it is absent) and empty but not nil for [].
func settleItems[T any](items *[]T, itemsKey string, limit int, itemsPresent, scanned bool) error {
	switch {
	case !scanned:
		// Only a scanner weaker than encoding/json could get here (FuzzCheckPageShape checks it
		// cannot); the items are then kept as decoded and the limit checked after decoding.
		if limit > 0 && len(*items) > limit {
			return &TooManyItemsError{Key: itemsKey, Limit: limit}
		}
	case !itemsPresent:
		*items = nil
	case *items == nil:
		*items = []T{}
	}
	return nil
}
