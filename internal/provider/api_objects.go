package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The data sources sms_task, sms_source_servers and sms_source_server_overview name their
// attributes after the API's fields, so their computed schema is derived from the client's types:
// one attribute per json tag, described by the field's doc tag, nested objects as single nested
// attributes and arrays as lists. Their values are built from the same types by apiValue, against
// tftypes derived from that schema, so schema, types and values cannot drift apart. Reflection is
// fine here: these data sources hold at most a thousand servers (the per-account maximum), unlike
// sms_tasks, whose hand-written flattener serves 65,535 tasks (see tasks_flatten.go).

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
	reflect.TypeFor[smsapi.SourceServerItem](): sourceServerDerivedAttributes,
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

// sharedAttributes are the attributes of API types that sms_tasks already describes.
var sharedAttributes = map[reflect.Type]func() map[string]schema.Attribute{
	reflect.TypeFor[smsapi.NetworkCheckInfo](): networkCheckInfoAttributes,
}

// apiAttributes returns the computed attributes of an API struct type, keyed by JSON name.
func apiAttributes(t reflect.Type) map[string]schema.Attribute {
	if shared, ok := sharedAttributes[t]; ok {
		return shared()
	}
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
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: doc + " Null when the API returns none.",
			Attributes: apiAttributes(t.Elem())}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return schema.ListNestedAttribute{Computed: true, MarkdownDescription: doc + " In API order; null when the API returns none.",
			NestedObject: schema.NestedAttributeObject{Attributes: apiAttributes(t.Elem())}}
	}
	panic(fmt.Sprintf("provider: no attribute for API field type %s", t))
}

// apiValue converts an API value (a field of the types apiAttributes describes, or a struct of
// them) to a value of typ. A nil pointer or slice becomes null; int64 stays exact.
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

// objectTypeOf is the tftypes type of a data source's schema, whose attributes are its state.
func objectTypeOf(s any) tftypes.Object {
	return schemaType[tftypes.Object](schemaType[schema.Schema](s).Type().TerraformType(context.Background()))
}

var taskIDRegexp = regexp.MustCompile(smsapi.TaskIDPattern)
