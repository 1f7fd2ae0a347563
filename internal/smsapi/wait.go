package smsapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// Waiting for a wave: a listing is read again and again until every item matches until, and the
// wait fails at once when any item matches fail_on, when the listing is empty (a wave with
// nothing in it is almost always a typo in its filters) or when the timeout passes. Each poll is
// one complete listing with every rule of ListAll; the listing returned is the last poll's. The
// provider's data sources (wait) and its sms_wait action both wait through Wait.

// MinWaitInterval is the shortest interval between two polls.
const MinWaitInterval = time.Second

// maxListed bounds the items a message or a progress line names.
const maxListed = 10

// maxProblemLen bounds the API's error text quoted for one item.
const maxProblemLen = 300

// WaitConfig is one wait.
type WaitConfig struct {
	// Until and FailOn are the conditions; a nil FailOn means the kind's DefaultFailOn, an empty
	// non-nil one fails no item.
	Until, FailOn Condition
	// Timeout bounds the whole wait; Interval is the time from one poll's end to the next poll,
	// at least MinWaitInterval, stretched by the API's Retry-After.
	Timeout, Interval time.Duration
	// Progress, when set, is called after every poll that neither ends nor fails the wait.
	Progress func(WaitProgress)
}

// WaitProgress is where a wait stands after one poll.
type WaitProgress struct {
	Noun           string
	Poll           int
	Elapsed        time.Duration
	Matched, Total int
	// Waiting names the items that do not match until yet, at most ten; MoreWaiting counts the rest.
	Waiting     []string
	MoreWaiting int
	// Remaining is the longest of the API's estimates for the waiting items, when it gives one.
	Remaining      time.Duration
	RemainingKnown bool
	// Progress is the mean progress of the waiting items that report one, in percent.
	Progress      float64
	ProgressKnown bool
	// Next is the time until the next poll.
	Next time.Duration
}

// String is the progress as one line for a person watching.
func (p WaitProgress) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "poll %d after %s: %d of %d %s done", p.Poll, p.Elapsed.Round(time.Second), p.Matched, p.Total, p.Noun)
	if len(p.Waiting) > 0 {
		b.WriteString("; waiting for " + listed(p.Waiting, p.MoreWaiting))
	}
	if p.ProgressKnown {
		fmt.Fprintf(&b, "; %.0f%% along", p.Progress)
	}
	if p.RemainingKnown {
		fmt.Fprintf(&b, "; the API estimates %s more", p.Remaining.Round(time.Second))
	}
	fmt.Fprintf(&b, "; next poll in %s", p.Next.Round(time.Second))
	return b.String()
}

// WaitReason says why a wait failed.
type WaitReason int

const (
	// WaitFailed means an item matched fail_on.
	WaitFailed WaitReason = iota + 1
	// WaitTimedOut means the timeout passed before every item matched until.
	WaitTimedOut
	// WaitEmpty means the listing had no item.
	WaitEmpty
)

// WaitError is a wait that ended without every item matching until.
type WaitError struct {
	Reason WaitReason
	Noun   string
	// Condition is fail_on for WaitFailed and until for WaitTimedOut, as configured.
	Condition string
	Polls     int
	Waited    time.Duration
	Timeout   time.Duration
	// Matched and Total count the items of the last poll that matched until, and all of them.
	Matched, Total int
	// Items describe the failing items (WaitFailed) or those not done (WaitTimedOut), at most ten;
	// More counts the rest.
	Items []string
	More  int
}

func (e *WaitError) Error() string {
	switch e.Reason {
	case WaitFailed:
		return fmt.Sprintf("%d of %d %s match fail_on %s (poll %d, after %s): %s", len(e.Items)+e.More, e.Total, e.Noun,
			e.Condition, e.Polls, e.Waited.Round(time.Second), listed(e.Items, e.More))
	case WaitTimedOut:
		return fmt.Sprintf("timed out after waiting %s (timeout %s, %d polls): %d of %d %s match until %s; not yet: %s",
			e.Waited.Round(time.Second), e.Timeout, e.Polls, e.Matched, e.Total, e.Noun, e.Condition, listed(e.Items, e.More))
	default:
		return fmt.Sprintf("nothing matches these filters: the listing of %s is empty (poll %d)", e.Noun, e.Polls)
	}
}

// listed is up to ten items joined, and how many more there are.
func listed(items []string, more int) string {
	s := strings.Join(items, "; ")
	if more > 0 {
		s += fmt.Sprintf("; and %d more", more)
	}
	return s
}

// Wait polls until every item of a non-empty listing matches cfg.Until, and returns that last
// listing. It fails with a *WaitError when an item matches fail_on, when a listing is empty and
// when cfg.Timeout passes; with poll's own error when a poll fails (a Retry-After beyond what the
// client waits for is waited out first, within the timeout); and with the context's error as
// soon as ctx ends. c, when not nil, is the client poll reads through: the next poll waits for
// its Retry-After gate.
func Wait[T any](ctx context.Context, c *Client, kind *WaitKind[T], cfg WaitConfig,
	poll func(context.Context) (*Listing[T], error)) (*Listing[T], error) {
	until, err := compileCondition[T]("until", cfg.Until, kind.Enums)
	if err != nil {
		return nil, err
	}
	if len(until.keys) == 0 {
		return nil, errors.New("until names no attribute, so no item could match it")
	}
	failOn := cfg.FailOn
	if failOn == nil {
		failOn = kind.DefaultFailOn
	}
	fail, err := compileCondition[T]("fail_on", failOn, kind.Enums)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		return nil, fmt.Errorf("the wait's timeout must be above zero, got %s", cfg.Timeout)
	}
	w := &waiter[T]{kind: kind, until: until, fail: fail, cfg: cfg, start: time.Now()}
	w.cfg.Interval = max(cfg.Interval, MinWaitInterval)
	deadline := w.start.Add(cfg.Timeout)
	pollCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	for {
		w.polls++
		list, err := poll(pollCtx)
		if err != nil {
			if ctx.Err() == nil && pollCtx.Err() != nil {
				return nil, w.timedOut()
			}
			if resume, ok := retryAfterWithin(err, deadline); ok {
				if err := sleepUntil(ctx, resume); err != nil {
					return nil, err
				}
				continue
			}
			return nil, err
		}
		done, err := w.judge(list)
		if done || err != nil {
			return list, err
		}
		next := time.Now().Add(w.cfg.Interval)
		if c != nil {
			next = later(next, c.gateOpens())
		}
		w.report(time.Until(next))
		if next.After(deadline) {
			next = deadline
		}
		if err := sleepUntil(ctx, next); err != nil {
			return nil, err
		}
		if !time.Now().Before(deadline) {
			return nil, w.timedOut()
		}
	}
}

// waiter is the state of one Wait.
type waiter[T any] struct {
	kind        *WaitKind[T]
	until, fail *compiledCondition
	cfg         WaitConfig
	start       time.Time
	polls       int
	// last is the last poll's judgement: the items matching until, all items, those not done.
	matched, total int
	waiting        []*T
}

// judge judges one poll's listing: done when every item matches until, an error when one
// matches fail_on or there is none.
func (w *waiter[T]) judge(list *Listing[T]) (bool, error) {
	if len(list.Items) == 0 {
		return false, &WaitError{Reason: WaitEmpty, Noun: w.kind.Noun, Polls: w.polls, Waited: time.Since(w.start)}
	}
	var failed []string
	w.matched, w.total, w.waiting = 0, len(list.Items), w.waiting[:0]
	for i := range list.Items {
		item := &list.Items[i]
		v := reflect.ValueOf(item).Elem()
		switch {
		case w.fail.matches(v):
			failed = append(failed, w.failure(item, v))
		case w.until.matches(v):
			w.matched++
		default:
			w.waiting = append(w.waiting, item)
		}
	}
	if len(failed) > 0 {
		shown := failed[:min(len(failed), maxListed)]
		return false, &WaitError{Reason: WaitFailed, Noun: w.kind.Noun, Condition: w.fail.String(), Polls: w.polls,
			Waited: time.Since(w.start), Matched: w.matched, Total: w.total, Items: shown, More: len(failed) - len(shown)}
	}
	return len(w.waiting) == 0, nil
}

// failure describes an item that matches fail_on: its label, its values and the API's error.
func (w *waiter[T]) failure(item *T, v reflect.Value) string {
	s := w.kind.Label(item) + ": " + w.fail.describe(v)
	if p := w.kind.Problem(item); p != "" {
		s += ", error: " + oneLine(p, maxProblemLen)
	}
	return s
}

// timedOut is the timeout's error, from the last poll that was judged.
func (w *waiter[T]) timedOut() error {
	e := &WaitError{Reason: WaitTimedOut, Noun: w.kind.Noun, Condition: w.until.String(), Polls: w.polls,
		Waited: time.Since(w.start), Timeout: w.cfg.Timeout, Matched: w.matched, Total: w.total}
	for _, item := range w.waiting[:min(len(w.waiting), maxListed)] {
		e.Items = append(e.Items, w.kind.Label(item)+": "+w.until.describe(reflect.ValueOf(item).Elem()))
	}
	e.More = len(w.waiting) - len(e.Items)
	if w.total == 0 {
		e.Items = []string{"no poll finished within the timeout"}
	}
	return e
}

// report calls the progress callback with the last poll's judgement.
func (w *waiter[T]) report(next time.Duration) {
	if w.cfg.Progress == nil {
		return
	}
	p := WaitProgress{Noun: w.kind.Noun, Poll: w.polls, Elapsed: time.Since(w.start), Matched: w.matched,
		Total: w.total, Next: next}
	now := time.Now()
	var sum float64
	var reported int
	for i, item := range w.waiting {
		if i < maxListed {
			p.Waiting = append(p.Waiting, w.kind.Label(item))
		}
		if d, ok := w.kind.Remaining(item, now); ok {
			p.Remaining, p.RemainingKnown = max(p.Remaining, d), true
		}
		if pr, ok := w.kind.Progress(item); ok {
			sum += pr
			reported++
		}
	}
	p.MoreWaiting = len(w.waiting) - len(p.Waiting)
	if reported > 0 {
		p.Progress, p.ProgressKnown = sum/float64(reported), true
	}
	w.cfg.Progress(p)
}

// retryAfterWithin reports when to poll again after a poll the API throttled for longer than the
// client waits on its own, when that is before the deadline.
func retryAfterWithin(err error, deadline time.Time) (time.Time, bool) {
	ae, ok := AsAPIError(err)
	if !ok || ae.RetryAfter.IsZero() || ae.Status != http.StatusTooManyRequests || !ae.RetryAfter.Before(deadline) {
		return time.Time{}, false
	}
	return ae.RetryAfter, true
}

// gateOpens is the instant the client's Retry-After gate opens; in the past when it is open.
func (c *Client) gateOpens() time.Time {
	c.gateMu.Lock()
	defer c.gateMu.Unlock()
	return c.gateUntil
}

// sleepUntil waits until t or until ctx ends, whichever is first.
func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// oneLine is s with line breaks as spaces, cut to limit runes.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
