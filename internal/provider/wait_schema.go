package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The settings of a wait (until, fail_on, timeout, interval) are the same under a data source's
// `wait` and in the sms_wait action: waitSettings declares them once for both schema packages,
// and waitConfigOf reads them from either configuration.

// The defaults of a wait, stated in every description that applies them.
const (
	defaultWaitTimeout  = time.Hour
	defaultWaitInterval = 30 * time.Second
)

// conditionType is the type of until and fail_on: attribute name to the values that match.
var conditionType = types.MapType{ElemType: types.ListType{ElemType: types.StringType}}

// waitSetting is one setting of a wait, with its description and its validators.
type waitSetting struct {
	name, description string
	required          bool
	condition         validator.Map    // until and fail_on
	duration          validator.String // timeout and interval
}

// waitTexts are what the settings' descriptions say of the items waited on.
type waitTexts struct {
	items         string // "tasks"
	checked       string // which keys and values are checked at plan
	failOnDefault string // fail_on when unset, as HCL
}

// waitTextsOf describes the items of kind.
func waitTextsOf[T any](kind *smsapi.WaitKind[T]) waitTexts {
	return waitTexts{items: kind.Noun, checked: "Keys are checked at plan: " + checkedKeys(kind) + ".",
		failOnDefault: "`" + conditionText(kind.DefaultFailOn) + "`"}
}

// checkedKeys lists the keys a condition on items of kind can name, and the enumerations.
func checkedKeys[T any](kind *smsapi.WaitKind[T]) string {
	s := "`" + strings.Join(smsapi.ConditionKeys[T](), "`, `") + "`"
	var enums []string
	for key, values := range kind.Enums {
		enums = append(enums, fmt.Sprintf("`%s` (`%s`)", key, strings.Join(values, "`, `")))
	}
	if len(enums) > 0 {
		s += "; so are the values of " + strings.Join(sortedStrings(enums), " and ")
	}
	return s
}

// waitSettings lists the settings of a wait, with validators for until and fail_on when they are
// checked by the attribute (a data source's) rather than by the configuration (the action's).
func waitSettings(t waitTexts, until, failOn validator.Map) []waitSetting {
	return []waitSetting{
		{name: "until", required: true, condition: until,
			description: "Read again until every one of the " + t.items + " matches: a map from an item's top-level " +
				"attribute to the values that match. An item matches when, for every key, its value is one of the listed " +
				"values, compared as Terraform shows it (a bool as `\"true\"` or `\"false\"`, a number in decimal); " +
				"a null value matches nothing. " + t.checked},
		{name: "fail_on", condition: failOn,
			description: "Stop at once, failing, when any of the " + t.items + " matches; the same form as `until`. " +
				"Defaults to " + t.failOnDefault + "; `{}` fails on nothing. The error names the " +
				"matching items (the first 10, and how many more) with the API's error for each where it gives one."},
		{name: "timeout", duration: durationAtLeast{minimum: time.Nanosecond, name: "timeout"},
			description: "Bound on the whole wait, as a Go duration such as `\"6h\"`; defaults to `\"1h\"`. On expiry " +
				"the error says how many items are done, which are not (the first 10) and how long it waited."},
		{name: "interval", duration: durationAtLeast{minimum: smsapi.MinWaitInterval, name: "interval"},
			description: "Time from the end of one poll to the start of the next, at least `\"1s\"`; defaults to " +
				"`\"30s\"`. When the API throttles with `Retry-After`, the next poll waits for it. Each poll is one " +
				"complete listing, every page of it under the listing's rules (consistency checks, re-read, retries)."},
	}
}

// waitAttribute is a listing data source's `wait` argument.
func waitAttribute[T any](kind *smsapi.WaitKind[T], dataSource string) schema.SingleNestedAttribute {
	attrs := map[string]schema.Attribute{}
	settings := waitSettings(waitTextsOf(kind), conditionValidator[T]{argument: "until", kind: kind},
		conditionValidator[T]{argument: "fail_on", kind: kind})
	for _, s := range settings {
		if s.duration == nil {
			attrs[s.name] = schema.MapAttribute{ElementType: conditionType.ElemType, Required: s.required, Optional: !s.required,
				MarkdownDescription: s.description, Validators: []validator.Map{s.condition}}
		} else {
			attrs[s.name] = schema.StringAttribute{Optional: true, MarkdownDescription: s.description,
				Validators: []validator.String{s.duration}}
		}
	}
	return schema.SingleNestedAttribute{
		Optional:   true,
		Attributes: attrs,
		MarkdownDescription: "Wait, while Terraform reads this data source, until every one of the " + kind.Noun +
			" matches `until`, reading the listing again every `interval`; fail at once when any matches `fail_on`, " +
			"when the listing is empty (\"nothing matches these filters\": a wave with nothing in it is almost always " +
			"a typo) or when `timeout` passes. The state is the last read's. Each read is logged at INFO with what is " +
			"done, what is still waiting and the API's estimate of the time left. With `wait`, `timeouts.read` bounds " +
			"each read, not the wait. Runs at plan time, with every Terraform and OpenTofu version; Terraform 1.14 " +
			"and later can wait at apply time with the `sms_wait` action instead. See the guide \"Waiting for a wave\". " +
			"Example: `wait = { until = { " + waitExample(dataSource) + " } }`.",
	}
}

// waitActionAttributes are the same settings as attributes of the sms_wait action, described
// for both kinds of items; the action's ValidateConfig checks the conditions for the one in use.
func waitActionAttributes() map[string]actionschema.Attribute {
	attrs := map[string]actionschema.Attribute{}
	texts := waitTexts{
		items: "listed tasks or source servers",
		checked: "Keys are checked at plan, for `tasks`: " + checkedKeys(&smsapi.TaskWait) + ". For `source_servers`: " +
			checkedKeys(&smsapi.SourceServerWait) + ".",
		failOnDefault: "`" + conditionText(smsapi.TaskWait.DefaultFailOn) + "` for `tasks` and `" +
			conditionText(smsapi.SourceServerWait.DefaultFailOn) + "` for `source_servers`",
	}
	for _, s := range waitSettings(texts, nil, nil) {
		if s.duration == nil {
			attrs[s.name] = actionschema.MapAttribute{ElementType: conditionType.ElemType, Required: s.required,
				Optional: !s.required, MarkdownDescription: s.description}
		} else {
			attrs[s.name] = actionschema.StringAttribute{Optional: true, MarkdownDescription: s.description,
				Validators: []validator.String{s.duration}}
		}
	}
	return attrs
}

func waitExample(dataSource string) string {
	if dataSource == "sms_tasks" {
		return `state = ["MIGRATE_SUCCESS"]`
	}
	return `migration_cycle = ["cutovered"]`
}

// conditionText writes a condition as HCL: `{ state = ["MIGRATE_FAIL"] }`.
func conditionText(c smsapi.Condition) string {
	parts := make([]string, 0, len(c))
	for key, values := range c {
		parts = append(parts, key+` = ["`+strings.Join(values, `", "`)+`"]`)
	}
	return "{ " + strings.Join(sortedStrings(parts), ", ") + " }"
}

// conditionValidator checks until or fail_on against the items' attributes at plan.
type conditionValidator[T any] struct {
	argument string
	kind     *smsapi.WaitKind[T]
}

func (v conditionValidator[T]) Description(context.Context) string {
	return "keys must be top-level attributes of the " + v.kind.Noun + ", values of enumerated attributes documented values"
}

func (v conditionValidator[T]) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v conditionValidator[T]) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	raw, err := req.ConfigValue.ToTerraformValue(ctx)
	if err != nil || !raw.IsFullyKnown() || raw.IsNull() {
		return
	}
	c, err := conditionOf(raw)
	if err == nil {
		err = smsapi.CheckCondition[T](v.argument, c, v.kind.Enums)
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Wait Condition", "The condition "+err.Error()+".")
	}
}

// durationAtLeast checks a Go duration at plan: it must parse and be at least minimum.
type durationAtLeast struct {
	minimum time.Duration
	name    string
}

func (v durationAtLeast) Description(context.Context) string {
	if v.minimum < time.Second {
		return "a Go duration above zero"
	}
	return "a Go duration of at least " + v.minimum.String()
}

func (v durationAtLeast) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationAtLeast) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDurationAtLeast(req.ConfigValue.ValueString(), v.minimum); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Wait "+capitalize(v.name), fmt.Sprintf("%s %s.", v.name, err))
	}
}

func parseDurationAtLeast(s string, minimum time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("is %q, not a Go duration; write a number with a unit, such as \"30s\", \"5m\" or \"6h\"", s)
	case d < minimum && minimum < time.Second:
		return 0, fmt.Errorf("is %q; it must be above zero", s)
	case d < minimum:
		return 0, fmt.Errorf("is %q; it must be at least %s", s, minimum)
	}
	return d, nil
}

// waitConfigOf reads the wait's settings from configured values, which have been validated.
func waitConfigOf(values map[string]tftypes.Value) (smsapi.WaitConfig, error) {
	cfg := smsapi.WaitConfig{Timeout: defaultWaitTimeout, Interval: defaultWaitInterval}
	var err error
	if cfg.Until, err = conditionOf(values["until"]); err != nil {
		return cfg, &argumentError{name: "until", err: err}
	}
	if cfg.FailOn, err = conditionOf(values["fail_on"]); err != nil {
		return cfg, &argumentError{name: "fail_on", err: err}
	}
	for _, d := range []struct {
		name    string
		dst     *time.Duration
		minimum time.Duration
	}{{"timeout", &cfg.Timeout, time.Nanosecond}, {"interval", &cfg.Interval, smsapi.MinWaitInterval}} {
		v, ok := values[d.name]
		if !ok || v.IsNull() || !v.IsKnown() {
			continue
		}
		var s string
		if err := v.As(&s); err != nil {
			return cfg, &argumentError{name: d.name, err: err}
		}
		if *d.dst, err = parseDurationAtLeast(s, d.minimum); err != nil {
			return cfg, &argumentError{name: d.name, err: err}
		}
	}
	return cfg, nil
}

// conditionOf reads a map of lists of strings; null is a nil Condition, {} an empty one.
func conditionOf(v tftypes.Value) (smsapi.Condition, error) {
	if v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	var entries map[string]tftypes.Value
	if err := v.As(&entries); err != nil {
		return nil, err
	}
	c := make(smsapi.Condition, len(entries))
	for key, list := range entries {
		var elems []tftypes.Value
		if err := list.As(&elems); err != nil {
			return nil, err
		}
		for _, e := range elems {
			var s *string
			if err := e.As(&s); err != nil {
				return nil, err
			}
			if s == nil {
				return nil, fmt.Errorf("%s lists a null value, which no item matches", key)
			}
			c[key] = append(c[key], *s)
		}
		if c[key] == nil {
			c[key] = []string{}
		}
	}
	return c, nil
}

// sortedStrings is s sorted, so that descriptions built from maps read the same on every run.
func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}
