package directstate

import (
	"bytes"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

var (
	stateListType = tftypes.List{ElementType: tftypes.String}
	stateType     = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"count": tftypes.Number, "id": tftypes.String, "names": stateListType, "states": tftypes.Map{ElementType: tftypes.String},
	}}
)

// encodeState is the msgpack terraform-plugin-go writes for a state with these names and states.
func encodeState(t *testing.T, names, states tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(stateType, tftypes.NewValue(stateType, map[string]tftypes.Value{
		"count": tftypes.NewValue(tftypes.Number, 70000), "id": tftypes.NewValue(tftypes.String, "x"),
		"names": names, "states": states,
	}))
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

func stringsWriter(names ...string) writeFunc {
	return func(enc *msgpack.Encoder) error {
		if err := enc.EncodeArrayLen(len(names)); err != nil {
			return err
		}
		for _, n := range names {
			if err := enc.EncodeString(n); err != nil {
				return err
			}
		}
		return nil
	}
}

// splice puts each value where its null was, and the result is the state terraform-plugin-go
// writes with those values.
func TestSplice_WritesValuesWhereTheirNullsWere(t *testing.T) {
	nullNames, nullStates := tftypes.NewValue(stateListType, nil), tftypes.NewValue(stateType.AttributeTypes["states"], nil)
	names := tftypes.NewValue(stateListType, []tftypes.Value{tftypes.NewValue(tftypes.String, "a"), tftypes.NewValue(tftypes.String, "b")})
	states := tftypes.NewValue(stateType.AttributeTypes["states"], map[string]tftypes.Value{"a": tftypes.NewValue(tftypes.String, "READY")})
	got, err := splice(encodeState(t, nullNames, nullStates), map[string]writeFunc{
		"names": stringsWriter("a", "b"), "states": stringMapWriter(map[string]*string{"a": new("READY")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := encodeState(t, names, states); !bytes.Equal(got, want) {
		t.Errorf("spliced %x, want %x", got, want)
	}
	got, err = splice(encodeState(t, nullNames, states), map[string]writeFunc{"names": stringsWriter("a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	if want := encodeState(t, names, states); !bytes.Equal(got, want) {
		t.Errorf("spliced one of two: %x, want %x", got, want)
	}
}

// splice refuses states it cannot splice into safely.
func TestSplice_RejectsBadStates(t *testing.T) {
	nullStates := tftypes.NewValue(stateType.AttributeTypes["states"], nil)
	nullState := encodeState(t, tftypes.NewValue(stateListType, nil), nullStates)
	one := map[string]writeFunc{"names": stringsWriter("a")}
	failing := func(*msgpack.Encoder) error { return errTest }
	for name, c := range map[string]struct {
		state  []byte
		values map[string]writeFunc
	}{
		"not null":          {encodeState(t, tftypes.NewValue(stateListType, []tftypes.Value{}), nullStates), one},
		"not in the schema": {nullState, map[string]writeFunc{"servers": one["names"]}},
		"truncated":         {nullState[:len(nullState)-1], one},
		"trailing bytes":    {append(bytes.Clone(nullState), 0xc0), one},
		"not an object":     {[]byte{0x93, 1, 2, 3}, one},
		"a null state":      {[]byte{0xc0}, one},
		"no state":          {nil, one},
		"a key not a name":  {[]byte{0x81, 0x01, 0xc0}, one},
		"a failing value":   {nullState, map[string]writeFunc{"names": failing}},
		"a value that writes more than it measured": {nullState, map[string]writeFunc{"names": unsteady()}},
	} {
		if got, err := splice(c.state, c.values); err == nil {
			t.Errorf("%s: splice accepted it and wrote %x", name, got)
		}
	}
}

type testError struct{}

func (testError) Error() string { return "test error" }

var errTest error = testError{}

// unsteady writes one string more each time it runs, as a value changed during the read would.
func unsteady() writeFunc {
	runs := 0
	return func(enc *msgpack.Encoder) error {
		runs++
		return stringsWriter(make([]string, runs)...)(enc)
	}
}
