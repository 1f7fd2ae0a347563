package directstate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// An encoding is planned once per struct type and object type, by matching the struct's JSON
// names to the object's attribute names, so it follows the schema: an attribute the struct lacks,
// or a field whose Go type cannot hold the attribute's type, fails the plan when the package that
// declares the List loads.

// DerivedFunc computes an attribute that is not a struct field from the whole struct value (such
// as a percentage computed from two fields). It returns a value of the attribute's type, a
// String, Number or Bool, or null. The data source should use the same function on the
// framework's path, so that both paths agree by construction.
type DerivedFunc func(object reflect.Value) tftypes.Value

// Derived looks up the derived attribute of Go struct type t named name. A nil Derived has none.
type Derived func(t reflect.Type, name string) (DerivedFunc, bool)

// List writes a []T as the value of one list attribute of the state. Declare it in a package
// variable with MustList, and call Put in the data source's Read.
type List[T any] struct {
	attribute string
	elem      *object
}

// MustList plans []T as the list attribute of that name and type, a list of objects. It panics
// on any mismatch between T and the type, so that a mismatch fails every test at package load.
func MustList[T any](attribute string, listType tftypes.Type, derived Derived) List[T] {
	elem, err := planList(reflect.TypeFor[T](), listType, derived)
	if err != nil {
		panic(fmt.Sprintf("directstate: attribute %q: %v", attribute, err))
	}
	return List[T]{attribute: attribute, elem: elem}
}

// Put hands items to the server as the attribute's value for this ReadDataSource call, and
// reports whether it did. It does only when the read runs under NewServer; the caller then leaves
// the attribute null in the state it sets, and otherwise sets the value through the framework.
// The items must not change until the read returns. Nil items are an empty list: a data source
// Attribute is the name of the list attribute, for the caller that sets it through the framework
// when Put reports that it is not under NewServer.
func (l List[T]) Attribute() string { return l.attribute }

// that wants a null list does not call Put.
func (l List[T]) Put(ctx context.Context, items []T) bool {
	return put(ctx, l.attribute, l.writer(items))
}

// Encode returns the msgpack of items as the attribute's value, as Put would write it. It fails
// only when a derived function returns a value that is not of its attribute's type.
func (l List[T]) Encode(items []T) ([]byte, error) {
	return encode(l.writer(items))
}

func (l List[T]) writer(items []T) writeFunc {
	if items == nil {
		items = []T{}
	}
	v := reflect.ValueOf(items)
	return func(enc *msgpack.Encoder) error { return l.elem.writeList(enc, v) }
}

// object writes one struct type as one tftypes.Object.
type object struct {
	fields []field // in the order tftypes writes attributes: sorted by name
}

// field writes one attribute of an object.
type field struct {
	name   string
	kind   *kind
	index  int          // of the struct field; -1 for a derived attribute
	elem   *object      // the nested objects of an object or list field
	derive DerivedFunc  // of a derived attribute
	typ    tftypes.Type // the attribute's type
}

func planList(goType reflect.Type, listType tftypes.Type, derived Derived) (*object, error) {
	list, ok := listType.(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("%s is not a list type", listType)
	}
	objType, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the elements of %s are not objects", listType)
	}
	return planObject(goType, objType, derived)
}

// planObject matches the exported fields of goType, by their JSON names, to the attributes of
// objType.
func planObject(goType reflect.Type, objType tftypes.Object, derived Derived) (*object, error) {
	if goType.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s is not a struct", goType)
	}
	if len(objType.OptionalAttributes) > 0 {
		return nil, errors.New("objects with optional attributes are not supported")
	}
	byName := map[string]reflect.StructField{}
	for i := range goType.NumField() {
		f := goType.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" && f.IsExported() {
			byName[name] = f
		}
	}
	o := &object{}
	for _, name := range slices.Sorted(maps.Keys(objType.AttributeTypes)) {
		f, err := planAttribute(goType, byName[name], name, objType.AttributeTypes[name], derived)
		if err != nil {
			return nil, err
		}
		o.fields = append(o.fields, f)
	}
	return o, nil
}

// planAttribute plans one attribute: from the struct field of its JSON name, or else from the
// derived attribute of that name.
func planAttribute(goType reflect.Type, sf reflect.StructField, name string, typ tftypes.Type, derived Derived) (field, error) {
	f := field{name: name, index: -1, typ: typ}
	if sf.Type == nil {
		if derived != nil {
			f.derive, _ = derived(goType, name)
		}
		switch {
		case f.derive == nil:
			return f, fmt.Errorf("%s has no field with JSON name %q and no derived attribute of that name", goType, name)
		case !isPrimitive(typ):
			return f, fmt.Errorf("%s derived attribute %q: type %s is not a String, Number or Bool", goType, name, typ)
		}
		f.kind = derivedKind
		return f, nil
	}
	f.index = sf.Index[0]
	for _, k := range kinds {
		ok, nested := k.matches(sf.Type, typ)
		if !ok {
			continue
		}
		f.kind = k
		if nested == nil {
			return f, nil
		}
		elem, err := planObject(nested.goType, nested.objType, derived)
		f.elem = elem
		return f, err
	}
	return f, fmt.Errorf("%s.%s: a %s cannot hold the attribute's type %s", goType, sf.Name, sf.Type, typ)
}

// writeList writes a list of objects: v must be a slice of the plan's struct type. A nil slice
// is a null list, an empty one an empty list.
func (o *object) writeList(enc *msgpack.Encoder, v reflect.Value) error {
	if v.IsNil() {
		return enc.EncodeNil()
	}
	n := v.Len()
	if err := enc.EncodeArrayLen(n); err != nil {
		return err
	}
	for i := range n {
		if err := o.writeObject(enc, v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// writeObject writes the object of v, a struct of the plan's type.
func (o *object) writeObject(enc *msgpack.Encoder, v reflect.Value) error {
	if err := enc.EncodeMapLen(len(o.fields)); err != nil {
		return err
	}
	for i := range o.fields {
		f := &o.fields[i]
		if err := enc.EncodeString(f.name); err != nil {
			return err
		}
		fv := v
		if f.index >= 0 {
			fv = v.Field(f.index)
		}
		if err := f.kind.write(enc, f, fv); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}
