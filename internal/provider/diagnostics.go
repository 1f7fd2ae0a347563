package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// readTarget names what a data source reads, for its diagnostics.
type readTarget struct {
	request    string // "GET /v3/tasks"
	what       string // "tasks", in "Reading the tasks took longer ..."
	title      string // "SMS Tasks", in "SMS Tasks Read Timed Out"
	body       string // "a valid task list"
	permission string // "list migration tasks: grant the IAM policy action sms:server:listTask"
	list       string // "SMS Task List", for a list endpoint's consistency errors
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var tasksTarget = readTarget{
	request: "GET /v3/tasks", what: "tasks", title: "SMS Tasks", body: "a valid task list",
	permission: "list migration tasks: grant the IAM policy action sms:server:listTask", list: "SMS Task List",
}

// addReadError turns a failed read of sms_tasks into one error diagnostic; see addReadErrorFor.
func addReadError(diags *diag.Diagnostics, ctx context.Context, err error, readTimeout time.Duration) {
	addReadErrorFor(diags, ctx, err, readTimeout, tasksTarget)
}

// addReadErrorFor turns a failed read into one error diagnostic that says what happened and what
// to do. API errors carry the HTTP status, error_code, error_msg and request id, which is what
// Huawei support asks for; credentials never reach an error string in the client.
func addReadErrorFor(diags *diag.Diagnostics, ctx context.Context, err error, readTimeout time.Duration, target readTarget) {
	var notFound *smsapi.TaskNotFoundError
	if errors.As(err, &notFound) {
		diags.AddError("SMS Task Not Found", fmt.Sprintf("No migration task has the id %q: ", notFound.TaskID)+
			describeAPIError(notFound.APIError, target)+"\nCheck task_id: the task may have been deleted, or belong to "+
			"another account or region (endpoint).")
		return
	}
	if apiErr, ok := smsapi.AsAPIError(err); ok {
		summary, hint := apiErrorAdvice(apiErr, target)
		diags.AddError(summary, describeAPIError(apiErr, target)+hint)
		return
	}
	var decodeErr *smsapi.DecodeError
	var iamErr *smsapi.IAMError
	var inconsistentErr *smsapi.InconsistentListingError
	switch {
	case errors.As(err, &inconsistentErr):
		diags.AddError("Inconsistent "+target.list,
			fmt.Sprintf("The SMS API's pages for %s contradicted their own count on two reads in a row: %s.\n\n"+
				"No %s were written to the state, so nothing that depends on this data source (a gate included) "+
				"sees part of the fleet. %s created or deleted very fast while the pages are read can cause this: "+
				"run again. If it persists, report the request ids to Huawei Cloud support.",
				target.request, inconsistentErr.Details(), target.what, capitalize(target.what)))
	case errors.As(err, &iamErr):
		diags.AddError("IAM Token Request Failed",
			fmt.Sprintf("The provider could not obtain a token from IAM with user_name and password: %s\n\n"+
				"Check auth_url (HW_AUTH_URL), user_name, domain_name and password. An IAM user needs "+
				"programmatic access to request tokens.", strings.TrimSuffix(err.Error(), ".")))
	case errors.As(err, &decodeErr):
		diags.AddError("Invalid SMS API Response",
			fmt.Sprintf("The SMS API answered %s with a body that is not %s: %s. "+
				"Nothing was written to the state. If this persists, report the request id to Huawei Cloud support.", target.request, target.body, err))
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		diags.AddError(target.title+" Read Timed Out",
			fmt.Sprintf("Reading the %s took longer than the read timeout (%s). Raise it with a timeouts block "+
				"(timeouts { read = \"30m\" }), narrow the filters, or raise the provider's max_concurrency.", target.what, readTimeout))
	case errors.Is(err, context.DeadlineExceeded):
		// The read's own deadline has not passed, so the one that ran out bounds a single attempt.
		diags.AddError("SMS API Request Timed Out",
			fmt.Sprintf("%s got no complete answer within the provider's request_timeout: %s. "+
				"Raise request_timeout (and max_retries) if the API is slow, or check the endpoint and the network "+
				"path to it (proxy settings HTTPS_PROXY and NO_PROXY are honoured).", target.request, err))
	case errors.Is(err, context.Canceled):
		diags.AddError(target.title+" Read Cancelled", "Reading the "+target.what+" was cancelled before it finished; nothing was written to the state.")
	default:
		diags.AddError("SMS API Request Failed",
			fmt.Sprintf("%s failed: %s. Check the endpoint, the network path to it (proxy settings "+
				"HTTPS_PROXY and NO_PROXY are honoured) and TLS settings.", target.request, err))
	}
}

func describeAPIError(e *smsapi.APIError, target readTarget) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s returned HTTP %d %s", target.request, e.Status, http.StatusText(e.Status))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	b.WriteString(".\n\n")
	fmt.Fprintf(&b, "error_code: %s\n", orNone(e.Code))
	fmt.Fprintf(&b, "error_msg:  %s\n", orNone(e.Message))
	fmt.Fprintf(&b, "request id: %s\n", orNone(e.RequestID))
	return b.String()
}

func apiErrorAdvice(e *smsapi.APIError, target readTarget) (summary, hint string) {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "SMS API Authentication Failed", "\nThe credentials were rejected. With a token: IAM tokens expire " +
			"after 24 hours, so get a new one (token or SMS_TOKEN). With access keys: check access_key and secret_key, " +
			"security_token for temporary keys, and the machine's clock (signatures older than 15 minutes are refused)."
	case e.Status == http.StatusForbidden:
		return "SMS API Permission Denied", "\nThe credentials lack permission to " + target.permission +
			" (for example through the SMS ReadOnlyAccess policy)."
	case e.Status == http.StatusTooManyRequests:
		hint = "\nThe API kept throttling the requests after the provider's retries. Lower max_concurrency, " +
			"raise max_retries, or run again later."
		if !e.RetryAfter.IsZero() {
			hint = fmt.Sprintf("\nThe API asked to wait until %s, longer than the provider waits on its own. Run again after that time.",
				e.RetryAfter.UTC().Format(time.RFC3339))
		}
		return "SMS API Throttled", hint
	case e.Status >= 500:
		return "SMS API Unavailable", "\nThe API failed on its side after the provider's retries. Run again later; " +
			"if it persists, report the request id to Huawei Cloud support."
	case e.Status == http.StatusBadRequest:
		return "SMS API Rejected The Request", "\nThe API rejected the query. Check the data source's filters."
	default:
		return "SMS API Error", ""
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// addIncompleteWarning reports a result with fewer tasks than the API counted, which a
// consistent listing has only under the offset cap: the API serves no record past offset 65,535.
func addIncompleteWarning(diags *diag.Diagnostics, list *smsapi.TaskList) {
	if !list.Incomplete() {
		return
	}
	diags.AddWarning("Incomplete SMS Task List", fmt.Sprintf("Read %d of the %d tasks that match the filters: "+
		"the API serves records only up to offset %d. total_count is the API's count of every match, but tasks, "+
		"task_states and state_counts hold only the first %d, so a gate over them does not see the rest. Narrow "+
		"the filters (state, source_server_id, enterprise_project_id) so that each data source matches fewer tasks; "+
		"a gate on the total_count of a data source filtered to state = \"MIGRATE_FAIL\" sees every failed task.",
		len(list.Tasks), list.Count, smsapi.MaxOffset, len(list.Tasks)))
}
