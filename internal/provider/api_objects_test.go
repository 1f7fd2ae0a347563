package provider

import (
	"errors"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// A map of strings is a map attribute of String and a list of them a list of maps; values keep
// a nil map, a nil list and a null element null.
func TestAPIValue_Maps(t *testing.T) {
	t.Parallel()
	attrs := apiAttributes(reflect.TypeFor[smsapi.AgentConfig]())
	if a, ok := attrs["config"].(schema.MapAttribute); !ok || !a.ElementType.Equal(types.StringType) || !a.Computed {
		t.Errorf("config: %#v", attrs["config"])
	}
	if a, ok := attrs["regions"].(schema.ListAttribute); !ok || !a.ElementType.Equal(types.MapType{ElemType: types.StringType}) {
		t.Errorf("regions: %#v", attrs["regions"])
	}
	typ := objectTypeOf(schema.Schema{Attributes: attrs})
	s := func(v string) *string { return &v }
	stringMap := tftypes.Map{ElementType: tftypes.String}
	for name, tc := range map[string]struct {
		config smsapi.AgentConfig
		want   map[string]tftypes.Value
	}{
		"values": {
			config: smsapi.AgentConfig{Config: map[string]*string{"mainRegion": s("cn-north-4"), "unset": nil},
				Regions: []map[string]*string{{"region_name": s("r")}, {}}},
			want: map[string]tftypes.Value{
				"config": tftypes.NewValue(stringMap, map[string]tftypes.Value{
					"mainRegion": tftypes.NewValue(tftypes.String, "cn-north-4"), "unset": tftypes.NewValue(tftypes.String, nil),
				}),
				"regions": tftypes.NewValue(tftypes.List{ElementType: stringMap}, []tftypes.Value{
					tftypes.NewValue(stringMap, map[string]tftypes.Value{"region_name": tftypes.NewValue(tftypes.String, "r")}),
					tftypes.NewValue(stringMap, map[string]tftypes.Value{}),
				}),
			},
		},
		"nulls": {
			config: smsapi.AgentConfig{Regions: []map[string]*string{nil}},
			want: map[string]tftypes.Value{
				"config":  tftypes.NewValue(stringMap, nil),
				"regions": tftypes.NewValue(tftypes.List{ElementType: stringMap}, []tftypes.Value{tftypes.NewValue(stringMap, nil)}),
			},
		},
	} {
		got := apiObjectAttributes(reflect.ValueOf(tc.config), typ)
		for attr, want := range tc.want {
			if !got[attr].Equal(want) {
				t.Errorf("%s: %s = %s, want %s", name, attr, got[attr], want)
			}
		}
	}
}

// Keys that differ only in Unicode normalization fail, naming the map by its path; distinct keys
// in any map, and a nil map, pass.
func TestCheckAPIMapKeys_NamesTheMap(t *testing.T) {
	t.Parallel()
	one := "1"
	ok := &smsapi.AgentConfig{Config: map[string]*string{"caf\u00e9": &one, "cafe": nil},
		Regions: []map[string]*string{nil, {"naïve": &one}}}
	if err := checkAPIMapKeys("", reflect.ValueOf(ok)); err != nil {
		t.Errorf("distinct keys: %v", err)
	}
	for path, cfg := range map[string]*smsapi.AgentConfig{
		"config":     {Config: map[string]*string{"caf\u00e9": &one, "cafe\u0301": nil}},
		"regions[1]": {Regions: []map[string]*string{{"a": &one}, {"q\u0307\u0323": nil, "q\u0323\u0307": nil}}},
	} {
		var collision *keyCollisionError
		if err := checkAPIMapKeys("", reflect.ValueOf(cfg)); !errors.As(err, &collision) || collision.attribute != path {
			t.Errorf("%s: got %v", path, err)
		}
	}
}
