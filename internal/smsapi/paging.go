package smsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// ListAll reads every page of an endpoint with page size limit and returns the items once each,
// in API order, or an error: never part of a listing, since a gate that passes on part of the
// fleet is worse than none. Page one gives count; the other pages are fetched concurrently. An
// invalid page fails the read at once; a listing that contradicts itself is read once more from
// offset 0 under the same context, then fails with an *InconsistentListingError. The rules are
// in DESIGN.md, "Consistent listings".
func ListAll[T any](ctx context.Context, c *Client, ep Endpoint[T], limit int) (*Listing[T], error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	if ep.FetchPage == nil || ep.ItemID == nil {
		return nil, errIncompleteEndpoint
	}
	if limit < 1 || limit > ep.MaxLimit {
		return nil, fmt.Errorf("smsapi: page size must be between 1 and %d, got %d", ep.MaxLimit, limit)
	}
	first, err := readListing(ctx, c, ep, limit)
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
	second, err := readListing(ctx, c, ep, limit)
	if err != nil {
		return nil, err
	}
	if second.inconsistency != "" {
		return nil, &InconsistentListingError{
			Noun: ep.Noun, Count: second.Count, Read: len(second.Items), Dropped: second.DuplicatesDropped,
			Reason: second.inconsistency, FirstReason: first.inconsistency,
			RequestIDs: second.requestIDs, FirstRequestIDs: first.requestIDs,
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
}

// readListing reads the pages once and judges the result.
func readListing[T any](ctx context.Context, c *Client, ep Endpoint[T], limit int) (*listingRead[T], error) {
	first, err := ep.FetchPage(ctx, limit, 0, nil)
	if err != nil {
		return nil, err
	}
	if err := checkPage(ep, first, limit, 0); err != nil {
		return nil, err
	}
	count := *first.Count
	// The largest offset the API accepts that is a multiple of the page size, plus one page.
	reachable := int64(ep.MaxOffset/limit)*int64(limit) + int64(limit)
	capped := count > reachable

	pages := []fetchedPage[T]{{page: first, offset: 0, fetched: true}}
	var buf []T
	if len(first.Items) == limit && int64(limit) < count {
		var offsets []int
		for off := limit; int64(off) < count && off <= ep.MaxOffset; off += limit {
			offsets = append(offsets, off)
		}
		// One array for all pages, each decoded straight into its window (see joinPages).
		buf = make([]T, (1+len(offsets))*limit)
		rest, err := fetchPages(ctx, c, ep, limit, offsets, buf, firstPageIDs(ep, first.Items))
		if err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	}
	return judge(ep, pages, buf, limit, count, reachable, capped), nil
}

// fetchedPage is a page of the listing, or a page that was never requested (fetched false)
// because a shorter page below it ended the listing.
type fetchedPage[T any] struct {
	page    Page[T]
	offset  int
	fetched bool
	// repeatsFirst reports a full page, at offset 2·limit or more, whose items all repeat the
	// first page (see repeatsFirstPage); it ends the listing like a short page.
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

// repeatsFirstPage reports a full page at offset 2·limit or more whose items all have ids of the
// first page: what a server that ignores offset answers for every page. Left alone, with an
// endless count and page_size 1, it cost 65,536 requests per listing, twice. Creating items in
// front while the pages are read pushes first-page items only as far as the number created, so
// an offset of 2·limit needs 2·limit creations during one read; even then the listing is read
// again, not failed.
func repeatsFirstPage[T any](ep Endpoint[T], p Page[T], limit, offset int, first map[string]struct{}) bool {
	if offset < 2*limit || len(p.Items) < limit {
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

// fetchPages fetches the pages at offsets, each decoded into its window of buf (window i+1,
// since window 0 belongs to the first page), in fresh zeroed memory written once, so no field of
// an item can be left over from another. The client-wide semaphore limits requests to
// MaxConcurrency, and a page is decoded after its slot is given back; twice as many workers as
// slots keep every slot carrying a request while other pages are decoded, and bound goroutines
// for any count. A short page ends the listing: pages above it that are running are cancelled
// and pages above it that have not started never start. The first failure of a page that is
// still part of the listing cancels the others and is returned.
func fetchPages[T any](ctx context.Context, c *Client, ep Endpoint[T], limit int, offsets []int, buf []T, firstIDs map[string]struct{}) ([]fetchedPage[T], error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	out := make([]fetchedPage[T], len(offsets))
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
		// mu guards shortest and running, so that a page either registers before a short page
		// below it is seen (and is then cancelled) or sees it and never starts.
		mu       sync.Mutex
		shortest = len(offsets) // Index of the lowest short page seen; len(offsets) while none is.
		running  = map[int]context.CancelFunc{}
	)
	start := func(i int) (context.Context, bool) {
		mu.Lock()
		defer mu.Unlock()
		if i > shortest {
			return nil, false
		}
		pageCtx, cancelPage := context.WithCancel(ctx)
		running[i] = cancelPage
		return pageCtx, true
	}
	finish := func(i int, short bool) (cutOff bool) {
		mu.Lock()
		defer mu.Unlock()
		running[i]()
		delete(running, i)
		if short && i < shortest {
			shortest = i
			for j, cancelPage := range running {
				if j > i {
					cancelPage()
				}
			}
		}
		return i > shortest
	}
	workers := min(2*c.cfg.MaxConcurrency, len(offsets))
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(offsets) {
					return
				}
				pageCtx, ok := start(i)
				if !ok {
					return // Every index from here on is above a short page.
				}
				// The window's capacity ends where the next begins: a page longer than the limit
				// gets an array of its own instead of spilling into the next window.
				at := (i + 1) * limit
				p, err := ep.FetchPage(pageCtx, limit, offsets[i], buf[at:at:at+limit])
				if err == nil {
					err = checkPage(ep, p, limit, offsets[i])
				}
				repeats := err == nil && repeatsFirstPage(ep, p, limit, offsets[i], firstIDs)
				if finish(i, err == nil && (len(p.Items) < limit || repeats)) {
					continue // Above the end of the listing: whatever it returned is not used.
				}
				if err != nil {
					errOnce.Do(func() {
						firstErr = err
						cancel()
					})
					return
				}
				out[i] = fetchedPage[T]{page: p, offset: offsets[i], fetched: true, repeatsFirst: repeats}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		// Only the caller's context can be done here, since cancel runs only after a failure.
		return nil, fmt.Errorf("smsapi: listing %s: %w", ep.Noun, err)
	}
	return out, nil
}

// judge joins the pages and applies the listing's consistency rules (see ListAll).
func judge[T any](ep Endpoint[T], pages []fetchedPage[T], buf []T, limit int, count, reachable int64, capped bool) *listingRead[T] {
	read := &listingRead[T]{Listing: &Listing[T]{Count: count, OffsetCapped: capped}}
	// The listing ends at the first short page; pages above it that were fetched anyway (they
	// were already running) must be empty.
	last := len(pages) - 1
	for i, p := range pages {
		if !p.fetched {
			continue
		}
		read.Requests++
		if (len(p.page.Items) < limit || p.repeatsFirst) && i < last {
			last = i
		}
	}
	idOf := func(i int) {
		if id := pages[i].page.RequestID; id != "" {
			read.requestIDs = append(read.requestIDs, id)
		}
	}
	if pages[last].repeatsFirst {
		read.inconsistency = fmt.Sprintf("the page at offset %d repeats the first page's %s (the API may ignore offset), "+
			"where the count is %d", pages[last].offset, ep.Noun, *pages[last].page.Count)
		idOf(0)
		idOf(last)
	}
	for i := last + 1; i < len(pages); i++ {
		if pages[i].fetched && len(pages[i].page.Items) > 0 && read.inconsistency == "" {
			read.inconsistency = fmt.Sprintf("the page at offset %d held %d of %d %s, yet the page at offset %d held %d more",
				pages[last].offset, len(pages[last].page.Items), limit, ep.Noun, pages[i].offset, len(pages[i].page.Items))
			idOf(last)
			idOf(i)
		}
	}
	views := make([][]T, last+1)
	raw := 0
	for i := range views {
		views[i] = pages[i].page.Items
		raw += len(views[i])
	}
	var conflict string
	read.Items, read.DuplicatesDropped, conflict = joinPages(views, buf, limit, ep.ItemID, ep.ItemState)
	if read.inconsistency != "" {
		return read
	}
	if conflict != "" {
		read.inconsistency = "among the " + ep.Noun + ", " + conflict
		idOf(0)
		if last > 0 {
			idOf(last)
		}
		return read
	}
	lastCount := *pages[last].page.Count
	switch {
	case int64(raw) != min(lastCount, reachable):
		read.inconsistency = fmt.Sprintf("the pages held %d %s in all, where the count of the page at offset %d is %d",
			raw, ep.Noun, pages[last].offset, lastCount)
		if lastCount > reachable {
			read.inconsistency += fmt.Sprintf(" and offsets up to %d reach %d", ep.MaxOffset, reachable)
		}
		idOf(0)
		if last > 0 {
			idOf(last)
		}
	case capped && int64(raw) != reachable:
		read.inconsistency = fmt.Sprintf("the pages held %d %s in all, where count (%d) is above what offsets up to %d reach (%d), so every page should be full",
			raw, ep.Noun, count, ep.MaxOffset, reachable)
		idOf(0)
		if last > 0 {
			idOf(last)
		}
	case capped && int64(len(read.Items))+max(0, lastCount-count) < reachable:
		// Under the cap, repeats are accounted for only by tasks created meanwhile.
		read.inconsistency = fmt.Sprintf("the pages repeated %d %s from earlier pages, where the count grew by %d",
			read.DuplicatesDropped, ep.Noun, max(0, lastCount-count))
		idOf(0)
		if last > 0 {
			idOf(last)
		}
	case !capped && int64(len(read.Items)) != count:
		read.inconsistency = fmt.Sprintf("the pages held %d %s, %d of them repeated from an earlier page, where the first page's count is %d",
			raw, ep.Noun, read.DuplicatesDropped, count)
		idOf(0)
		if last > 0 {
			idOf(last)
		}
	}
	return read
}

// errIncompleteEndpoint guards against an Endpoint without FetchPage or ItemID, a programming error.
var errIncompleteEndpoint = errors.New("smsapi: Endpoint needs FetchPage and ItemID")

// joinPages concatenates pages in order and drops an item whose id appeared on an earlier page.
// Duplicates within one page are kept: the API returns them (its own reference example does), and
// dropping them would hide what the API said. Items without an id are never dropped. A repeated
// id whose state differs from its first copy's is a contradiction, returned as conflict: dropping
// either copy could hide a failure from a gate. When pages 1.. sit in their windows of buf (see
// fetchPages), items move down within buf instead of being copied out; the write position never
// passes the read position, so no unread item is overwritten.
func joinPages[T any](pages [][]T, buf []T, limit int, itemID func(*T) (string, bool), itemState func(*T) string) (items []T, dropped int, conflict string) {
	total := 0
	inPlace := buf != nil
	for i, p := range pages {
		total += len(p)
		switch {
		case len(p) > limit:
			inPlace = false // Writing it from the start of its window would reach the next one.
		case i > 0 && len(p) > 0 && inPlace && &p[0] != &buf[i*limit]:
			inPlace = false // The page was decoded somewhere else.
		}
	}
	items = buf[:0]
	if !inPlace {
		items = make([]T, 0, total)
	}
	// Where an id first appeared tells, in one pass, a duplicate across pages (dropped) from one
	// within a page (kept), without reading an item twice; the kept copy's state is compared.
	type firstCopy struct{ page, index int }
	first := make(map[string]firstCopy, total)
	for i, p := range pages {
		for j := range p {
			if id, ok := itemID(&p[j]); ok {
				f, seen := first[id]
				if seen && conflict == "" && itemState != nil && itemState(&items[f.index]) != itemState(&p[j]) {
					// API text, already cleaned when decoded, but still as long as the API made it.
					conflict = fmt.Sprintf("id %q is listed as %q and again as %q",
						truncate(id, 80), truncate(itemState(&items[f.index]), 80), truncate(itemState(&p[j]), 80))
				}
				if seen && f.page < i {
					dropped++
					continue
				}
				if !seen {
					first[id] = firstCopy{i, len(items)}
				}
			}
			items = append(items, p[j])
		}
	}
	if inPlace {
		// The items left behind past the end would keep what they point to reachable.
		clear(buf[len(items):])
	}
	return items, dropped, conflict
}
