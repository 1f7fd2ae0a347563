package smsapi

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A wait condition (until, fail_on) maps an item's top-level attribute, by its JSON name, to the
// values that match. Values are compared as Terraform shows the attribute: a string as it is, a
// bool as "true" or "false", a number in decimal. The same rules check a condition when Terraform
// validates the configuration (CheckCondition) and judge every item of every poll (Matches), so a
// condition that passes the plan means at apply what it meant at plan.

// Condition maps attribute names to the values that match; an item matches when, for every key,
// its value is one of the listed values. A null value matches nothing.
type Condition map[string][]string

// scalarField is a top-level attribute of an item type that a condition can name.
type scalarField struct {
	index int
	kind  reflect.Type // *string, *bool, *int64 or *float64
}

var (
	stringPtr  = reflect.TypeFor[*string]()
	boolPtr    = reflect.TypeFor[*bool]()
	int64Ptr   = reflect.TypeFor[*int64]()
	float64Ptr = reflect.TypeFor[*float64]()
)

// scalarFieldsCache holds scalarFieldsOf's answer per type: the reflection runs once.
var scalarFieldsCache sync.Map

// scalarFieldsOf returns the scalar top-level fields of struct type t by JSON name. Nested
// objects and lists are left out: a condition compares one value.
func scalarFieldsOf(t reflect.Type) map[string]scalarField {
	if cached, ok := scalarFieldsCache.Load(t); ok {
		fields, _ := cached.(map[string]scalarField)
		return fields
	}
	fields := map[string]scalarField{}
	for i := range t.NumField() {
		f := t.Field(i)
		switch f.Type {
		case stringPtr, boolPtr, int64Ptr, float64Ptr:
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields[name] = scalarField{index: i, kind: f.Type}
		}
	}
	scalarFieldsCache.Store(t, fields)
	return fields
}

// ConditionKeys lists the attributes of items of type T that a condition can name, sorted.
func ConditionKeys[T any]() []string {
	fields := scalarFieldsOf(reflect.TypeFor[T]())
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// canonicalValue is value as an item's attribute of kind would render it, or an error saying
// what the attribute takes. Numbers are compared by value: "7", "07" and "7.0" are one value of
// a float attribute; an integer attribute takes whole numbers only.
func canonicalValue(kind reflect.Type, value string) (string, error) {
	switch kind {
	case boolPtr:
		if value != "true" && value != "false" {
			return "", fmt.Errorf("is a bool: use \"true\" or \"false\", not %q", value)
		}
	case int64Ptr:
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return "", fmt.Errorf("is a whole number: %q is not one", value)
		}
		return strconv.FormatInt(n, 10), nil
	case float64Ptr:
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return "", fmt.Errorf("is a number: %q is not one", value)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	return value, nil
}

// renderValue is field f of item v as a condition compares it; ok is false for null.
func renderValue(v reflect.Value, f scalarField) (string, bool) {
	p := v.Field(f.index)
	if p.IsNil() {
		return "", false
	}
	e := p.Elem()
	switch f.kind {
	case boolPtr:
		return strconv.FormatBool(e.Bool()), true
	case int64Ptr:
		return strconv.FormatInt(e.Int(), 10), true
	case float64Ptr:
		return strconv.FormatFloat(e.Float(), 'f', -1, 64), true
	}
	return e.String(), true
}

// compiledCondition is a checked Condition, ready to judge items.
type compiledCondition struct {
	keys   []string // sorted, for messages that read the same on every run
	fields []scalarField
	values []map[string]bool
}

// CheckCondition checks a condition against the attributes of T and the documented values of its
// enumerated attributes (enums, by attribute name). The error names the attribute (argument is
// the condition's name, such as "until") and what it takes.
func CheckCondition[T any](argument string, c Condition, enums map[string][]string) error {
	_, err := compileCondition[T](argument, c, enums)
	return err
}

func compileCondition[T any](argument string, c Condition, enums map[string][]string) (*compiledCondition, error) {
	fields := scalarFieldsOf(reflect.TypeFor[T]())
	cc := &compiledCondition{}
	for key := range c {
		cc.keys = append(cc.keys, key)
	}
	sort.Strings(cc.keys)
	for _, key := range cc.keys {
		f, ok := fields[key]
		if !ok {
			return nil, fmt.Errorf("%s names %q, which is not a top-level attribute of the items with a single value; "+
				"use one of: %s", argument, key, strings.Join(ConditionKeys[T](), ", "))
		}
		if len(c[key]) == 0 {
			return nil, fmt.Errorf("%s.%s lists no value, so no item could match it; list at least one", argument, key)
		}
		values := make(map[string]bool, len(c[key]))
		for _, v := range c[key] {
			canon, err := canonicalValue(f.kind, v)
			if err != nil {
				return nil, fmt.Errorf("%s.%s %w", argument, key, err)
			}
			if allowed := enums[key]; allowed != nil && !slices.Contains(allowed, canon) {
				return nil, fmt.Errorf("%s.%s lists %q, which is not a documented value; use one of: %s",
					argument, key, v, strings.Join(allowed, ", "))
			}
			values[canon] = true
		}
		cc.fields = append(cc.fields, f)
		cc.values = append(cc.values, values)
	}
	return cc, nil
}

// matches reports whether item matches every key of the condition. An empty condition matches
// nothing, so that no fail_on fails no item.
func (cc *compiledCondition) matches(item reflect.Value) bool {
	if len(cc.keys) == 0 {
		return false
	}
	for i, f := range cc.fields {
		v, ok := renderValue(item, f)
		if !ok || !cc.values[i][v] {
			return false
		}
	}
	return true
}

// describe is the item's values of the condition's keys, "state = MIGRATE_FAIL", for messages.
func (cc *compiledCondition) describe(item reflect.Value) string {
	parts := make([]string, len(cc.keys))
	for i, f := range cc.fields {
		v, ok := renderValue(item, f)
		if !ok {
			v = "null"
		}
		parts[i] = cc.keys[i] + " = " + v
	}
	return strings.Join(parts, ", ")
}

// String is the condition as configured, "{ state = [MIGRATE_FAIL] }", for messages.
func (cc *compiledCondition) String() string {
	parts := make([]string, len(cc.keys))
	for i, key := range cc.keys {
		values := make([]string, 0, len(cc.values[i]))
		for v := range cc.values[i] {
			values = append(values, v)
		}
		sort.Strings(values)
		parts[i] = key + " = [" + strings.Join(values, ", ") + "]"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
