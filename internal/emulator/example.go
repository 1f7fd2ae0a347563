package emulator

import (
	"bytes"
	_ "embed" // For the example response.
	"encoding/json"
)

// exampleResponse is the "Example Response" body of the API reference for Listing Migration
// Tasks, copied byte for byte, with its nulls and its three tasks that share one id.
//
//go:embed testdata/example-response.json
var exampleResponse []byte

// ExampleResponse returns the reference's example response body, byte for byte.
func ExampleResponse() []byte {
	return bytes.Clone(exampleResponse)
}

// ExampleTasks returns the three tasks of the reference's example response, each exactly as
// written there, whitespace included, so that a server given them serves the documented bytes.
func ExampleTasks() []json.RawMessage {
	var body struct {
		Tasks []json.RawMessage `json:"tasks"`
	}
	// RawMessage keeps each element's bytes as they appear in the input.
	if err := json.Unmarshal(exampleResponse, &body); err != nil {
		panic("emulator: embedded example response is not JSON: " + err.Error())
	}
	return body.Tasks
}
