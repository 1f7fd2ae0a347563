package smsapi

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

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
				repeats := err == nil && repeatsFirstPage(ep, p, limit, i+1, firstIDs)
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
