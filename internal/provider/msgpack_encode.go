package provider

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file writes API structs straight into the msgpack that terraform-plugin-go would write for
// the same values, byte for byte, without building tftypes or framework values in between. The
// encoding is planned once per (struct type, schema type) pair by matching the struct's JSON names
// to the schema's attribute names, so it follows the schema: an attribute the struct lacks, or a
// field whose Go type cannot hold the attribute's type, fails the plan when the package loads.
// DESIGN.md ("Encoding listing reads directly") explains why and how the result is proven equal to
// the framework's.

// objectPlan encodes one struct type as one tftypes.Object.
type objectPlan struct {
	goType reflect.Type
	header []byte      // msgpack map header for the number of attributes
	fields []fieldPlan // in the order tftypes writes attributes: sorted by name
}

// fieldPlan encodes one struct field as one attribute.
type fieldPlan struct {
	key   []byte // the attribute name, msgpack-encoded
	index int    // of the struct field
	kind  fieldKind
	// elem plans the object of an object field (a pointer to a struct) or the elements of a list
	// field (a slice of structs).
	elem *objectPlan
	// derive computes a derived attribute from the whole object; see msgpack_derived.go.
	derive func(object reflect.Value) tftypes.Value
}

type fieldKind uint8

const (
	stringField     fieldKind = iota // *string as String
	int64Field                       // *int64 as Number
	float64Field                     // *float64 as Number
	boolField                        // *bool as Bool
	objectField                      // *struct as Object
	listField                        // []struct as List of Object
	stringListField                  // []*string as List of String
	derivedField                     // a derivedAttribute, not a struct field
)

// planObject matches the exported fields of goType, by their JSON names, to the attributes of
// objType.
func planObject(goType reflect.Type, objType tftypes.Object) (*objectPlan, error) {
	if goType.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s is not a struct", goType)
	}
	byName := map[string]reflect.StructField{}
	for _, f := range reflect.VisibleFields(goType) {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" && f.IsExported() {
			byName[name] = f
		}
	}
	names := make([]string, 0, len(objType.AttributeTypes))
	for name := range objType.AttributeTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	plan := &objectPlan{goType: goType, header: appendMapLen(nil, len(names))}
	for _, name := range names {
		fp, err := planAttribute(goType, byName, name, objType.AttributeTypes[name])
		if err != nil {
			return nil, err
		}
		fp.key = appendString(nil, name)
		plan.fields = append(plan.fields, fp)
	}
	return plan, nil
}

// planAttribute plans one attribute: from the struct field of its JSON name, or else from the
// derived attribute of that name registered for the struct type.
func planAttribute(goType reflect.Type, byName map[string]reflect.StructField, name string, attrType tftypes.Type) (fieldPlan, error) {
	if field, ok := byName[name]; ok {
		fp, err := planField(field, attrType)
		if err != nil {
			return fp, fmt.Errorf("%s.%s: %w", goType, field.Name, err)
		}
		return fp, nil
	}
	for _, d := range derivedAttributes[goType] {
		if d.name == name {
			fp, err := planDerived(d, attrType)
			if err != nil {
				return fp, fmt.Errorf("%s derived attribute %q: %w", goType, name, err)
			}
			return fp, nil
		}
	}
	return fieldPlan{}, fmt.Errorf("%s has no field with JSON name %q and no derived attribute of that name", goType, name)
}

func planField(field reflect.StructField, attrType tftypes.Type) (fieldPlan, error) {
	fp := fieldPlan{index: field.Index[0]}
	if len(field.Index) != 1 {
		return fp, fmt.Errorf("embedded fields are not supported")
	}
	t := field.Type
	mismatch := fmt.Errorf("a %s cannot hold the attribute's type %s", t, attrType)
	switch {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.String && attrType.Is(tftypes.String):
		fp.kind = stringField
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Int64 && attrType.Is(tftypes.Number):
		fp.kind = int64Field
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Float64 && attrType.Is(tftypes.Number):
		fp.kind = float64Field
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool && attrType.Is(tftypes.Bool):
		fp.kind = boolField
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && attrType.Is(tftypes.Object{}):
		objType, ok := attrType.(tftypes.Object)
		if !ok {
			return fp, mismatch
		}
		elem, err := planObject(t.Elem(), objType)
		if err != nil {
			return fp, err
		}
		fp.kind, fp.elem = objectField, elem
	case t == reflect.TypeFor[[]*string]() && attrType.Equal(tftypes.List{ElementType: tftypes.String}):
		fp.kind = stringListField
	case t.Kind() == reflect.Slice && attrType.Is(tftypes.List{}):
		objType, ok := attrType.(tftypes.List).ElementType.(tftypes.Object)
		if !ok {
			return fp, mismatch
		}
		elem, err := planObject(t.Elem(), objType)
		if err != nil {
			return fp, err
		}
		fp.kind, fp.elem = listField, elem
	default:
		return fp, mismatch
	}
	return fp, nil
}

// appendList appends a list of objects: items must be a slice of the plan's struct type. A nil
// slice is a null list, an empty one an empty list, as in the flattener.
func (p *objectPlan) appendList(b []byte, items reflect.Value) []byte {
	if items.IsNil() {
		return appendNil(b)
	}
	n := items.Len()
	b = appendArrayLen(b, n)
	for i := range n {
		b = p.appendObject(b, items.Index(i))
	}
	return b
}

// appendObject appends the object of v, a struct of the plan's type.
func (p *objectPlan) appendObject(b []byte, v reflect.Value) []byte {
	b = append(b, p.header...)
	for i := range p.fields {
		f := &p.fields[i]
		b = append(b, f.key...)
		switch f.kind {
		case derivedField:
			b = appendPrimitive(b, f.derive(v))
			continue
		case listField:
			b = f.elem.appendList(b, v.Field(f.index))
			continue
		case stringListField:
			b = appendStringList(b, v.Field(f.index))
			continue
		}
		fv := v.Field(f.index)
		if fv.IsNil() {
			b = appendNil(b)
			continue
		}
		switch e := fv.Elem(); f.kind {
		case stringField:
			b = appendString(b, e.String())
		case int64Field:
			b = appendInt(b, e.Int())
		case float64Field:
			b = appendNumber(b, e.Float())
		case boolField:
			b = appendBool(b, e.Bool())
		case objectField:
			b = f.elem.appendObject(b, e)
		}
	}
	return b
}

// listSize is the exact length of what appendList writes, so the state is written into one
// buffer of the right size instead of a growing one that copies itself several times.
func (p *objectPlan) listSize(items reflect.Value) int {
	if items.IsNil() {
		return 1
	}
	n := items.Len()
	size := len(appendArrayLen(nil, n))
	for i := range n {
		size += p.objectSize(items.Index(i))
	}
	return size
}

func (p *objectPlan) objectSize(v reflect.Value) int {
	size := len(p.header)
	var scratch [16]byte
	for i := range p.fields {
		f := &p.fields[i]
		size += len(f.key)
		switch f.kind {
		case derivedField:
			size += len(appendPrimitive(scratch[:0], f.derive(v)))
			continue
		case listField:
			size += f.elem.listSize(v.Field(f.index))
			continue
		case stringListField:
			size += stringListSize(v.Field(f.index))
			continue
		}
		fv := v.Field(f.index)
		if fv.IsNil() {
			size++
			continue
		}
		switch e := fv.Elem(); f.kind {
		case stringField:
			size += stringSize(e.Len())
		case int64Field:
			size += len(appendInt(scratch[:0], e.Int()))
		case float64Field:
			size += len(appendNumber(scratch[:0], e.Float()))
		case boolField:
			size++
		case objectField:
			size += f.elem.objectSize(e)
		}
	}
	return size
}

// stringSize is the length of a msgpack string of n bytes.
func stringSize(n int) int {
	switch {
	case n < 32:
		return 1 + n
	case n < 256:
		return 2 + n
	case n <= math.MaxUint16:
		return 3 + n
	}
	return 5 + n
}

// appendStringMap appends a map of strings, a nil value as null, in the map's iteration order as
// terraform-plugin-go does; Terraform reads a map's keys, not their order.
func appendStringMap(b []byte, m map[string]*string) []byte {
	b = appendMapLen(b, len(m))
	for k, v := range m {
		b = appendString(b, k)
		if v == nil {
			b = appendNil(b)
		} else {
			b = appendString(b, *v)
		}
	}
	return b
}

func stringMapSize(m map[string]*string) int {
	size := len(appendMapLen(nil, len(m)))
	for k, v := range m {
		size += stringSize(len(k)) + 1
		if v != nil {
			size += stringSize(len(*v)) - 1
		}
	}
	return size
}

// The writers below make the choices of the msgpack encoder terraform-plugin-go uses
// (vmihailenco/msgpack/v5 with its default flags): the shortest header for a length, the
// shortest integer for a whole number.

func appendNil(b []byte) []byte { return append(b, 0xc0) }

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xc3)
	}
	return append(b, 0xc2)
}

func appendString(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n < 256:
		b = append(b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		b = append(b, 0xda, byte(n>>8), byte(n))
	default:
		b = append(b, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, s...)
}

func appendArrayLen(b []byte, n int) []byte {
	switch {
	case n < 16:
		return append(b, 0x90|byte(n))
	case n <= math.MaxUint16:
		return append(b, 0xdc, byte(n>>8), byte(n))
	}
	return append(b, 0xdd, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendMapLen(b []byte, n int) []byte {
	switch {
	case n < 16:
		return append(b, 0x80|byte(n))
	case n <= math.MaxUint16:
		return append(b, 0xde, byte(n>>8), byte(n))
	}
	return append(b, 0xdf, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendUint(b []byte, n uint64) []byte {
	switch {
	case n <= math.MaxInt8:
		return append(b, byte(n))
	case n <= math.MaxUint8:
		return append(b, 0xcc, byte(n))
	case n <= math.MaxUint16:
		return append(b, 0xcd, byte(n>>8), byte(n))
	case n <= math.MaxUint32:
		return append(b, 0xce, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, 0xcf, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// appendInt writes every int64 exactly, beyond 2^53 too.
func appendInt(b []byte, n int64) []byte {
	u := uint64(n)
	switch {
	case n >= 0:
		return appendUint(b, u)
	case n >= -32:
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return append(b, 0xd1, byte(u>>8), byte(u))
	case n >= math.MinInt32:
		return append(b, 0xd2, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	}
	return append(b, 0xd3, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// appendNumber writes a float64 as terraform-plugin-go writes the Number big.NewFloat(f): a whole
// number in the int64 range as an integer, a fraction as a float64, and a whole number beyond
// the int64 range as its decimal digits. JSON has no NaN or infinity, so f is finite.
func appendNumber(b []byte, f float64) []byte {
	whole := f == math.Trunc(f)
	switch {
	case whole && f >= math.MinInt64 && f < math.MaxInt64:
		return appendInt(b, int64(f))
	case !whole:
		return appendFloat64(b, f)
	}
	return appendString(b, big.NewFloat(f).Text('f', -1))
}

func appendFloat64(b []byte, f float64) []byte {
	u := math.Float64bits(f)
	return append(b, 0xcb, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}
