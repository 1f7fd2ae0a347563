package provider

import (
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"golang.org/x/text/unicode/norm"
)

// Terraform stores every string in Unicode normalization form C, map keys included, so two keys
// that differ only in normalization ("café" composed and "cafe" with a combining accent) become
// one key, and which entry survives depends on the order the map is written in, which changes
// from run to run. For task_states that is a task's state silently replaced by another's, so a
// listing whose map keys collide that way fails the read instead.

// keyCollisionError names two keys of a map attribute that Terraform would store as one.
type keyCollisionError struct {
	attribute string
	keys      [2]string
}

func (e *keyCollisionError) Error() string {
	return fmt.Sprintf("%s would hold the keys %+q and %+q, which differ only in Unicode normalization; "+
		"Terraform stores both as one key, so which entry it keeps would change from run to run",
		e.attribute, truncate(e.keys[0], 80), truncate(e.keys[1], 80))
}

// checkMapKeys returns a *keyCollisionError when two keys of m have the same normalization form C.
// Keys already in that form, nearly all of them, cost one check each and no allocation.
func checkMapKeys[V any](attribute string, m map[string]V) error {
	var odd []string
	for k := range m {
		if !norm.NFC.IsNormalString(k) {
			odd = append(odd, k)
		}
	}
	if len(odd) == 0 {
		return nil // Distinct strings in form C stay distinct.
	}
	slices.Sort(odd) // The same pair is named on every run.
	seen := make(map[string]string, len(odd))
	for _, k := range odd {
		nfc := norm.NFC.String(k)
		if _, ok := m[nfc]; ok {
			return &keyCollisionError{attribute: attribute, keys: [2]string{nfc, k}}
		}
		if other, ok := seen[nfc]; ok {
			return &keyCollisionError{attribute: attribute, keys: [2]string{other, k}}
		}
		seen[nfc] = k
	}
	return nil
}

// setCounts sets each count attribute: the number of items per value of its key, items whose key
// is null not counted.
func setCounts[T any](r *dataSourceRead, items []T, keys map[string]func(*T) *string) error {
	for _, attribute := range slices.Sorted(maps.Keys(keys)) {
		key := keys[attribute]
		counts := map[string]int64{}
		for i := range items {
			if k := key(&items[i]); k != nil {
				counts[*k]++
			}
		}
		if err := checkMapKeys(attribute, counts); err != nil {
			return err
		}
		values := make(map[string]tftypes.Value, len(counts))
		for k, n := range counts {
			values[k] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
		}
		r.state[attribute] = tftypes.NewValue(tftypes.Map{ElementType: tftypes.Number}, values)
	}
	return nil
}

// truncate cuts s to at most n bytes at a rune boundary, for naming API text in a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
