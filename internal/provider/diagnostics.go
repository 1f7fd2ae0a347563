package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// readTarget names what a data source reads, for its diagnostics.
type readTarget struct {
	dataSource string // "sms_tasks"
	request    string // "GET /v3/tasks"
	what       string // "tasks", in "Reading the tasks took longer ..."
	title      string // "SMS Tasks", in "SMS Tasks Read Timed Out"
	body       string // "a valid task list"
	permission string // "list migration tasks: grant the IAM policy action sms:server:listTask"
	list       string // "SMS Task List", for a list endpoint's consistency errors
}

// titleCase capitalizes every word: "source server" is "Source Server".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = capitalize(w)
	}
	return strings.Join(words, " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var tasksTarget = readTarget{
	dataSource: "sms_tasks", request: "GET /v3/tasks", what: "tasks", title: "SMS Tasks", body: "a valid task list",
	permission: "list migration tasks: grant the IAM policy action sms:server:listTask", list: "SMS Task List",
}

// addReadError turns a failed read into one error diagnostic that says what happened and what
// to do, once. API errors carry the HTTP status, error_code, error_msg and request id, which is
// what Huawei support asks for. Every text from the network arrives already sanitized by the
// client (see DESIGN.md, "Hostile input").
func addReadError(diags *diag.Diagnostics, ctx context.Context, err error, readTimeout time.Duration,
	method authMethod, target readTarget) {
	var notFound *smsapi.NotFoundError
	if errors.As(err, &notFound) {
		diags.AddError("SMS "+titleCase(notFound.Kind)+" Not Found", fmt.Sprintf("No %s has the id %q: ", notFound.Noun, notFound.ID)+
			describeAPIError(notFound.APIError)+"\nCheck "+notFound.Arg+": the "+notFound.Kind+" may have been deleted, or "+
			"belong to another account or region (endpoint).")
		return
	}
	if apiErr, ok := smsapi.AsAPIError(err); ok {
		summary, hint := apiErrorAdvice(apiErr, method, target)
		diags.AddError(summary, describeAPIError(apiErr)+hint)
		return
	}
	var decodeErr *smsapi.DecodeError
	var iamErr *smsapi.IAMError
	var inconsistentErr *smsapi.InconsistentListingError
	var collision *keyCollisionError
	switch {
	case errors.As(err, &collision):
		diags.AddError("Ambiguous "+target.title+" Keys", fmt.Sprintf("The SMS API's answer to %s cannot be stored "+
			"faithfully: %s.\n\nNothing was written to the state, so a gate never reads the wrong entry. Report the "+
			"ids to the owner of the API.", target.request, collision))
	case errors.As(err, &inconsistentErr) && inconsistentErr.PageCap > 0:
		// A run again would fail the same way: the advice is the page size.
		diags.AddError("Inconsistent "+target.list,
			fmt.Sprintf("The SMS API's pages for %s contradicted their own count on two reads in a row: %s.\n\n"+
				"No %s were written to the state. The first page held %d where %d were asked for while the "+
				"count is larger, so the API (or a gateway before it) may cap the page size at %d: set "+
				"page_size = %d or less. If it persists, report the request ids to Huawei Cloud support.",
				target.request, inconsistentErr.Details(), target.what, inconsistentErr.PageCap,
				inconsistentErr.PageSize, inconsistentErr.PageCap, inconsistentErr.PageCap))
	case errors.As(err, &inconsistentErr):
		diags.AddError("Inconsistent "+target.list,
			fmt.Sprintf("The SMS API's pages for %s contradicted themselves on two reads in a row: %s.\n\n"+
				"No %s were written to the state, so nothing that depends on this data source (a gate included) "+
				"sees part of the fleet. %s created or deleted very fast while the pages are read can cause this: "+
				"run again. If it persists, report the request ids to Huawei Cloud support.",
				target.request, inconsistentErr.Details(), target.what, capitalize(target.what)))
	case errors.As(err, &iamErr):
		diags.AddError("IAM Token Request Failed",
			fmt.Sprintf("The provider could not obtain a token from IAM with user_name and password: %s.\n\n"+
				"Check auth_url (HW_AUTH_URL), user_name, domain_name and password. An IAM user needs "+
				"programmatic access to request tokens.", strings.TrimSuffix(err.Error(), ".")))
	case errors.As(err, &decodeErr):
		diags.AddError("Invalid SMS API Response",
			fmt.Sprintf("The SMS API answered %s with a body that is not %s: %s.\n\n"+
				"Nothing was written to the state. If this persists, report the request id to Huawei Cloud support.",
				target.request, target.body, err))
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		diags.AddError(target.title+" Read Timed Out",
			fmt.Sprintf("Reading the %s took longer than the read timeout (%s). Raise it with the timeouts "+
				"argument (timeouts = { read = \"30m\" }), narrow the filters, or raise the provider's max_concurrency.",
				target.what, readTimeout))
	case errors.Is(err, context.DeadlineExceeded):
		// The read's own deadline has not passed, so the one that ran out bounds a single attempt.
		diags.AddError("SMS API Request Timed Out",
			fmt.Sprintf("%s.\n\nRaise request_timeout (and max_retries) if the API is slow, or check the endpoint and the "+
				"network path to it (HTTPS_PROXY and NO_PROXY are honoured).", err))
	case errors.Is(err, context.Canceled):
		diags.AddError(target.title+" Read Cancelled",
			"Reading the "+target.what+" was cancelled before it finished; nothing was written to the state.")
	case errors.Is(err, smsapi.ErrCredentials):
		diags.AddError("SMS Credentials Unusable",
			fmt.Sprintf("%s.\n\nNo request was sent. Check the credential arguments of the provider block or their environment variables.", err))
	case errors.Is(err, smsapi.ErrRedirectRefused):
		diags.AddError("SMS API Redirect Refused",
			fmt.Sprintf("%s.\n\nThe provider follows redirects only within the endpoint's scheme, host and port, so that "+
				"credentials never leave it. Set endpoint (or region) to the address the API really answers on.", err))
	default:
		diags.AddError("SMS API Request Failed", fmt.Sprintf("%s.\n\n%s", err, networkHint(err)))
	}
}

// networkHint says what to check for a request that got no HTTP answer.
func networkHint(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Nothing accepts connections at that address: check endpoint (or region) and, for a proxy, HTTPS_PROXY."
	case errors.As(err, &dnsErr):
		return "The host name does not resolve: check endpoint (or region) and the machine's DNS settings."
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr):
		return "The server's TLS certificate is not trusted for this host: check endpoint, and add the issuing CA " +
			"to the system's trust store when a corporate proxy inspects TLS."
	default:
		return "Check endpoint (or region) and the network path to it; HTTPS_PROXY and NO_PROXY are honoured."
	}
}

func describeAPIError(e *smsapi.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s returned HTTP %d %s", orNone(e.URL), e.Status, http.StatusText(e.Status))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	b.WriteString(".\n\n")
	fmt.Fprintf(&b, "error_code: %s\n", orNone(e.Code))
	fmt.Fprintf(&b, "error_msg:  %s\n", orNone(e.Message))
	fmt.Fprintf(&b, "request id: %s\n", orNone(e.RequestID))
	return b.String()
}

func apiErrorAdvice(e *smsapi.APIError, method authMethod, target readTarget) (summary, hint string) {
	retryAt := ""
	if !e.RetryAfter.IsZero() {
		retryAt = fmt.Sprintf("\nThe API asked to wait until %s, longer than the provider waits on its own. Run again after that time.",
			e.RetryAfter.UTC().Format(time.RFC3339))
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return "SMS API Authentication Failed", "\nThe credentials were rejected. " + unauthorizedAdvice(method)
	case e.Status == http.StatusForbidden:
		return "SMS API Permission Denied", "\nThe credentials lack permission to " + target.permission +
			" (for example through the SMS ReadOnlyAccess policy)."
	case e.Status == http.StatusNotFound:
		return "SMS API Not Found", "\nThe host answered but does not serve " + target.request + ": check endpoint " +
			"(or region); the SMS API of a region is at https://sms.{region}.{cloud}."
	case e.Status == http.StatusTooManyRequests && retryAt != "":
		return "SMS API Throttled", retryAt
	case e.Status == http.StatusTooManyRequests && e.Attempts > maxRetriesLimit:
		return "SMS API Throttled", "\nThe API kept throttling the requests through every retry. Lower max_concurrency, " +
			"narrow the filters, or run again later."
	case e.Status == http.StatusTooManyRequests:
		return "SMS API Throttled", "\nThe API kept throttling the requests through every retry. Lower max_concurrency, " +
			"raise max_retries, or run again later."
	case e.Status >= 500 && retryAt != "":
		return "SMS API Unavailable", retryAt
	case e.Status >= 500 && e.Attempts > 1:
		return "SMS API Unavailable", "\nThe API failed on its side on every attempt. Run again later; " +
			"if it persists, report the request id to Huawei Cloud support."
	case e.Status >= 500:
		return "SMS API Unavailable", "\nThe API failed on its side and max_retries allows no retry. Run again later, " +
			"or raise max_retries; if it persists, report the request id to Huawei Cloud support."
	case e.Status == http.StatusBadRequest:
		return "SMS API Rejected The Request", "\nThe API rejected the query. Check the data source's filters."
	default:
		return "SMS API Error", ""
	}
}

// unauthorizedAdvice says what to check for the credential method in use.
func unauthorizedAdvice(method authMethod) string {
	switch method {
	case authAKSK:
		return "Check access_key and secret_key, security_token for temporary keys, and the machine's clock " +
			"(signatures older than 15 minutes are refused)."
	case authPassword:
		return "The provider obtained a token with user_name and password and renewed it once; check that the user " +
			"may use SMS in this region and domain_name."
	default:
		return "IAM tokens expire after 24 hours: get a new one (token or SMS_TOKEN)."
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// addIncompleteWarning reports a listing with fewer items than the API counted, which a
// consistent listing has only under the offset cap: the API serves no record past offset 65,535.
// attribute is the listing's list attribute, which holds only the items read.
func addIncompleteWarning(r *dataSourceRead, attribute string, count int64, read int) {
	if int64(read) >= count {
		return
	}
	what := r.target.what
	r.diags.AddWarning("Incomplete "+r.target.list, fmt.Sprintf("Read %d of the %d %s that match the filters: "+
		"the API serves records only up to offset %d. total_count is the API's count of every match, but %s and "+
		"what is counted from it hold only the first %d, so a gate over them does not see the rest. Narrow the "+
		"filters so that each data source matches fewer %s; a gate on the total_count of a narrower data source "+
		"sees every match.", read, count, what, smsapi.MaxOffset, attribute, read, what))
}
