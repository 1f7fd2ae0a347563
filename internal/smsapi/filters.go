package smsapi

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// An API or gateway that ignores a filter answers with items the query excluded: a listing of
// sms_tasks { state = "MIGRATE_SUCCESS" } that also holds MIGRATE_FAIL tasks lets an "every task
// succeeded" gate pass. So every item of every page is checked against the filters the API
// matches exactly, and an item that contradicts one makes the page an invalid response.
// Filters whose matching rule the reference leaves open (name, ip, ipv6) or whose value the items
// do not carry (migproject, vm_id) are not checked.

// itemFilter reads, from an item, the value an exact-match filter compares.
type itemFilter[T any] struct {
	key   string
	value func(item *T) *string
	// fold compares without regard to case, as ids are.
	fold bool
	// nullOK lets an item without the field pass: an answer may leave out a field such as the
	// enterprise project, and that is no sign of an ignored filter. A null state, cycle or id does
	// contradict the filter, since every real item has one.
	nullOK bool
}

// checkFilters returns an error naming the first item of items that contradicts one of filters.
func checkFilters[T any](items []T, filters url.Values, checks []itemFilter[T], noun string, itemID func(*T) (string, bool)) error {
	for _, check := range checks {
		if !filters.Has(check.key) {
			continue
		}
		want := filters.Get(check.key)
		for i := range items {
			got := check.value(&items[i])
			if got == nil && check.nullOK || got != nil && (*got == want || check.fold && strings.EqualFold(*got, want)) {
				continue
			}
			id, _ := itemID(&items[i])
			shown := "null"
			if got != nil {
				shown = strconv.Quote(truncate(*got, 80))
			}
			return fmt.Errorf("the API answered a query for %s = %q with one of the %s (id %q) whose %s is %s: "+
				"it does not apply the filter, so no item of the answer can be trusted to match it",
				check.key, truncate(want, 80), noun, truncate(id, 80), check.key, shown)
		}
	}
	return nil
}

// boolString is a bool as the query sends it, nil for nil.
func boolString(b *bool) *string {
	if b == nil {
		return nil
	}
	return new(strconv.FormatBool(*b))
}

// sortedChecks keeps the checks in key order, so the first contradiction named is the same on
// every run.
func sortedChecks[T any](checks ...itemFilter[T]) []itemFilter[T] {
	slices.SortFunc(checks, func(a, b itemFilter[T]) int { return strings.Compare(a.key, b.key) })
	return checks
}
