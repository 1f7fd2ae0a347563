package smsapi

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// TaskSpeedLimits is the answer of GET /v3/tasks/{task_id}/speed-limit (the SDK's
// ShowsSpeedLimitsResponse): the task's migration rate limits by time of day.
type TaskSpeedLimits struct {
	SpeedLimit []SpeedLimit `json:"speed_limit" doc:"Rate limits of the task by time of day, one per period."`
}

// SpeedLimit is one period's rate limit, the SDK's SpeedLimitlJson.
type SpeedLimit struct {
	Start              *string  `json:"start" doc:"Start of the period, 'HH:MM'."`
	End                *string  `json:"end" doc:"End of the period, 'HH:MM'."`
	Speed              *int64   `json:"speed" doc:"Rate limit in the period, 0 to 1000 Mbit/s."`
	OverSpeedThreshold *float64 `json:"over_speed_threshold" doc:"Overspeed threshold, in percent: the task stops when the migration rate exceeds it."`
}

// ShowTaskSpeedLimits fetches the rate limits of one task, GET /v3/tasks/{task_id}/speed-limit.
// A 404 with an SMS error code is a *NotFoundError, as for ShowTask.
func (c *Client) ShowTaskSpeedLimits(ctx context.Context, taskID string) (*TaskSpeedLimits, error) {
	a := answer[TaskSpeedLimits]{resource: "speed limits of task " + taskID,
		want: "a JSON object with the speed_limit array", validate: checkSpeedLimits}
	return getObjectAnswer(ctx, c, taskObject, taskID, "/speed-limit", a)
}

// checkSpeedLimits rejects an answer without the speed_limit array, or with a period that lacks
// its start or end (the reference requires both) or has a negative rate: a gate over the limits
// would otherwise judge nulls. An empty array is a task without limits.
func checkSpeedLimits(s *TaskSpeedLimits) error {
	if s.SpeedLimit == nil {
		return errors.New("the body holds no speed_limit array")
	}
	for i, l := range s.SpeedLimit {
		switch {
		case l.Start == nil || l.End == nil:
			return fmt.Errorf("speed_limit[%d] lacks its start or end", i)
		case l.Speed != nil && *l.Speed < 0:
			return fmt.Errorf("speed_limit[%d] has a negative speed (%d)", i, *l.Speed)
		}
	}
	return nil
}

// TaskConfiguration is the answer of GET /v3/tasks/{task_id}/configuration-setting (the SDK's
// ShowConfigSettingResponse): the task's advanced settings.
type TaskConfiguration struct {
	TaskID         *string      `json:"task_id" doc:"ID of the task."`
	MigrateType    *string      `json:"migrate_type" doc:"Migration type: 'WINDOWS_MIGRATE_BLOCK', 'LINUX_MIGRATE_FILE' or 'LINUX_MIGRATE_BLOCK'."`
	Configurations []ConfigBody `json:"configurations" doc:"Configuration items of the task, such as 'MIGRATE_EXCLUDE_DIR', 'NUM_PROCESS_MIGRATE' or 'LINUX_CPU_LIMIT'."`
}

// ShowTaskConfiguration fetches the settings of one task, GET
// /v3/tasks/{task_id}/configuration-setting. A 404 with an SMS error code is a
// *NotFoundError, as for ShowTask.
func (c *Client) ShowTaskConfiguration(ctx context.Context, taskID string) (*TaskConfiguration, error) {
	a := answer[TaskConfiguration]{resource: "configuration of task " + taskID,
		want:     "a JSON object with task_id, migrate_type and configurations",
		validate: func(t *TaskConfiguration) error { return checkTaskConfiguration(t, taskID) }}
	return getObjectAnswer(ctx, c, taskObject, taskID, "/configuration-setting", a)
}

// checkTaskConfiguration rejects an answer that holds none of the fields, names another task,
// or has an item without its config_key (the reference requires one): a check over the settings
// would otherwise judge nulls or another task's settings.
func checkTaskConfiguration(t *TaskConfiguration, taskID string) error {
	if reflect.ValueOf(t).Elem().IsZero() {
		return errors.New("the body holds none of the configuration's fields")
	}
	if t.TaskID != nil && !strings.EqualFold(*t.TaskID, taskID) {
		return fmt.Errorf("the body is the configuration of task %q, not of the task %q that was asked for", truncate(*t.TaskID, 80), taskID)
	}
	for i, item := range t.Configurations {
		if item.ConfigKey == nil {
			return fmt.Errorf("configurations[%d] has no config_key", i)
		}
	}
	return nil
}
