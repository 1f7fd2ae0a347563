package directstate

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// BenchmarkEncodeList_10000 measures List.Encode for 10,000 generated tasks, the API's structs as
// sms_tasks reads them: the measuring pass, the one allocation of the exact size, and the write.
func BenchmarkEncodeList_10000(b *testing.B) {
	var tasks []smsapi.Task
	raw, err := json.Marshal(emulator.GenerateTasks(10000, 1))
	if err == nil {
		err = json.Unmarshal(raw, &tasks)
	}
	if err != nil {
		b.Fatal(err)
	}
	list := MustList[smsapi.Task]("tasks", typeOf(reflect.TypeFor[[]smsapi.Task](), nil), nil)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := list.Encode(tasks)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}
