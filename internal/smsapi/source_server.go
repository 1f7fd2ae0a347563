package smsapi

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// sourceServerObject is the collection of registered source servers, read one at a time by id.
var sourceServerObject = objectKind{collection: "/v3/sources", kind: "source server", noun: "source server", arg: "source_id"}

// ShowSourceServer fetches the detail of one source server, GET /v3/sources/{source_id}: its
// disks, networks, volume groups, Btrfs file systems, firmware, checks and Agent. A 404 with an
// SMS error code is a *NotFoundError, as for ShowTask.
func (c *Client) ShowSourceServer(ctx context.Context, sourceID string) (*SourceServerDetail, error) {
	a := answer[SourceServerDetail]{resource: "source server " + sourceID, want: "a JSON object with the source server's fields",
		validate: func(s *SourceServerDetail) error { return checkSourceServer(s, sourceID) }}
	return getObjectAnswer(ctx, c, sourceServerObject, sourceID, "", a)
}

// checkSourceServer rejects an answer that cannot be the server asked for: one that holds none
// of a server's fields (a pre-flight check would judge nulls) or that names another server. An
// answer without an id is kept, since nothing in the reference promises one.
func checkSourceServer(s *SourceServerDetail, sourceID string) error {
	if reflect.ValueOf(s).Elem().IsZero() {
		return errors.New("the body holds none of the source server's fields")
	}
	if s.ID != nil && !strings.EqualFold(*s.ID, sourceID) {
		return fmt.Errorf("the body describes the source server %q, not the source server %q that was asked for",
			truncate(*s.ID, 80), sourceID)
	}
	return nil
}
