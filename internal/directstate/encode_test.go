package directstate

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A map of strings is written with its exact size and decodes to the framework's value, null
// values included, at every msgpack map length class.
func TestEncodeStringMap_SameValueAsTerraformPluginGo(t *testing.T) {
	mapType := tftypes.Map{ElementType: tftypes.String}
	long := strings.Repeat("ü", 40000) // 80,000 bytes
	for _, n := range []int{0, 1, 15, 16, 65535, 65536} {
		m := map[string]*string{}
		want := map[string]tftypes.Value{}
		for i := range n {
			k := strconv.Itoa(i)
			if i%1000 == 7 { // unicode keys at several msgpack string length classes
				k += "-ünïcode-🚀-" + strings.Repeat("k", i%300)
			}
			switch i % 3 {
			case 0:
				m[k], want[k] = nil, tftypes.NewValue(tftypes.String, nil)
			case 1:
				m[k], want[k] = &k, tftypes.NewValue(tftypes.String, k)
			default: // one long value, at a 32-bit length, is enough
				v := k
				if i == 2 {
					v = long
				}
				m[k], want[k] = &v, tftypes.NewValue(tftypes.String, v)
			}
		}
		got := EncodeStringMap(m)
		decoded, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(mapType)
		if err != nil {
			t.Fatalf("%d entries: %v", n, err)
		}
		if wantValue := tftypes.NewValue(mapType, want); !decoded.Equal(wantValue) {
			t.Errorf("%d entries: decoded another value", n)
		}
		if n <= 1 { // one order only, so the bytes are terraform-plugin-go's
			checkSameBytes(t, tftypes.NewValue(mapType, want), got)
		}
	}
}

// Outside a read under NewServer nothing collects values, so Put reports that the caller must set
// the attribute through the framework.
func TestPut_OnlyUnderNewServer(t *testing.T) {
	ctx := context.Background()
	if items.Put(ctx, []item{{}}) || PutStringMap(ctx, "states", nil) {
		t.Error("Put reported that a value was handed over with no server to take it")
	}
	c := &collector{values: map[string]writeFunc{}}
	ctx = context.WithValue(ctx, collectorKey{}, c)
	if !items.Put(ctx, []item{{}}) || !PutStringMap(ctx, "states", nil) || len(c.values) != 2 {
		t.Errorf("Put under a collector: %d values collected, want 2", len(c.values))
	}
}
