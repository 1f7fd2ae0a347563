package smsapi

import (
	"strings"
	"time"
)

// WaitKind says how to wait on the items of one listing: what to call them, which of their
// attributes are enumerations, what a condition is when fail_on is not configured, and what the
// API says about an item's error and remaining time.
type WaitKind[T any] struct {
	// Noun names the items, in the plural: "tasks".
	Noun string
	// Enums are the documented values of enumerated attributes, checked in conditions.
	Enums map[string][]string
	// DefaultFailOn applies when fail_on is not configured.
	DefaultFailOn Condition
	// Label names an item in messages: "web-01 (id 7f3c…)".
	Label func(item *T) string
	// Problem is the API's own account of what is wrong with an item, "" when it gives none.
	Problem func(item *T) string
	// Remaining is the API's estimate of the time an item still needs, ok false when it has none.
	Remaining func(item *T, now time.Time) (time.Duration, bool)
	// Progress is how far an item is, from 0 to 100, ok false when the API does not say.
	Progress func(item *T) (float64, bool)
}

// TaskWait waits on the tasks of GET /v3/tasks.
var TaskWait = WaitKind[Task]{
	Noun:          "tasks",
	Enums:         map[string][]string{"state": TaskStates},
	DefaultFailOn: Condition{"state": {"MIGRATE_FAIL"}},
	Label:         func(t *Task) string { return label(t.Name, t.ID) },
	Problem:       func(t *Task) string { return deref(t.ErrorJSON) },
	Remaining: func(t *Task, now time.Time) (time.Duration, bool) {
		if t.EstimateCompleteTime == nil || *t.EstimateCompleteTime <= 0 {
			return 0, false
		}
		return max(time.UnixMilli(*t.EstimateCompleteTime).Sub(now), 0), true
	},
	Progress: func(t *Task) (float64, bool) {
		// The subtask in progress is the first without an end; its progress is the task's.
		for _, s := range t.SubTasks {
			if s.EndDate == nil && s.Progress != nil {
				return float64(*s.Progress), true
			}
		}
		return 0, false
	},
}

// SourceServerWait waits on the source servers of GET /v3/sources.
var SourceServerWait = WaitKind[SourceServerItem]{
	Noun:          "source servers",
	Enums:         map[string][]string{"state": ServerStates, "migration_cycle": MigrationCycles},
	DefaultFailOn: Condition{"state": {"error"}},
	Label:         func(s *SourceServerItem) string { return label(s.Name, s.ID) },
	Problem:       serverProblem,
	Remaining: func(s *SourceServerItem, _ time.Time) (time.Duration, bool) {
		if s.CurrentTask == nil || s.CurrentTask.RemainSeconds == nil || *s.CurrentTask.RemainSeconds < 0 {
			return 0, false
		}
		return time.Duration(*s.CurrentTask.RemainSeconds) * time.Second, true
	},
	Progress: func(s *SourceServerItem) (float64, bool) {
		if s.ReplicateSize == nil || s.TotalSize == nil || *s.TotalSize <= 0 || *s.ReplicateSize < 0 {
			return 0, false
		}
		return min(100*float64(*s.ReplicateSize)/float64(*s.TotalSize), 100), true
	},
}

// serverProblem is what the list says about a server's trouble: its task's state and clone
// error, and the checks that did not pass. A server has no error message of its own.
func serverProblem(s *SourceServerItem) string {
	var parts []string
	if ct := s.CurrentTask; ct != nil && ct.ID != nil {
		parts = append(parts, "current task "+label(ct.Name, ct.ID)+" state "+orNull(ct.State))
		if cs := ct.CloneServer; cs != nil {
			for _, msg := range []*string{cs.CloneError, cs.ErrorMsg} {
				if deref(msg) != "" {
					parts = append(parts, "clone error: "+*msg)
				}
			}
		}
	}
	for _, c := range s.Checks {
		if deref(c.Result) == "ERROR" {
			parts = append(parts, "check "+orNull(c.Name)+" failed: "+orNull(c.ErrorOrWarn))
		}
	}
	return strings.Join(parts, "; ")
}

// label is "name (id)", or whichever of the two the API gave.
func label(name, id *string) string {
	switch {
	case deref(name) != "" && deref(id) != "":
		return *name + " (" + *id + ")"
	case deref(id) != "":
		return *id
	case deref(name) != "":
		return *name
	}
	return "(an item without name or id)"
}

func orNull(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
