package directstate

import (
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	itemListType = tftypes.List{ElementType: typeOf(reflect.TypeFor[item](), itemDerivedTypes)}
	items        = MustList[item]("items", itemListType, itemDerived)
)

// lengths are the ends of msgpack's length classes: fixstr/fixarray, 8, 16 and 32 bits.
var lengths = []int{0, 1, 15, 16, 31, 32, 255, 256, math.MaxUint16, math.MaxUint16 + 1}

func withNils(n int) []*string {
	list := make([]*string, n)
	for i := range list {
		if i%3 != 0 {
			list[i] = new(strings.Repeat("t", i%40))
		}
	}
	return list
}

// edgeItems hold every kind at its edges: nulls, empty lists and objects, the ends of int64 and
// of each msgpack integer class, integers beyond 2^53, whole floats beyond int64, negative zero,
// fractions, derived Numbers that are infinite or too precise for a float64, unicode, and
// strings and lists at every msgpack length class.
func edgeItems() []item {
	ints := []int64{0, 1, -1, 127, 128, 255, 256, -32, -33, -128, -129, math.MaxUint16, math.MaxUint16 + 1,
		math.MinInt16, math.MinInt16 - 1, math.MaxUint32, math.MaxUint32 + 1, math.MinInt32, math.MinInt32 - 1,
		1<<53 + 1, -(1<<53 + 1), math.MaxInt64, math.MinInt64}
	floats := []float64{0.1, math.Copysign(0, -1), 1e20, -1e300, 1 << 63, -(1 << 63), 1 << 64, math.MaxFloat64,
		3.5e-7, 65536.5, 1023, -2.5, math.SmallestNonzeroFloat64, 9007199254740993}
	third, _, _ := big.ParseFloat("0.333333333333333333333333333333333333", 10, 512, big.ToNearestEven)
	scores := []*big.Float{big.NewFloat(math.Inf(1)), big.NewFloat(math.Inf(-1)), new(big.Float).SetInt64(7),
		big.NewFloat(0.5), new(big.Float).SetMantExp(big.NewFloat(1), 70), third, big.NewFloat(-1e300)}
	out := []item{
		{},
		{Name: new(""), Tags: []*string{}, Steps: []step{}, Owner: &owner{}, Enabled: new(false)},
		{Name: new("迁移任务-ü-🚀\x00\u202e"), Enabled: new(true), Owner: &owner{ID: new("o"), Level: new(int64(-1))},
			Steps: []step{{}, {Name: new("s"), Progress: new(12.5)}}},
	}
	for i, n := range ints {
		out = append(out, item{Count: &n, Ratio: &floats[i%len(floats)], Score: scores[i%len(scores)]})
	}
	for _, f := range floats {
		out = append(out, item{Ratio: &f, Steps: []step{{Progress: &f}}})
	}
	for _, n := range lengths {
		out = append(out, item{Name: new(strings.Repeat("é", n/2) + strings.Repeat("x", n%2)), Tags: withNils(n),
			Owner: &owner{ID: new(strings.Repeat("i", n))}, Steps: make([]step, min(n, 300))})
	}
	return out
}

// The direct encoding writes the bytes terraform-plugin-go writes for the same values.
func TestList_SameBytesAsTerraformPluginGo(t *testing.T) {
	t.Parallel()
	many := make([]item, math.MaxUint16+1)
	for i := range many {
		many[i].Count = new(int64(i))
	}
	for name, list := range map[string][]item{
		"edge items":             edgeItems(),
		"no items":               {},
		"one item":               {{Name: new("one")}},
		"a 32-bit length list":   many,
		"a 16-bit length list":   many[:math.MaxUint16],
		"a fixed length list":    many[:15],
		"a 16-bit length, small": many[:16],
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := items.Encode(list)
			if err != nil {
				t.Fatal(err)
			}
			checkSameBytes(t, referenceValue(reflect.ValueOf(list), itemListType, itemDerived), got)
		})
	}
}

// Nil items are an empty list, not a null one: a data source that wants null does not Put.
func TestList_NilItemsAreAnEmptyList(t *testing.T) {
	got, err := items.Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSameBytes(t, tftypes.NewValue(itemListType, []tftypes.Value{}), got)
}

// A derived function that returns a value of another type, or an unknown one, fails the encoding
// instead of writing a state of the wrong type; NaN, which no JSON holds, fails too.
func TestList_RejectsValuesTerraformCannotHold(t *testing.T) {
	wrongType := func(reflect.Type, string) (DerivedFunc, bool) {
		return func(reflect.Value) tftypes.Value { return tftypes.NewValue(tftypes.String, "7") }, true
	}
	unknown := func(reflect.Type, string) (DerivedFunc, bool) {
		return func(reflect.Value) tftypes.Value { return tftypes.NewValue(tftypes.Number, tftypes.UnknownValue) }, true
	}
	type scored struct {
		Ratio *float64 `json:"ratio"`
	}
	listType := tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"ratio": tftypes.Number, "score": tftypes.Number,
	}}}
	for name, derived := range map[string]Derived{"wrong type": wrongType, "unknown": unknown} {
		if _, err := MustList[scored]("scored", listType, derived).Encode([]scored{{}}); err == nil {
			t.Errorf("%s: a derived value Terraform cannot hold was encoded", name)
		}
	}
	one := func(reflect.Type, string) (DerivedFunc, bool) {
		return func(reflect.Value) tftypes.Value { return tftypes.NewValue(tftypes.Number, 1) }, true
	}
	if _, err := MustList[scored]("scored", listType, one).Encode([]scored{{}}); err != nil {
		t.Fatalf("a valid derived value was not encoded: %v", err)
	}
	nan := math.NaN()
	if _, err := MustList[scored]("scored", listType, one).Encode([]scored{{Ratio: &nan}}); err == nil {
		t.Error("NaN was encoded")
	}
}
