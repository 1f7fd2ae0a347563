package provider

import (
	"fmt"
	"math"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The direct encoding of attributes that are not plain struct fields: derived attributes, which
// the provider computes from the whole API object (such as replication_progress of a source
// server), and lists of strings.
//
// A derived attribute is encoded from the very tftypes.Value its derivedAttribute.value returns
// on the framework's path, so both paths share one definition of it and cannot disagree on its
// value; only the last step, writing that value as msgpack, is done here. Derived attributes are
// primitive and one per object, so building a tftypes.Value for each costs little.

// planDerived plans a derived attribute, which must be of a primitive type.
func planDerived(d derivedAttribute, attrType tftypes.Type) (fieldPlan, error) {
	if !attrType.Is(tftypes.String) && !attrType.Is(tftypes.Number) && !attrType.Is(tftypes.Bool) {
		return fieldPlan{}, fmt.Errorf("type %s is not primitive", attrType)
	}
	return fieldPlan{index: -1, kind: derivedField, derive: d.value}, nil
}

// appendPrimitive appends a known String, Number or Bool value, or null, as terraform-plugin-go
// writes it.
func appendPrimitive(b []byte, v tftypes.Value) []byte {
	if v.IsNull() {
		return appendNil(b)
	}
	switch t := v.Type(); {
	case t.Is(tftypes.String):
		var s string
		mustAs(v, &s)
		return appendString(b, s)
	case t.Is(tftypes.Bool):
		var x bool
		mustAs(v, &x)
		return appendBool(b, x)
	case t.Is(tftypes.Number):
		var n big.Float
		mustAs(v, &n)
		return appendBigNumber(b, &n)
	}
	panic(fmt.Sprintf("provider: a derived value of type %s cannot be encoded", v.Type()))
}

// mustAs reads a known primitive value of the matching type, which cannot fail; a failure is a
// bug in a derived attribute, found by the tests that compare both paths.
func mustAs(v tftypes.Value, dst any) {
	if err := v.As(dst); err != nil {
		panic(fmt.Sprintf("provider: derived value %s: %v", v, err))
	}
}

// appendBigNumber writes a Number with terraform-plugin-go's rules: an integer in the int64 range
// as an integer, an exact float64 fraction as a float64, infinities as float64, anything else as
// its decimal digits.
func appendBigNumber(b []byte, n *big.Float) []byte {
	if n.IsInf() {
		return appendFloat64(b, math.Inf(n.Sign()))
	}
	if i, acc := n.Int64(); acc == big.Exact {
		return appendInt(b, i)
	}
	if f, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return appendFloat64(b, f)
	}
	return appendString(b, n.Text('f', -1))
}

// appendStringList appends a []*string: a nil slice is a null list, a nil element a null string.
func appendStringList(b []byte, list reflect.Value) []byte {
	if list.IsNil() {
		return appendNil(b)
	}
	n := list.Len()
	b = appendArrayLen(b, n)
	for i := range n {
		if e := list.Index(i); e.IsNil() {
			b = appendNil(b)
		} else {
			b = appendString(b, e.Elem().String())
		}
	}
	return b
}

func stringListSize(list reflect.Value) int {
	if list.IsNil() {
		return 1
	}
	n := list.Len()
	size := len(appendArrayLen(nil, n))
	for i := range n {
		if e := list.Index(i); e.IsNil() {
			size++
		} else {
			size += stringSize(e.Elem().Len())
		}
	}
	return size
}
