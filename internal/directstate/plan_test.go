package directstate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A struct that does not match its attribute's type fails the plan, and MustList panics with
// the reason, so that a mismatch fails every test at package load.
func TestMustList_PanicsOnMismatch(t *testing.T) {
	type noState struct {
		ID *string `json:"id"`
	}
	type wrongKind struct {
		ID    *int64  `json:"id"`
		State *string `json:"state"`
	}
	type notAPointer struct {
		ID    string  `json:"id"`
		State *string `json:"state"`
	}
	type nested struct {
		ID    *string  `json:"id"`
		State []*int64 `json:"state"`
	}
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "state": tftypes.String}}
	listType := tftypes.List{ElementType: objType}
	derivedList := func(reflect.Type, string) (DerivedFunc, bool) {
		return func(reflect.Value) tftypes.Value { return tftypes.NewValue(tftypes.String, nil) }, true
	}
	listState := tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id": tftypes.String, "state": tftypes.List{ElementType: tftypes.String},
	}}}
	cases := map[string]struct {
		plan func()
		want string
	}{
		"missing field":        {func() { MustList[noState]("x", listType, nil) }, `no field with JSON name "state"`},
		"wrong kind":           {func() { MustList[wrongKind]("x", listType, nil) }, "cannot hold the attribute's type"},
		"not a pointer":        {func() { MustList[notAPointer]("x", listType, nil) }, "a string cannot hold"},
		"not a list":           {func() { MustList[noState]("x", objType, nil) }, "is not a list type"},
		"not a list of object": {func() { MustList[noState]("x", tftypes.List{ElementType: tftypes.String}, nil) }, "are not objects"},
		"not a struct":         {func() { MustList[string]("x", listType, nil) }, "is not a struct"},
		"derived list":         {func() { MustList[noState]("x", listState, derivedList) }, "is not a String, Number or Bool"},
		"list of numbers":      {func() { MustList[nested]("x", listState, nil) }, "a []*int64 cannot hold"},
		"optional attributes": {func() {
			MustList[noState]("x", tftypes.List{ElementType: tftypes.Object{
				AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}, OptionalAttributes: map[string]struct{}{"id": {}},
			}}, nil)
		}, "optional attributes"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, c.want) || !strings.Contains(msg, `attribute "x"`) {
					t.Errorf("MustList panicked with %q, want a message containing %q", msg, c.want)
				}
			}()
			c.plan()
		})
	}
}

// Attributes are written in the order tftypes writes them, sorted by name, whatever the order of
// the struct's fields; a field without a JSON name, or an unexported one, is not an attribute.
func TestMustList_FollowsTheSchema(t *testing.T) {
	type reordered struct {
		Zeta   *string `json:"zeta"`
		Alpha  *int64  `json:"alpha,omitempty"`
		Hidden *string `json:"-"`
		Plain  *string
		inner  *string //nolint:unused // An unexported field is not an attribute.
	}
	listType := tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"zeta": tftypes.String, "alpha": tftypes.Number,
	}}}
	list := []reordered{{Zeta: new("z"), Alpha: new(int64(1)), Hidden: new("h"), Plain: new("p")}}
	got, err := MustList[reordered]("x", listType, nil).Encode(list)
	if err != nil {
		t.Fatal(err)
	}
	objType := listType.ElementType
	checkSameBytes(t, tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(objType, map[string]tftypes.Value{
		"zeta": tftypes.NewValue(tftypes.String, "z"), "alpha": tftypes.NewValue(tftypes.Number, 1),
	})}), got)
}
