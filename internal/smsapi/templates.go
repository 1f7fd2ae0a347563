package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// The target server templates of GET /v3/vm/templates and GET /v3/vm/templates/{id} (the SDK's
// TemplateResponseBody). The API sends each template's target_password, the password of the
// servers created from it, in both answers. No type here has a field for it: a template is
// decoded through UnmarshalJSON, which keeps only whether a password is set, so the password
// cannot reach the state, a log line or a diagnostic through anything this package returns.

// ServerTemplate is one target server template: how SMS creates the target server of a task.
type ServerTemplate struct {
	ID                *string                 `json:"id" doc:"ID of the template."`
	Name              *string                 `json:"name" doc:"Name of the template."`
	IsTemplate        *string                 `json:"is_template" doc:"Whether the template is a general one, as the string 'true' or 'false': a template that belongs to a task is not."`
	Region            *string                 `json:"region" doc:"Region of the target server, such as 'cn-north-4'."`
	ProjectID         *string                 `json:"projectid" doc:"ID of the project that holds the target server."`
	TargetServerName  *string                 `json:"target_server_name" doc:"Name of the target server to create."`
	AvailabilityZone  *string                 `json:"availability_zone" doc:"Availability zone of the target server, such as 'cn-north-4a'."`
	VolumeType        *string                 `json:"volumetype" doc:"Disk type of the target server's disks: 'SAS', 'SSD' or 'SATA' in the SDK, other EVS types possible."`
	Flavor            *string                 `json:"flavor" doc:"Flavor of the target server, such as 's6.large.2'."`
	VPC               *TemplateVPC            `json:"vpc" doc:"VPC of the target server."`
	NICs              []TemplateNIC           `json:"nics" doc:"Network interfaces of the target server; one with the id 'autoCreate' when SMS creates the subnet."`
	SecurityGroups    []TemplateSecurityGroup `json:"security_groups" doc:"Security groups of the target server; one with the id 'autoCreate' when SMS creates it."`
	PublicIP          *TemplatePublicIP       `json:"publicip" doc:"Elastic IP of the target server."`
	Disk              []TemplateDisk          `json:"disk" doc:"Disks of the target server."`
	DataVolumeType    *string                 `json:"data_volume_type" doc:"Disk type of the target server's data disks: 'SAS', 'SSD' or 'SATA' in the SDK, other EVS types possible."`
	ImageID           *string                 `json:"image_id" doc:"ID of the image version chosen for the target server."`
	HasTargetPassword *bool                   `json:"has_target_password" doc:"Derived by the provider, not an API field: true when the API's answer holds a non-empty 'target_password', false when it holds an empty one, null when it holds none. The password itself is never read into the state; the ephemeral resource 'sms_server_template_password' reads it during a run."`
}

// TemplateVPC is the SDK's VpcObject.
type TemplateVPC struct {
	ID   *string `json:"id" doc:"ID of the VPC, or 'autoCreate' when SMS creates it."`
	Name *string `json:"name" doc:"Name of the VPC."`
	CIDR *string `json:"cidr" doc:"CIDR block of the VPC; SMS uses '192.168.0.0/16' when it creates one."`
}

// TemplateNIC is the SDK's Nics: a subnet of the target server.
type TemplateNIC struct {
	ID   *string `json:"id" doc:"ID of the subnet, or 'autoCreate' when SMS creates it."`
	Name *string `json:"name" doc:"Name of the subnet."`
	CIDR *string `json:"cidr" doc:"Gateway and mask of the subnet."`
	IP   *string `json:"ip" doc:"IP address of the target server in the subnet; null when it is assigned automatically."`
}

// TemplateSecurityGroup is the SDK's SgObject.
type TemplateSecurityGroup struct {
	ID   *string `json:"id" doc:"ID of the security group, or 'autoCreate' when SMS creates it."`
	Name *string `json:"name" doc:"Name of the security group."`
}

// TemplatePublicIP is the SDK's PublicIp.
type TemplatePublicIP struct {
	Type               *string `json:"type" doc:"Elastic IP type, such as '5_bgp' (the default)."`
	BandwidthSize      *int64  `json:"bandwidth_size" doc:"Bandwidth, in Mbit/s."`
	BandwidthShareType *string `json:"bandwidth_share_type" doc:"Bandwidth sharing type, as the EIP service names it, such as 'PER'."`
}

// TemplateDisk is the SDK's TemplateDisk.
type TemplateDisk struct {
	ID        *int64  `json:"id" doc:"ID of the disk."`
	Index     *int64  `json:"index" doc:"Position of the disk, from 0."`
	Name      *string `json:"name" doc:"Name of the disk."`
	DiskType  *string `json:"disktype" doc:"EVS disk type, such as 'SAS' or 'SSD'."`
	Size      *int64  `json:"size" doc:"Size of the disk, in GB."`
	DeviceUse *string `json:"device_use" doc:"Use of the disk, such as 'BOOT' or 'NORMAL'."`
}

// templateWithPassword is a template as the API sends it: ServerTemplate's fields (through a
// type without its methods) and the password, kept as raw JSON so that a password of the wrong
// type is not quoted by a decoding error.
type templateWithPassword struct {
	*templateFields
	TargetPassword json.RawMessage `json:"target_password"`
}

type templateFields ServerTemplate

// UnmarshalJSON decodes a template and sets HasTargetPassword from its target_password, which it
// then drops: the password is not kept anywhere the decoded template goes. A
// has_target_password sent by the API is ignored, since the attribute is the provider's own.
func (t *ServerTemplate) UnmarshalJSON(data []byte) error {
	*t = ServerTemplate{}
	in := templateWithPassword{templateFields: (*templateFields)(t)}
	err := json.Unmarshal(data, &in)
	password := in.TargetPassword
	in.TargetPassword = nil
	if err != nil {
		return err
	}
	t.HasTargetPassword, err = passwordSet(password)
	clear(password) // The decoder's copy of the body; the body itself is the caller's.
	return err
}

// passwordSet says whether a raw target_password holds a password: nil when the key is absent or
// null. Only the JSON type is named in an error, never the value.
func passwordSet(raw json.RawMessage) (*bool, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, nil
	case raw[0] == '"':
		set := string(raw) != `""`
		return &set, nil
	}
	kind := "number"
	switch raw[0] {
	case '{':
		kind = "object"
	case '[':
		kind = "array"
	case 't', 'f':
		kind = "boolean"
	}
	return nil, fmt.Errorf("target_password is a JSON %s, not a string", kind)
}

// ListServerTemplatesQuery filters GET /v3/vm/templates. A nil filter is not sent.
type ListServerTemplatesQuery struct {
	Name             *string
	AvailabilityZone *string
	Region           *string
	ID               *string
	// PageSize is the API's limit. 0 means MaxTemplatePageSize (100); the API's own default,
	// when no limit is sent, is 50.
	PageSize int
}

// MaxTemplatePageSize is the largest limit GET /v3/vm/templates accepts (the SDK's bound), half
// the other listings'.
const MaxTemplatePageSize = 100

// Values returns the filters as query parameters, without limit and offset; unset filters are
// left out. The provider hashes them into the data source's id.
func (q ListServerTemplatesQuery) Values() url.Values {
	v := url.Values{}
	for _, f := range []struct {
		key string
		val *string
	}{
		{"name", q.Name}, {"availability_zone", q.AvailabilityZone}, {"region", q.Region}, {"id", q.ID},
	} {
		if f.val != nil {
			v.Set(f.key, *f.val)
		}
	}
	return v
}

// ListServerTemplatesResponse is the body of a successful GET /v3/vm/templates.
type ListServerTemplatesResponse struct {
	// Count is the number of templates that match the filters, independent of paging.
	Count     *int64           `json:"count"`
	Templates []ServerTemplate `json:"templates"`
}

// ServerTemplateList is the result of ListServerTemplates.
type ServerTemplateList = Listing[ServerTemplate]

// serverTemplatesList is GET /v3/vm/templates. Templates have no state to compare between copies.
// The id, region and availability zone filters are checked on every template; name is not,
// since the reference does not say whether it matches exactly.
var serverTemplatesList = listSpec[ServerTemplate, ListServerTemplatesResponse]{
	path: "/v3/vm/templates", itemsKey: "templates", noun: "server templates", name: "a template list",
	fields: func(r *ListServerTemplatesResponse) (*int64, *[]ServerTemplate) { return r.Count, &r.Templates },
	itemID: func(t *ServerTemplate) (string, bool) {
		if t.ID == nil || *t.ID == "" {
			return "", false // An empty id identifies nothing.
		}
		return *t.ID, true
	},
	filters: sortedChecks(
		itemFilter[ServerTemplate]{key: "id", value: func(t *ServerTemplate) *string { return t.ID }, fold: true},
		itemFilter[ServerTemplate]{key: "region", value: func(t *ServerTemplate) *string { return t.Region }},
		itemFilter[ServerTemplate]{key: "availability_zone", value: func(t *ServerTemplate) *string { return t.AvailabilityZone }},
	),
	maxLimit: MaxTemplatePageSize,
}

// ListServerTemplatesPage fetches one page of GET /v3/vm/templates at a record offset.
func (c *Client) ListServerTemplatesPage(ctx context.Context, q ListServerTemplatesQuery, offset int) (*ListServerTemplatesResponse, error) {
	return serverTemplatesList.page(ctx, c, q.Values(), q.PageSize, offset)
}

// ListServerTemplates reads every page of GET /v3/vm/templates with the paging engine (ListAll),
// under the same rules as tasks and source servers.
func (c *Client) ListServerTemplates(ctx context.Context, q ListServerTemplatesQuery) (*ServerTemplateList, error) {
	return serverTemplatesList.list(ctx, c, q.Values(), q.PageSize)
}

// serverTemplateObject is the collection of GET /v3/vm/templates/{id}.
var serverTemplateObject = objectKind{collection: "/v3/vm/templates", kind: "server template", noun: "server template", arg: "id"}

// showTemplateAnswer is the body of GET /v3/vm/templates/{id}, the SDK's ShowTemplateResponse:
// the template wrapped in an object.
type showTemplateAnswer struct {
	Template *ServerTemplate `json:"template"`
}

// ShowServerTemplate fetches one template, GET /v3/vm/templates/{id}, and returns it unwrapped.
// A 404 with an SMS error code is a *NotFoundError, as for ShowTask.
func (c *Client) ShowServerTemplate(ctx context.Context, id string) (*ServerTemplate, error) {
	a := answer[showTemplateAnswer]{resource: "server template " + id, want: "a JSON object with the template object",
		validate: func(b *showTemplateAnswer) error { return checkShowTemplate(b, id) }}
	body, err := getObjectAnswer(ctx, c, serverTemplateObject, id, "", a)
	if err != nil {
		return nil, err
	}
	return body.Template, nil
}

// checkShowTemplate rejects an answer that cannot be the template asked for: no template object
// (a bare template, or another key, is not the documented answer), one that holds none of a
// template's fields or names neither its id nor its name, or one that names another template. A
// template without an id is kept, since the SDK does not promise one.
func checkShowTemplate(b *showTemplateAnswer, id string) error {
	t := b.Template
	switch {
	case t == nil:
		return errors.New("the body holds no template object")
	case reflect.ValueOf(t).Elem().IsZero():
		return errors.New("the template object holds none of a template's fields")
	case t.ID != nil && !strings.EqualFold(*t.ID, id):
		return fmt.Errorf("the body describes the template %q, not the template %q that was asked for", truncate(*t.ID, 80), id)
	case deref(t.ID) == "" && deref(t.Name) == "":
		return errors.New("the template object names neither the template's id nor its name")
	}
	return nil
}
