package provider

import (
	"runtime"
	"testing"

	"github.com/smsops/terraform-provider-sms/internal/emulator"
)

func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestScratchTreeSize(t *testing.T) {
	raw := emulator.GenerateTasks(10000, 1)
	h0 := heapNow()
	tasks := decodeAPITasks(t, raw)
	h1 := heapNow()
	v := flattenTasks(tasks)
	h2 := heapNow()
	c := v.Copy()
	h3 := heapNow()
	t.Logf("decoded %d MB, tree %d MB, copy %d MB", (h1-h0)>>20, (h2-h1)>>20, (h3-h2)>>20)
	runtime.KeepAlive(tasks)
	runtime.KeepAlive(v)
	runtime.KeepAlive(c)
	runtime.KeepAlive(raw)
}
