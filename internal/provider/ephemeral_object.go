package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/smsops/terraform-provider-sms/internal/smsapi"
)

// ephemeralObject is an ephemeral resource that reads one secret API object by id: a task's
// certificate and keys, its passphrase, a template's target password. Terraform keeps its values
// for one run only, never in a state or a plan file, so a secret can reach a provider
// configuration or a write-only argument without being stored (see DESIGN.md, "Secrets as
// ephemeral resources"). Its schema is derived from the client's type like a data source's, with
// the fields tagged secret:"true" sensitive; a new one is a constructor.
type ephemeralObject[T any] struct {
	data *providerData
	// typeName follows the provider's name: "_task_passphrase".
	typeName    string
	target      readTarget
	description string
	id          *idArgument
	open        func(c *smsapi.Client, ctx context.Context, id string) (*T, error)
}

var (
	_ ephemeral.EphemeralResource              = (*ephemeralObject[smsapi.TaskPassphrase])(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*ephemeralObject[smsapi.TaskPassphrase])(nil)
)

// ephemeralNote ends every description: what Terraform does with the values.
const ephemeralNote = " An ephemeral resource: Terraform opens it in every plan and apply, and keeps its values for that " +
	"run only, never in the state or a plan file, so it needs Terraform 1.10 or OpenTofu 1.11 or later. Its values can go " +
	"where ephemeral values are accepted: a provider block, a write-only argument, a provisioner or `connection` " +
	"block, an ephemeral variable or output of a child module, a `locals` value used there. Secrets are sensitive, and the provider masks them in its log lines. One request per open."

// NewTaskCertificateEphemeralResource is sms_task_certificate: the certificates and private keys
// of a task's secure channel, GET /v3/tasks/{task_id}/certkey.
func NewTaskCertificateEphemeralResource() ephemeral.EphemeralResource {
	return &ephemeralObject[smsapi.TaskCertificate]{typeName: "_task_certificate", target: taskCertificateTarget, id: taskIDArgument,
		open: (*smsapi.Client).ShowTaskCertificate,
		description: "Reads the certificates and private keys of the secure transmission channel of one Huawei Cloud SMS " +
			"migration task (`GET /v3/tasks/{task_id}/certkey`), as PEM text with its line breaks. An answer without " +
			"`cert` and `private_key`, or with a target certificate without its key, fails the open." + ephemeralNote}
}

// NewTaskPassphraseEphemeralResource is sms_task_passphrase: the passphrase of a task's channel
// certificate, GET /v3/tasks/{task_id}/passphrase.
func NewTaskPassphraseEphemeralResource() ephemeral.EphemeralResource {
	return &ephemeralObject[smsapi.TaskPassphrase]{typeName: "_task_passphrase", target: taskPassphraseTarget, id: taskIDArgument,
		open: (*smsapi.Client).ShowTaskPassphrase,
		description: "Reads the passphrase of the certificate of the secure transmission channel of one Huawei Cloud SMS " +
			"migration task (`GET /v3/tasks/{task_id}/passphrase`). An answer for another task, or without a passphrase, " +
			"fails the open." + ephemeralNote}
}

// NewServerTemplatePasswordEphemeralResource is sms_server_template_password: the password a
// server template sets on its target servers, GET /v3/vm/templates/{id}/target-password.
func NewServerTemplatePasswordEphemeralResource() ephemeral.EphemeralResource {
	return &ephemeralObject[smsapi.TemplatePassword]{typeName: "_server_template_password", target: templatePasswordTarget,
		id: templateIDArgument, open: (*smsapi.Client).ShowTemplatePassword,
		description: "Reads the password that one Huawei Cloud SMS server template sets on the target servers it creates " +
			"(`GET /v3/vm/templates/{id}/target-password`); the template data sources leave it out. An answer for " +
			"another template, or without a password (a template that sets none), fails the open." + ephemeralNote}
}

var templateIDArgument = &idArgument{name: "template_id", description: "ID of the server template whose target " +
	"password to read (path parameter `id`), as `sms_server_templates` returns it."}

// Neither the SDK nor the API reference names the IAM actions of the secret reads, so their
// diagnostics name the read actions of the task or template and say that these are not confirmed.
var (
	taskCertificateTarget = readTarget{
		dataSource: "sms_task_certificate", request: "GET /v3/tasks/{task_id}/certkey", what: "task certificate",
		title: "SMS Task Certificate", body: "a task's certificates and keys",
		permission: "read a task's certificates and keys: grant the IAM policy actions that read migration tasks, " +
			"such as sms:server:getTask; the action of this request is not confirmed",
	}
	taskPassphraseTarget = readTarget{
		dataSource: "sms_task_passphrase", request: "GET /v3/tasks/{task_id}/passphrase", what: "task passphrase",
		title: "SMS Task Passphrase", body: "a task's passphrase",
		permission: "read a task's passphrase: grant the IAM policy actions that read migration tasks, " +
			"such as sms:server:getTask; the action of this request is not confirmed",
	}
	templatePasswordTarget = readTarget{
		dataSource: "sms_server_template_password", request: "GET /v3/vm/templates/{id}/target-password",
		what: "server template password", title: "SMS Server Template Password", body: "a template's target password",
		permission: "read a server template's target password: grant the IAM policy actions that read server " +
			"templates; the action of this request is not confirmed",
	}
)

func (e *ephemeralObject[T]) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + e.typeName
}

func (e *ephemeralObject[T]) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attrs := ephemeralAttributes(reflect.TypeFor[T]())
	id := e.id.attribute()
	attrs[e.id.name] = schema.StringAttribute{Required: true, Validators: id.Validators,
		MarkdownDescription: strings.Replace(id.MarkdownDescription, "fails the read", "fails the open", 1)}
	resp.Schema = schema.Schema{MarkdownDescription: e.description, Attributes: attrs}
}

func (e *ephemeralObject[T]) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// Open reads the object and sets every attribute at once, so a failed read sets none. Once
// the answer is decoded, its secrets are masked in every later log line of the open, as the
// credentials are in all of them.
func (e *ephemeralObject[T]) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if e.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The sms provider was not configured before "+
			e.target.dataSource+" was opened. This is a bug in the provider; please report it.")
		return
	}
	ctx = withSecretMasks(ctx, e.data.secrets)
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(e.id.name), &id)...)
	if resp.Diagnostics.HasError() || id.IsUnknown() || id.IsNull() {
		return // Terraform opens an ephemeral resource only once its configuration is known.
	}
	object, err := e.open(e.data.client, ctx, id.ValueString())
	if err != nil {
		addReadError(&resp.Diagnostics, ctx, err, 0, e.data.method, e.target)
		return
	}
	v := reflect.ValueOf(object).Elem()
	ctx = withSecretMasks(ctx, secretValues(v))
	resultType := schemaType[tftypes.Object](resp.Result.Schema.Type().TerraformType(ctx))
	attrs := make(map[string]tftypes.Value, len(resultType.AttributeTypes))
	for i := range v.NumField() {
		attrs[jsonName(v.Type().Field(i))] = apiValue(v.Field(i), tftypes.String)
	}
	attrs[e.id.name] = tftypes.NewValue(tftypes.String, id.ValueString()) // The configured id, as the answer may spell it otherwise.
	resp.Result.Raw = tftypes.NewValue(resultType, attrs)
	tflog.Debug(ctx, "opened "+e.target.dataSource, map[string]any{e.id.name: id.ValueString(), "attributes": len(attrs)})
}

// ephemeralAttributes returns the computed attributes of a secret API struct type, keyed by JSON
// name, each described by its doc tag and sensitive when tagged secret:"true". The secret types
// hold strings only: apiAttributes derives the data sources' richer types, in another package's
// schema types.
func ephemeralAttributes(t reflect.Type) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type != reflect.TypeFor[*string]() {
			panic(fmt.Sprintf("provider: %s.%s is a %s; ephemeral objects hold strings only", t, f.Name, f.Type))
		}
		attrs[jsonName(f)] = schema.StringAttribute{Computed: true, MarkdownDescription: fieldDoc(f),
			Sensitive: f.Tag.Get("secret") == "true"}
	}
	return attrs
}

// secretValues returns the values of the fields of v tagged secret:"true", and each line of a
// multi-line one apart from PEM armour and lines too short to be told from other text, so that a
// log line quoting one line of a key is masked too.
func secretValues(v reflect.Value) []string {
	var secrets []string
	for i := range v.NumField() {
		s, ok := v.Field(i).Interface().(*string)
		if !ok || s == nil || *s == "" || v.Type().Field(i).Tag.Get("secret") != "true" {
			continue
		}
		secrets = append(secrets, *s)
		if !strings.Contains(*s, "\n") {
			continue
		}
		for _, line := range strings.Split(*s, "\n") {
			if line = strings.TrimSpace(line); len(line) >= maskAnywhereLen && !strings.HasPrefix(line, "-----") {
				secrets = append(secrets, line)
			}
		}
	}
	return secrets
}
