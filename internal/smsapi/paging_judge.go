package smsapi

import (
	"fmt"
	"reflect"
)

// pageWindow is how a listing is paged: pages of size items at offsets that step by size−1, so
// that each page starts at the last item of the page before it and a shift of the listing
// between two requests shows as a page that does not repeat that item (DESIGN.md, "Consistent
// listings"). reach is the number of items that offsets up to the API's largest reach.
type pageWindow struct {
	size, step int
	reach      int64
}

// newPageWindow pages with the page size limit. A page of one item cannot share an item with
// the next, so page size 1 is read as pages of 2 that step by 1: as many requests as pages of
// one would take, each within the API's limits.
func newPageWindow(limit, maxOffset int) pageWindow {
	size := max(limit, 2)
	step := size - 1
	return pageWindow{size: size, step: step, reach: int64(maxOffset/step)*int64(step) + int64(size)}
}

// offsets are the offsets of the pages after the first of a listing of count items: a page is
// needed while the page before it ends before the last item, and the API accepts its offset.
func (w pageWindow) offsets(count int64, maxOffset int) []int {
	var out []int
	for off := w.step; int64(off)+1 < count && off <= maxOffset; off += w.step {
		out = append(out, off)
	}
	return out
}

// judge joins the pages and applies the listing's consistency rules (see ListAll).
func judge[T any](ep Endpoint[T], pages []fetchedPage[T], buf []T, w pageWindow, count int64, capped bool) *listingRead[T] {
	read := &listingRead[T]{Listing: &Listing[T]{Count: count, OffsetCapped: capped}}
	limit := w.size
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
	idOf := func(pageIndexes ...int) {
		for _, i := range pageIndexes {
			if id := pages[i].page.RequestID; id != "" {
				read.requestIDs = append(read.requestIDs, id)
			}
		}
	}
	if pages[last].repeatsFirst {
		read.inconsistency = fmt.Sprintf("the page at offset %d repeats the first page's %s (the API may ignore offset), "+
			"where the count is %d", pages[last].offset, ep.Noun, *pages[last].page.Count)
		idOf(0, last)
	}
	for i := last + 1; i < len(pages); i++ {
		if pages[i].fetched && len(pages[i].page.Items) > 0 && read.inconsistency == "" {
			read.inconsistency = fmt.Sprintf("the page at offset %d held %d of %d %s, yet the page at offset %d held %d more",
				pages[last].offset, len(pages[last].page.Items), limit, ep.Noun, pages[i].offset, len(pages[i].page.Items))
			idOf(last, i)
		}
	}
	views := make([][]T, last+1)
	for i := range views {
		views[i] = pages[i].page.Items
	}
	skip, gap := sharedItems(ep, views)
	if gap > 0 && read.inconsistency == "" {
		prev := views[gap-1]
		read.inconsistency = fmt.Sprintf("the page at offset %d does not repeat %s, the last of the page at offset %d: "+
			"%s before it were deleted or moved between the two requests", pages[gap].offset,
			describeItem(ep, &prev[len(prev)-1]), pages[gap-1].offset, ep.Noun)
		idOf(gap-1, gap)
	}
	var conflict string
	read.Items, read.DuplicatesDropped, conflict = joinPages(views, skip, buf, limit, ep.ItemID, ep.ItemState)
	if read.inconsistency != "" {
		return read
	}
	ends := func() {
		idOf(0)
		if last > 0 {
			idOf(last)
		}
	}
	if conflict != "" {
		read.inconsistency = "among the " + ep.Noun + ", " + conflict
		ends()
		return read
	}
	lastCount := *pages[last].page.Count
	// The positions the pages cover, each item two adjacent pages share counted once.
	span := int64(pages[last].offset + len(pages[last].page.Items))
	switch {
	case span != min(lastCount, w.reach):
		read.inconsistency = fmt.Sprintf("the pages held %d %s in all, where the count of the page at offset %d is %d",
			span, ep.Noun, pages[last].offset, lastCount)
		if lastCount > w.reach {
			read.inconsistency += fmt.Sprintf(" and offsets up to %d reach %d", ep.MaxOffset, w.reach)
		}
		if held := len(views[0]); last == 0 && held > 0 && held < limit && int64(held) < lastCount {
			read.inconsistency += fmt.Sprintf("; the first page held %d of the %d asked for, so the API may cap "+
				"the page size at %d", held, limit, held)
			read.pageCap = held
		}
		ends()
	case capped && span != w.reach:
		read.inconsistency = fmt.Sprintf("the pages held %d %s in all, where count (%d) is above what offsets up to %d reach (%d), so every page should be full",
			span, ep.Noun, count, ep.MaxOffset, w.reach)
		ends()
	case capped && int64(len(read.Items))+max(0, lastCount-count) < w.reach:
		// Under the cap, repeats are accounted for only by items created meanwhile.
		read.inconsistency = fmt.Sprintf("the pages repeated %d %s from earlier pages, where the count grew by %d",
			read.DuplicatesDropped, ep.Noun, max(0, lastCount-count))
		ends()
	case !capped && int64(len(read.Items)) != count:
		read.inconsistency = fmt.Sprintf("the pages held %d %s, %d of them repeated from an earlier page, where the first page's count is %d",
			span, ep.Noun, read.DuplicatesDropped, count)
		ends()
	}
	return read
}

// sharedItems finds, on each page after the first, the item it shares with the page before: that
// page's last item, first by design and later when items were created ahead of it between the
// two requests. skip[k] is the number of page k's items up to and including it, which are at or
// ahead of an item already read; gap is the first page that does not hold it at all, or 0. Pages
// before the last are full, so each has a last item. An empty last page is left to the count
// rules, which always fail it (the pages before it end short of the count that asked for it) and
// say more than "the item is missing".
func sharedItems[T any](ep Endpoint[T], pages [][]T) (skip []int, gap int) {
	skip = make([]int, len(pages))
	for k := 1; k < len(pages); k++ {
		prev := pages[k-1]
		if len(prev) == 0 || len(pages[k]) == 0 {
			continue
		}
		j := sharedAt(ep, &prev[len(prev)-1], pages[k])
		if j < 0 && gap == 0 {
			gap = k
		}
		skip[k] = j + 1
	}
	return skip, gap
}

// sharedAt returns the index of the first item of page that is item, or -1. An item is known by
// its id; one without an id can only be known by its content, so it must be equal as decoded.
func sharedAt[T any](ep Endpoint[T], item *T, page []T) int {
	id, hasID := ep.ItemID(item)
	for j := range page {
		other, ok := ep.ItemID(&page[j])
		switch {
		case hasID && ok && other == id:
			return j
		case !hasID && !ok && reflect.DeepEqual(*item, page[j]):
			return j
		}
	}
	return -1
}

// describeItem names an item in a message by its id.
func describeItem[T any](ep Endpoint[T], item *T) string {
	if id, ok := ep.ItemID(item); ok {
		return fmt.Sprintf("the item with id %q", truncate(id, 80)) // API text, cleaned when decoded but unbounded.
	}
	return "an item without an id"
}

// joinPages concatenates pages in order, leaving out the first skip[k] items of page k (the item
// it shares with the page before, and any ahead of it; see sharedItems), and drops an item whose
// id appeared on an earlier page. Duplicates within one page are kept: the API returns them (its
// own reference example does), and dropping them would hide what the API said. Items without an
// id are never dropped as repeats. dropped counts the items left out other than the one shared
// item per page. A repeated id whose state differs from its first copy's is a contradiction,
// returned as conflict: dropping either copy could hide a failure from a gate; the shared item is
// compared too, so a state that changed between two requests is seen. When pages 1.. sit in
// their windows of buf (see fetchPages), items move down within buf instead of being copied out;
// the write position never passes the read position, so no unread item is overwritten.
func joinPages[T any](pages [][]T, skip []int, buf []T, limit int, itemID func(*T) (string, bool), itemState func(*T) string) (items []T, dropped int, conflict string) {
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
		shared := 0
		if i < len(skip) {
			shared = skip[i]
		}
		for j := range p {
			id, ok := itemID(&p[j])
			f, seen := first[id]
			seen = seen && ok
			if seen && conflict == "" && itemState != nil && itemState(&items[f.index]) != itemState(&p[j]) {
				// API text, already cleaned when decoded, but still as long as the API made it.
				conflict = fmt.Sprintf("id %q is listed as %q and again as %q",
					truncate(id, 80), truncate(itemState(&items[f.index]), 80), truncate(itemState(&p[j]), 80))
			}
			switch {
			case j < shared:
				if j < shared-1 {
					dropped++ // Ahead of the shared item: read before, or created during the read.
				}
				continue
			case seen && f.page < i:
				dropped++
				continue
			case ok && !seen:
				first[id] = firstCopy{i, len(items)}
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
