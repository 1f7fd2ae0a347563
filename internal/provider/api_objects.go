package provider

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// Every data source names its computed attributes after the API's fields, so its schema is
// derived from the client's types: one attribute per json tag, described by the field's doc tag,
// nested objects as single nested attributes and arrays as lists. Values are built from the same
// types by apiValue, against tftypes derived from that schema, so a field is declared once, in
// internal/smsapi, and schema, types and values cannot drift apart. apiValue is the framework's
// path and the reference the tests compare with; the large lists of the listing data sources reach
// the state through the direct encoding instead (see direct_read.go).

// derivedAttribute is an attribute computed by the provider from an API object, beside the
// API's own fields.
type derivedAttribute struct {
	name      string
	attribute schema.Attribute
	value     func(object reflect.Value) tftypes.Value
}

// derivedAttributes lists the derived attributes of each API type. It is a variable's initial
// value, not filled by init functions, because the direct encodings planned in other package
// variables (serversEncoding) need it, and variables are initialized before init functions run.
var derivedAttributes = map[reflect.Type][]derivedAttribute{
	reflect.TypeFor[smsapi.SourceServerItem]():      sourceServerDerivedAttributes,
	reflect.TypeFor[smsapi.TaskConsistencyResult](): consistencyResultDerivedAttributes,
	reflect.TypeFor[smsapi.ConsistencyCheck]():      consistencyCheckDerivedAttributes,
}

// codeSpan turns the doc tags' 'code' into Markdown `code`.
var codeSpan = regexp.MustCompile(`'([^'\s]+)'`)

func fieldDoc(f reflect.StructField) string {
	doc := f.Tag.Get("doc")
	if doc == "" {
		panic(fmt.Sprintf("provider: %s.%s has no doc tag", f.Type, f.Name))
	}
	return codeSpan.ReplaceAllString(doc, "`$1`")
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// apiAttributes returns the computed attributes of an API struct type, keyed by JSON name.
func apiAttributes(t reflect.Type) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		attrs[jsonName(f)] = apiAttribute(f.Type, fieldDoc(f))
	}
	for _, d := range derivedAttributes[t] {
		attrs[d.name] = d.attribute
	}
	return attrs
}

func apiAttribute(t reflect.Type, doc string) schema.Attribute {
	switch {
	case t == reflect.TypeFor[*string]():
		return computedString(doc)
	case t == reflect.TypeFor[*int64]():
		return computedInt64(doc)
	case t == reflect.TypeFor[*float64]():
		return computedFloat64(doc)
	case t == reflect.TypeFor[*bool]():
		return computedBool(doc)
	case t == reflect.TypeFor[[]*string]():
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: doc}
	case t == stringMapType:
		return schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: doc + " Null when the API returns none."}
	case t == reflect.SliceOf(stringMapType):
		return schema.ListAttribute{Computed: true, ElementType: types.MapType{ElemType: types.StringType},
			MarkdownDescription: doc + " In API order; null when the API returns none."}
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: doc + " Null when the API returns none.",
			Attributes: apiAttributes(t.Elem())}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return schema.ListNestedAttribute{Computed: true, MarkdownDescription: doc + " In API order; null when the API returns none.",
			NestedObject: schema.NestedAttributeObject{Attributes: apiAttributes(t.Elem())}}
	}
	panic(fmt.Sprintf("provider: no attribute for API field type %s", t))
}

// stringMapType is the Go type of an API object whose keys are data, such as the Agent's config:
// a map of String, a value that is JSON null kept null.
var stringMapType = reflect.TypeFor[map[string]*string]()

// apiValue converts an API value (a field of the types apiAttributes describes, or a struct of
// them) to a value of typ. A nil pointer, slice or map becomes null; int64 stays exact.
func apiValue(v reflect.Value, typ tftypes.Type) tftypes.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return tftypes.NewValue(typ, nil)
		}
		switch p := v.Interface().(type) {
		case *string:
			return stringValue(p)
		case *int64:
			return int64Value(p)
		case *float64:
			return float64Value(p)
		case *bool:
			return boolValue(p)
		}
		return apiValue(v.Elem(), typ)
	case reflect.Slice:
		if v.IsNil() {
			return tftypes.NewValue(typ, nil)
		}
		elemType := schemaType[tftypes.List](typ).ElementType
		elems := make([]tftypes.Value, v.Len())
		for i := range elems {
			elems[i] = apiValue(v.Index(i), elemType)
		}
		return tftypes.NewValue(typ, elems)
	case reflect.Map:
		if v.IsNil() {
			return tftypes.NewValue(typ, nil)
		}
		elemType := schemaType[tftypes.Map](typ).ElementType
		elems := make(map[string]tftypes.Value, v.Len())
		for it := v.MapRange(); it.Next(); {
			elems[it.Key().String()] = apiValue(it.Value(), elemType)
		}
		return tftypes.NewValue(typ, elems)
	case reflect.Struct:
		return tftypes.NewValue(typ, apiObjectAttributes(v, schemaType[tftypes.Object](typ)))
	}
	panic(fmt.Sprintf("provider: no value for API field kind %s", v.Kind()))
}

// apiObjectAttributes converts the fields of struct value v to the attributes of typ, derived
// ones included. Attributes of typ that v does not have are left for the caller to set.
func apiObjectAttributes(v reflect.Value, typ tftypes.Object) map[string]tftypes.Value {
	t := v.Type()
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		attrs[name] = apiValue(v.Field(i), typ.AttributeTypes[name])
	}
	for _, d := range derivedAttributes[t] {
		attrs[d.name] = d.value(v)
	}
	return attrs
}

// checkAPIMapKeys returns a *keyCollisionError (see checkMapKeys) for the first map reachable
// from the API value v that holds two keys Terraform would store as one, named by its path from
// name ("regions[1]").
func checkAPIMapKeys(name string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return checkAPIMapKeys(name, v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := checkAPIMapKeys(fmt.Sprintf("%s[%d]", name, i), v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			field := jsonName(v.Type().Field(i))
			if name != "" {
				field = name + "." + field
			}
			if err := checkAPIMapKeys(field, v.Field(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := make(map[string]struct{}, v.Len())
		for it := v.MapRange(); it.Next(); {
			keys[it.Key().String()] = struct{}{}
		}
		return checkMapKeys(name, keys)
	}
	return nil
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: description}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: description}
}

func computedFloat64(description string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: description}
}

func computedBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: description}
}

var nullNumber = tftypes.NewValue(tftypes.Number, nil)

func stringValue(p *string) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *p)
}

func boolValue(p *bool) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(tftypes.Bool, nil)
	}
	return tftypes.NewValue(tftypes.Bool, *p)
}

// int64Value keeps every bit of an int64: SetInt64 is exact, unlike a detour through float64.
func int64Value(p *int64) tftypes.Value {
	if p == nil {
		return nullNumber
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(*p))
}

func float64Value(p *float64) tftypes.Value {
	if p == nil {
		return nullNumber
	}
	return tftypes.NewValue(tftypes.Number, big.NewFloat(*p))
}

func terraformTypeOf(t interface {
	TerraformType(context.Context) tftypes.Type
}) tftypes.Type {
	return t.TerraformType(context.Background())
}

// schemaType converts a type the framework derived from a schema of this package. Any other type
// is a bug in the schema, found by every test that loads it.
func schemaType[T any](v any) T {
	t, ok := v.(T)
	if !ok {
		panic(fmt.Sprintf("schema type is %T, want %T", v, t))
	}
	return t
}

// objectTypeOf is the tftypes type of a data source's schema, whose attributes are its state.
func objectTypeOf(s any) tftypes.Object {
	return schemaType[tftypes.Object](schemaType[schema.Schema](s).Type().TerraformType(context.Background()))
}

var idRegexp = regexp.MustCompile(smsapi.IDPattern)
