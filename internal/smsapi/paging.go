package smsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ListAll reads every page of an endpoint with page size limit and returns the items, in API
// order, or an error: never part of a listing, since a gate that passes on part of the fleet is
// worse than none. Each page after the first starts at the last item of the page before it, so
// that an item that exists for the whole read cannot slip between two pages unseen (page size 1
// is read as pages of 2 for that reason). Page one gives count; the other pages are fetched
// concurrently. An invalid page fails the read at once; a listing that contradicts itself is read
// once more from offset 0 under the same context, then fails with an *InconsistentListingError.
// The rules are in DESIGN.md, "Consistent listings".
func ListAll[T any](ctx context.Context, c *Client, ep Endpoint[T], limit int) (*Listing[T], error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	if ep.FetchPage == nil || ep.ItemID == nil || ep.MaxLimit < 2 || ep.MaxOffset < 1 {
		return nil, errIncompleteEndpoint
	}
	if limit < 1 || limit > ep.MaxLimit {
		return nil, fmt.Errorf("smsapi: page size must be between 1 and %d, got %d", ep.MaxLimit, limit)
	}
	w := newPageWindow(limit, ep.MaxOffset)
	first, err := readListing(ctx, c, ep, w)
	if err != nil {
		return nil, err
	}
	if first.inconsistency == "" {
		return first.Listing, nil
	}
	c.log(ctx, false, "smsapi: listing contradicts itself, reading it again from offset 0", map[string]any{
		"items": ep.Noun, "reason": first.inconsistency, "request_ids": strings.Join(first.requestIDs, ", "),
	})
	first.Listing = &Listing[T]{Requests: first.Requests} // Its items are not used: let them go.
	second, err := readListing(ctx, c, ep, w)
	if err != nil {
		return nil, err
	}
	if second.inconsistency != "" {
		return nil, &InconsistentListingError{
			Noun: ep.Noun, Count: second.Count, Read: len(second.Items), Dropped: second.DuplicatesDropped,
			Reason: second.inconsistency, FirstReason: first.inconsistency,
			RequestIDs: second.requestIDs, FirstRequestIDs: first.requestIDs,
			PageCap: second.pageCap, PageSize: w.size,
		}
	}
	c.log(ctx, false, "smsapi: the second listing is consistent and is used", map[string]any{
		"items": ep.Noun, "count": second.Count, "read": len(second.Items), "first_reason": first.inconsistency,
	})
	second.Reread = true
	second.FirstInconsistency = first.inconsistency
	second.Requests += first.Requests
	return second.Listing, nil
}

// listingRead is one pass over the pages; inconsistency is "" when the pass is consistent.
type listingRead[T any] struct {
	*Listing[T]
	inconsistency string
	requestIDs    []string
	// pageCap is the number of items of a short first page while the count was larger (the API
	// may cap its pages there), or 0.
	pageCap int
}

// readListing reads the pages once and judges the result.
func readListing[T any](ctx context.Context, c *Client, ep Endpoint[T], w pageWindow) (*listingRead[T], error) {
	first, err := ep.FetchPage(ctx, w.size, 0, nil)
	if err != nil {
		return nil, err
	}
	if err := checkPage(ep, first, w.size, 0); err != nil {
		return nil, err
	}
	count := *first.Count
	capped := count > w.reach

	pages := []fetchedPage[T]{{page: first, offset: 0, fetched: true}}
	var buf []T
	if len(first.Items) == w.size && int64(w.size) < count {
		offsets := w.offsets(count, ep.MaxOffset)
		// One array for all pages, each decoded straight into its window (see joinPages).
		buf = make([]T, (1+len(offsets))*w.size)
		rest, err := fetchPages(ctx, c, ep, w.size, offsets, buf, firstPageIDs(ep, first.Items))
		if err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	}
	return judge(ep, pages, buf, w, count, capped), nil
}

// fetchedPage is a page of the listing, or a page that was never requested (fetched false)
// because a shorter page below it ended the listing.
type fetchedPage[T any] struct {
	page    Page[T]
	offset  int
	fetched bool
	// repeatsFirst reports a full page, the third or later, whose items all repeat the first
	// page (see repeatsFirstPage); it ends the listing like a short page.
	repeatsFirst bool
}

// firstPageIDs is the set of the ids of the first page's items.
func firstPageIDs[T any](ep Endpoint[T], items []T) map[string]struct{} {
	ids := make(map[string]struct{}, len(items))
	for i := range items {
		if id, ok := ep.ItemID(&items[i]); ok {
			ids[id] = struct{}{}
		}
	}
	return ids
}

// repeatsFirstPage reports a full page, the third (index 2) or later, whose items all have ids of
// the first page: what a server that ignores offset answers for every page. Left alone, with an
// endless count and page_size 1, it cost 65,536 requests per listing, twice. The second page
// shares one item with the first by design, the third none. Creating items in front while the
// pages are read pushes first-page items only as far as the number created, so the page at
// offset o needs o creations during one read; even then the listing is read again, not failed.
func repeatsFirstPage[T any](ep Endpoint[T], p Page[T], size, index int, first map[string]struct{}) bool {
	if index < 2 || len(p.Items) < size {
		return false
	}
	for i := range p.Items {
		id, ok := ep.ItemID(&p.Items[i])
		if !ok {
			return false
		}
		if _, seen := first[id]; !seen {
			return false
		}
	}
	return true
}

// checkPage applies the rules every page must meet on its own; a page that breaks one is an
// invalid response, not drift, so it fails the read at once.
func checkPage[T any](ep Endpoint[T], p Page[T], limit, offset int) error {
	bad := func(format string, args ...any) error {
		return &DecodeError{Resource: ep.Noun + " page", Offset: offset, RequestID: p.RequestID, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case len(p.Items) > limit:
		return bad("the page holds %d %s, more than the limit of %d it was asked for", len(p.Items), ep.Noun, limit)
	case p.Count == nil && offset == 0:
		return bad(`"count" is missing or null, so the number of pages is unknown`)
	case p.Count == nil:
		return bad(`"count" is missing or null`)
	case *p.Count < 0:
		return bad(`"count" is negative (%d)`, *p.Count)
	case p.ItemsNull && *p.Count > 0:
		return bad("%q is missing or null while \"count\" is %d", ep.ItemsKey, *p.Count)
	}
	return nil
}

// errIncompleteEndpoint guards against an Endpoint without FetchPage or ItemID, or whose limits
// leave no room for overlapping pages: a programming error.
var errIncompleteEndpoint = errors.New("smsapi: Endpoint needs FetchPage, ItemID, a MaxLimit of at least 2 and a MaxOffset of at least 1")
