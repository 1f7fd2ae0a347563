package smsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// decodeListTasks parses one page. It checks the shape first so that the common wrong answers
// (an HTML page from a proxy, an array, null) get a message that says so instead of a JSON
// library error, and json.Unmarshal then rejects trailing data, wrong types and numbers that do
// not fit. Numbers go straight into int64 fields, so ids above 2^53 keep every digit.
func decodeListTasks(body []byte) (*ListTasksResponse, error) {
	return decodeListTasksInto(body, nil)
}

// decodeListTasksInto is decodeListTasks writing the tasks into dst's array when they fit in its
// capacity: encoding/json appends array elements to the slice it is given. dst must be zeroed
// memory, because json leaves a field absent from the body as it finds it.
func decodeListTasksInto(body []byte, dst []Task) (*ListTasksResponse, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("the body is empty, want a JSON object with count and tasks")
	}
	if trimmed[0] != '{' {
		return nil, notAnObject(trimmed)
	}
	out := ListTasksResponse{Tasks: dst[:0]}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, describeJSONError(err, len(body))
	}
	return &out, nil
}

func notAnObject(trimmed []byte) error {
	if trimmed[0] == '<' {
		return fmt.Errorf("the body is HTML or XML, not JSON (a proxy or login page may have answered): %q", excerpt(trimmed, 80))
	}
	if !json.Valid(trimmed) {
		return fmt.Errorf("the body is not JSON: %q", excerpt(trimmed, 80))
	}
	kind := "number"
	switch trimmed[0] {
	case '[':
		kind = "an array"
	case '"':
		kind = "a string"
	case 'n':
		kind = "null"
	case 't', 'f':
		kind = "a boolean"
	}
	return fmt.Errorf("the body is JSON %s, want an object with count and tasks", kind)
}

// jsonProblem carries a readable message while keeping the json error for errors.As.
type jsonProblem struct {
	msg string
	err error
}

func (p *jsonProblem) Error() string { return p.msg }
func (p *jsonProblem) Unwrap() error { return p.err }

func describeJSONError(err error, size int) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return &jsonProblem{fmt.Sprintf("the JSON ends early after %d bytes (truncated body)", size), err}
	case errors.As(err, &syn):
		return &jsonProblem{fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, syn.Error()), err}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		want := describeType(typ.Type)
		if strings.HasPrefix(typ.Value, "number") && typ.Type != nil && typ.Type.Kind() == reflect.Int64 {
			return &jsonProblem{fmt.Sprintf("field %q at byte %d: %s is not an integer that fits in 64 bits", field, typ.Offset, typ.Value), err}
		}
		return &jsonProblem{fmt.Sprintf("field %q at byte %d: got JSON %s, want %s", field, typ.Offset, typ.Value, want), err}
	}
	return &jsonProblem{"invalid JSON: " + err.Error(), err}
}

// describeType names Go types in the JSON terms a user sees in the body.
func describeType(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
