package directstate

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// kind is one way a struct field is written as an attribute. Every kind is one entry of the kinds
// table: which Go and tftypes types it takes, and how it writes a value. There is no size beside
// write: the size of a value is what write writes into a counting writer (see encode.go), so the
// two cannot disagree.
type kind struct {
	// matches reports whether a field of Go type t holds attributes of type typ. For a kind that
	// nests objects it also returns the struct type and the object type to plan the nested
	// objects from.
	matches func(t reflect.Type, typ tftypes.Type) (ok bool, nested *nesting)
	// write writes v, the field's value (for a derived attribute, the whole object).
	write func(enc *msgpack.Encoder, f *field, v reflect.Value) error
}

// nesting is the struct type and object type of the objects inside an object or list field.
type nesting struct {
	goType  reflect.Type
	objType tftypes.Object
}

// kinds are the field kinds the encoding supports. They make terraform-plugin-go's choices
// because they write through the encoder it uses, with the same calls it makes: EncodeNil for
// null, EncodeInt for integers, EncodeFloat64 for fractions, EncodeString for strings and long
// numbers, EncodeArrayLen and EncodeMapLen for lists and objects.
var kinds = []*kind{
	{matches: pointerTo(reflect.String, tftypes.String), write: nullable(func(enc *msgpack.Encoder, _ *field, e reflect.Value) error {
		return enc.EncodeString(e.String())
	})},
	// An int64 is written as it is, so values beyond 2^53 stay exact.
	{matches: pointerTo(reflect.Int64, tftypes.Number), write: nullable(func(enc *msgpack.Encoder, _ *field, e reflect.Value) error {
		return enc.EncodeInt(e.Int())
	})},
	{matches: pointerTo(reflect.Float64, tftypes.Number), write: nullable(func(enc *msgpack.Encoder, _ *field, e reflect.Value) error {
		return writeFloat(enc, e.Float())
	})},
	{matches: pointerTo(reflect.Bool, tftypes.Bool), write: nullable(func(enc *msgpack.Encoder, _ *field, e reflect.Value) error {
		return enc.EncodeBool(e.Bool())
	})},
	{matches: stringList, write: writeStringList},
	{matches: objectOf, write: nullable(func(enc *msgpack.Encoder, f *field, e reflect.Value) error {
		return f.elem.writeObject(enc, e)
	})},
	{matches: listOfObjects, write: func(enc *msgpack.Encoder, f *field, v reflect.Value) error {
		return f.elem.writeList(enc, v)
	}},
}

// derivedKind writes a derived attribute, which has no field of its own: it is planned by name
// (see planAttribute), not matched by type, and written from the tftypes.Value its function
// computes from the whole object.
var derivedKind = &kind{write: func(enc *msgpack.Encoder, f *field, object reflect.Value) error {
	return writePrimitive(enc, f.derive(object), f.typ)
}}

func pointerTo(goKind reflect.Kind, typ tftypes.Type) func(reflect.Type, tftypes.Type) (bool, *nesting) {
	return func(t reflect.Type, attrType tftypes.Type) (bool, *nesting) {
		return t.Kind() == reflect.Pointer && t.Elem().Kind() == goKind && attrType.Equal(typ), nil
	}
}

func stringList(t reflect.Type, attrType tftypes.Type) (bool, *nesting) {
	return t == reflect.TypeFor[[]*string]() && attrType.Equal(tftypes.List{ElementType: tftypes.String}), nil
}

func objectOf(t reflect.Type, attrType tftypes.Type) (bool, *nesting) {
	objType, ok := attrType.(tftypes.Object)
	if !ok || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return false, nil
	}
	return true, &nesting{goType: t.Elem(), objType: objType}
}

func listOfObjects(t reflect.Type, attrType tftypes.Type) (bool, *nesting) {
	list, ok := attrType.(tftypes.List)
	if !ok || t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Struct {
		return false, nil
	}
	objType, ok := list.ElementType.(tftypes.Object)
	return ok, &nesting{goType: t.Elem(), objType: objType}
}

// nullable writes a nil pointer as null, and otherwise what write writes for the value it points to.
func nullable(write func(*msgpack.Encoder, *field, reflect.Value) error) func(*msgpack.Encoder, *field, reflect.Value) error {
	return func(enc *msgpack.Encoder, f *field, v reflect.Value) error {
		if v.IsNil() {
			return enc.EncodeNil()
		}
		return write(enc, f, v.Elem())
	}
}

// writeStringList writes a []*string: a nil slice is a null list, a nil element a null string.
func writeStringList(enc *msgpack.Encoder, _ *field, v reflect.Value) error {
	if v.IsNil() {
		return enc.EncodeNil()
	}
	list, _ := reflect.TypeAssert[[]*string](v)
	if err := enc.EncodeArrayLen(len(list)); err != nil {
		return err
	}
	for _, s := range list {
		var err error
		if s == nil {
			err = enc.EncodeNil()
		} else {
			err = enc.EncodeString(*s)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeFloat writes f as terraform-plugin-go writes the Number big.NewFloat(f). The two common
// cases, a whole number in the int64 range and a fraction, are decided without a big.Float;
// whole numbers beyond int64 take writeNumber's path.
func writeFloat(enc *msgpack.Encoder, f float64) error {
	switch whole := f == math.Trunc(f); {
	case math.IsNaN(f):
		return errors.New("NaN is not a number Terraform can hold")
	case whole && f >= math.MinInt64 && f < math.MaxInt64:
		return enc.EncodeInt(int64(f))
	case !whole:
		return enc.EncodeFloat64(f)
	}
	return writeNumber(enc, big.NewFloat(f))
}

// writeNumber writes a Number with the rules of tftypes' marshalMsgPackNumber: infinities as
// float64, an integer in the int64 range as an integer, an exact float64 fraction as a float64,
// anything else as its decimal digits.
func writeNumber(enc *msgpack.Encoder, n *big.Float) error {
	if n.IsInf() {
		return enc.EncodeFloat64(math.Inf(n.Sign()))
	}
	if i, acc := n.Int64(); acc == big.Exact {
		return enc.EncodeInt(i)
	}
	if f, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
		return enc.EncodeFloat64(f)
	}
	return enc.EncodeString(n.Text('f', -1))
}

// writePrimitive writes a derived value, which must be null or a known value of typ, a String,
// Number or Bool. Anything else is a bug in the derived function, and fails the read instead of
// sending a state of the wrong type.
func writePrimitive(enc *msgpack.Encoder, v tftypes.Value, typ tftypes.Type) error {
	if v.Type() == nil || !v.Type().Equal(typ) {
		return fmt.Errorf("a derived value of type %v is not a %s", v.Type(), typ)
	}
	if v.IsNull() {
		return enc.EncodeNil()
	}
	if !v.IsKnown() {
		return errors.New("a derived value is unknown")
	}
	switch {
	case typ.Equal(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		return enc.EncodeString(s)
	case typ.Equal(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return err
		}
		return enc.EncodeBool(b)
	}
	var n big.Float
	if err := v.As(&n); err != nil {
		return err
	}
	return writeNumber(enc, &n)
}

// isPrimitive reports whether a derived attribute may have type typ.
func isPrimitive(typ tftypes.Type) bool {
	return typ.Equal(tftypes.String) || typ.Equal(tftypes.Number) || typ.Equal(tftypes.Bool)
}
