package directstate

import (
	"bytes"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The tests compare the direct encoding with terraform-plugin-go's: the same Go values are turned
// into tftypes values by reflection here, in the most plain way, and encoded by
// tfprotov6.NewDynamicValue, which is what the framework does with a state.

// item has a field of every supported kind, an unexported field and derived attributes.
type item struct {
	Name    *string   `json:"name"`
	Count   *int64    `json:"count"`
	Ratio   *float64  `json:"ratio"`
	Enabled *bool     `json:"enabled"`
	Tags    []*string `json:"tags"`
	Owner   *owner    `json:"owner,omitempty"`
	Steps   []step    `json:"steps"`
	// Score is the value of the derived attribute score; it has no JSON name of its own.
	Score *big.Float `json:"-"`
	note  string     //nolint:unused // An unexported field is not an attribute.
}

type owner struct {
	ID    *string `json:"id"`
	Level *int64  `json:"level"`
}

type step struct {
	Name     *string  `json:"name"`
	Progress *float64 `json:"progress"`
}

// itemDerived has the derived attributes of item: label (the name in capitals, a String), score
// (a Number) and named (a Bool).
func itemDerived(t reflect.Type, name string) (DerivedFunc, bool) {
	if t != reflect.TypeFor[item]() {
		return nil, false
	}
	f, ok := map[string]DerivedFunc{
		"label": func(v reflect.Value) tftypes.Value {
			it, _ := reflect.TypeAssert[item](v)
			if it.Name == nil {
				return tftypes.NewValue(tftypes.String, nil)
			}
			return tftypes.NewValue(tftypes.String, strings.ToUpper(*it.Name))
		},
		"score": func(v reflect.Value) tftypes.Value {
			it, _ := reflect.TypeAssert[item](v)
			if it.Score == nil {
				return tftypes.NewValue(tftypes.Number, nil)
			}
			return tftypes.NewValue(tftypes.Number, it.Score)
		},
		"named": func(v reflect.Value) tftypes.Value {
			it, _ := reflect.TypeAssert[item](v)
			return tftypes.NewValue(tftypes.Bool, it.Name != nil)
		},
	}[name]
	return f, ok
}

var itemDerivedTypes = map[string]tftypes.Type{"label": tftypes.String, "score": tftypes.Number, "named": tftypes.Bool}

// typeOf is the tftypes type of a Go type of the supported kinds, a struct's attributes named by
// JSON name; extra adds attributes to the objects of the outermost struct type.
func typeOf(t reflect.Type, extra map[string]tftypes.Type) tftypes.Type {
	switch {
	case t == reflect.TypeFor[[]*string]():
		return tftypes.List{ElementType: tftypes.String}
	case t.Kind() == reflect.Slice:
		return tftypes.List{ElementType: typeOf(t.Elem(), nil)}
	case t.Kind() == reflect.Struct:
		attrs := map[string]tftypes.Type{}
		for i := range t.NumField() {
			if name := jsonName(t.Field(i)); name != "" {
				attrs[name] = typeOf(t.Field(i).Type, nil)
			}
		}
		for name, typ := range extra {
			attrs[name] = typ
		}
		return tftypes.Object{AttributeTypes: attrs}
	}
	switch t.Elem().Kind() {
	case reflect.String:
		return tftypes.String
	case reflect.Bool:
		return tftypes.Bool
	case reflect.Struct:
		return typeOf(t.Elem(), nil)
	}
	return tftypes.Number
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

// referenceValue is v as a value of typ, as a data source builds it on the framework's path.
func referenceValue(v reflect.Value, typ tftypes.Type, derived Derived) tftypes.Value {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice:
		if v.IsNil() {
			return tftypes.NewValue(typ, nil)
		}
	}
	switch x := v.Interface().(type) {
	case *string:
		return tftypes.NewValue(typ, *x)
	case *int64:
		return tftypes.NewValue(typ, new(big.Float).SetInt64(*x))
	case *float64:
		return tftypes.NewValue(typ, big.NewFloat(*x))
	case *bool:
		return tftypes.NewValue(typ, *x)
	}
	switch v.Kind() {
	case reflect.Pointer:
		return referenceValue(v.Elem(), typ, derived)
	case reflect.Slice:
		list, _ := typ.(tftypes.List)
		elemType := list.ElementType
		elems := make([]tftypes.Value, v.Len())
		for i := range elems {
			elems[i] = referenceValue(v.Index(i), elemType, derived)
		}
		return tftypes.NewValue(typ, elems)
	}
	attrs := map[string]tftypes.Value{}
	objType, _ := typ.(tftypes.Object)
	for name, attrType := range objType.AttributeTypes {
		attrs[name] = derivedOrField(v, name, attrType, derived)
	}
	return tftypes.NewValue(typ, attrs)
}

func derivedOrField(v reflect.Value, name string, typ tftypes.Type, derived Derived) tftypes.Value {
	for i := range v.NumField() {
		if jsonName(v.Type().Field(i)) == name {
			return referenceValue(v.Field(i), typ, derived)
		}
	}
	f, _ := derived(v.Type(), name)
	return f(v)
}

// checkSameBytes fails unless got is the msgpack terraform-plugin-go writes for want.
func checkSameBytes(t *testing.T, want tftypes.Value, got []byte) {
	t.Helper()
	ref, err := tfprotov6.NewDynamicValue(want.Type(), want)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, ref.MsgPack) {
		return
	}
	// Decoding tells which value differs, where bytes only tell where.
	decoded, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(want.Type())
	if err != nil {
		t.Fatalf("the direct encoding does not decode: %v", err)
	}
	if diffs, _ := decoded.Diff(want); len(diffs) > 0 {
		t.Errorf("the direct encoding decodes to another value; %d differences, first: %v", len(diffs), diffs[0])
	}
	at := 0
	for at < min(len(got), len(ref.MsgPack)) && got[at] == ref.MsgPack[at] {
		at++
	}
	t.Errorf("bytes differ from byte %d of %d (terraform-plugin-go wrote %d bytes)", at, len(got), len(ref.MsgPack))
}
