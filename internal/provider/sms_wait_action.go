package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// The sms_wait action waits for a wave at apply time, with the engine and the rules of the
// listing data sources' `wait` (smsapi.Wait), and streams each poll's progress to the person
// watching. Actions are a technical preview of terraform-plugin-framework (v1.19.0, pinned in
// go.mod) and need Terraform 1.14 or later.

var (
	_ action.Action                   = (*waitAction)(nil)
	_ action.ActionWithConfigure      = (*waitAction)(nil)
	_ action.ActionWithValidateConfig = (*waitAction)(nil)
)

// NewWaitAction is the constructor the provider registers.
func NewWaitAction() action.Action {
	return &waitAction{}
}

// waitAction is sms_wait.
type waitAction struct {
	data *providerData
}

func (a *waitAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_wait"
}

func (a *waitAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attrs := waitActionAttributes()
	attrs["tasks"] = schema.SingleNestedAttribute{
		Optional:   true,
		Attributes: tasksFilters.actionAttributes(),
		MarkdownDescription: "Wait on the migration tasks these filters list (`GET /v3/tasks`): the filter arguments of " +
			"the `sms_tasks` data source. Exactly one of `tasks` and `source_servers`; `tasks = {}` waits on every task.",
	}
	attrs["source_servers"] = schema.SingleNestedAttribute{
		Optional:   true,
		Attributes: sourceServersFilters.actionAttributes(),
		MarkdownDescription: "Wait on the source servers these filters list (`GET /v3/sources`): the filter arguments " +
			"of the `sms_source_servers` data source, such as `migproject_id` for a wave. Exactly one of `tasks` and " +
			"`source_servers`.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Waits, when Terraform applies, until every one of the listed tasks or source servers " +
			"matches `until`, reading the listing again every `interval`, and fails at once when any matches " +
			"`fail_on`, when the listing is empty or when `timeout` passes; each poll's progress is shown as it " +
			"happens. The same engine and rules as the `wait` argument of `sms_tasks` and `sms_source_servers`, " +
			"at apply time instead of plan time: run it with `terraform apply -invoke=action.sms_wait.<name>`, or " +
			"from an `action_trigger` of the resource that must not be created before the wave is ready. Needs " +
			"Terraform 1.14 or later; actions are a technical preview of terraform-plugin-framework (v1.19.0).",
		Attributes: attrs,
	}
}

func (a *waitAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what the schema cannot: exactly one of tasks and source_servers, and
// until and fail_on against the attributes of the items that one lists.
func (a *waitAction) ValidateConfig(_ context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	values, ok := configValues(req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	tasks, servers := !values["tasks"].IsNull(), !values["source_servers"].IsNull()
	switch {
	case tasks == servers:
		resp.Diagnostics.AddAttributeError(path.Root("source_servers"), "Invalid sms_wait Configuration",
			"Set exactly one of tasks and source_servers: the items to wait on.")
	case tasks:
		checkConditions(&smsapi.TaskWait, values, &resp.Diagnostics)
	default:
		checkConditions(&smsapi.SourceServerWait, values, &resp.Diagnostics)
	}
}

// checkConditions checks until and fail_on as the data sources' validators do.
func checkConditions[T any](kind *smsapi.WaitKind[T], values map[string]tftypes.Value, diags *diag.Diagnostics) {
	for _, name := range []string{"until", "fail_on"} {
		v, ok := values[name]
		if !ok || !v.IsFullyKnown() || v.IsNull() {
			continue
		}
		c, err := conditionOf(v)
		if err == nil {
			err = smsapi.CheckCondition[T](name, c, kind.Enums)
		}
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Invalid Wait Condition", "The condition "+err.Error()+".")
		}
	}
}

func (a *waitAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if a.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured",
			"The sms provider was not configured before sms_wait ran. This is a bug in the provider; please report it.")
		return
	}
	ctx = withSecretMasks(ctx, a.data.secrets)
	values, ok := configValues(req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	cfg, err := waitConfigOf(values)
	if err == nil {
		if !values["tasks"].IsNull() {
			err = invokeWait(ctx, a.data, &smsapi.TaskWait, tasksFilters, "tasks", values, cfg, resp,
				func(c *smsapi.Client) func(context.Context, smsapi.ListTasksQuery) (*smsapi.TaskList, error) {
					return c.ListTasks
				})
		} else {
			err = invokeWait(ctx, a.data, &smsapi.SourceServerWait, sourceServersFilters, "source_servers", values, cfg, resp,
				func(c *smsapi.Client) func(context.Context, smsapi.ListSourceServersQuery) (*smsapi.SourceServerList, error) {
					return c.ListSourceServers
				})
		}
	}
	var argErr *argumentError
	var waitErr *smsapi.WaitError
	switch {
	case err == nil:
	case errors.As(err, &argErr):
		resp.Diagnostics.AddAttributeError(path.Root(argErr.name), "Invalid sms_wait Argument", argErr.Error())
	case errors.As(err, &waitErr):
		addWaitError(&resp.Diagnostics, waitErr, "sms_wait")
	case !values["tasks"].IsNull():
		addReadError(&resp.Diagnostics, ctx, err, defaultReadTimeout, a.data.method, tasksTarget)
	default:
		addReadError(&resp.Diagnostics, ctx, err, defaultReadTimeout, a.data.method, sourceServersTarget)
	}
}

// invokeWait waits on the items that the filters under the attribute named items list, each poll
// bounded like a read of the data source without timeouts.read, and tells the person watching
// about every poll.
func invokeWait[T, Q any](ctx context.Context, data *providerData, kind *smsapi.WaitKind[T], filters filterTable[Q],
	items string, values map[string]tftypes.Value, cfg smsapi.WaitConfig, resp *action.InvokeResponse,
	lister func(*smsapi.Client) func(context.Context, Q) (*smsapi.Listing[T], error)) error {
	var nested map[string]tftypes.Value
	if err := values[items].As(&nested); err != nil {
		return &argumentError{name: items, err: err}
	}
	args := arguments{values: nested}
	q := filters.query(&args)
	if args.err != nil {
		return &argumentError{name: items, err: args.err}
	}
	send := func(msg string) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: msg})
		}
	}
	cfg.Progress = func(p smsapi.WaitProgress) {
		logProgress(ctx, p)
		send(p.String())
	}
	started := time.Now()
	list := lister(data.client)
	l, err := smsapi.Wait(ctx, data.client, kind, cfg, func(ctx context.Context) (*smsapi.Listing[T], error) {
		ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
		defer cancel()
		return list(ctx, q)
	})
	if err != nil {
		return err
	}
	send(fmt.Sprintf("all %d %s match until, after %s", len(l.Items), kind.Noun, time.Since(started).Round(time.Second)))
	return nil
}

// configValues reads an action's configuration as values by attribute name.
func configValues(config tfsdk.Config, diags *diag.Diagnostics) (map[string]tftypes.Value, bool) {
	var values map[string]tftypes.Value
	if err := config.Raw.As(&values); err != nil {
		diags.AddError("Invalid Configuration", "The configuration of sms_wait could not be read: "+err.Error())
		return nil, false
	}
	return values, true
}
