package smsapi

import (
	"context"
	"fmt"
	"net/url"
)

// objectKind is a collection of the API whose objects are read one at a time by id, GET
// {collection}/{id} and its sub-resources: what a *NotFoundError says of a missing one.
type objectKind struct {
	collection string // "/v3/tasks"
	kind       string // "task"
	noun       string // "migration task"
	arg        string // "task_id"
}

var taskObject = objectKind{collection: "/v3/tasks", kind: "task", noun: "migration task", arg: "task_id"}

// getObjectAnswer GETs {collection}/{id}{sub} into a new R: the id is checked before any
// request, and a 404 that the SMS API itself answers (an SMS error code) is returned as a
// *NotFoundError naming the id; a gateway's 404 (APIGW.0101, an HTML page, no code) says nothing
// about the object, and is returned as the *APIError it is.
func getObjectAnswer[R any](ctx context.Context, c *Client, k objectKind, id, sub string, a answer[R]) (*R, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("smsapi: %s id %q is not an id (1 to 255 letters, digits, '-', '_' or '.')", k.kind, id)
	}
	u, err := c.apiURL(k.collection+"/"+url.PathEscape(id)+sub, nil)
	if err != nil {
		return nil, err
	}
	var dst R
	if _, err := getAnswer(ctx, c, u, a, &dst); err != nil {
		if ae, ok := AsAPIError(err); ok && ae.Status == 404 && isSMSErrorCode(ae.Code) {
			return nil, &NotFoundError{Kind: k.kind, Noun: k.noun, Arg: k.arg, ID: id, APIError: ae}
		}
		return nil, err
	}
	return &dst, nil
}
