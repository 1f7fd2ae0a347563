package smsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// decodeAnswer decodes the body of a 2xx answer with decode (keep is false for a masked copy,
// whose result is thrown away) and makes the result safe for the state. Error messages quote the
// body, so a body holding a credential is described from a masked copy; a 2xx other than 200 is
// refused (notWhole); a 200 that carries a Huawei error body says so; credentials echoed in decoded strings are masked and control
// characters escaped (cleanDecodedStrings). want names the answer in messages ("a task list");
// sizeHint ends the message for a body over the size cap.
func (c *Client) decodeAnswer(ex *exchange, want, sizeHint string, decode func(body []byte, keep bool) (any, error)) error {
	if err := notWhole(ex.status); err != nil {
		return err
	}
	if ex.tooLarge {
		return fmt.Errorf("the body is larger than %s, the most that is read %s", byteSize(c.cfg.MaxResponseBytes), sizeHint)
	}
	secrets := c.secrets()
	echoed := containsAny(ex.body, secrets)
	decoded, err := decode(ex.body, true)
	errorAnswer := errors.Is(err, errAnswerIsError) // The scan saw an error key (see errorKeys).
	if err != nil && !errorAnswer {
		if echoed {
			if _, maskedErr := decode([]byte(maskSecrets(string(ex.body), secrets)), false); maskedErr != nil {
				err = maskedErr
			}
		}
		return sanitizeErr(err, secrets)
	}
	if v := reflect.ValueOf(decoded); errorAnswer || v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().IsZero() {
		// Some gateways answer 200 with an error body; its code and message say what went wrong.
		if eb := parseErrorBody(ex.body); eb.found {
			var b strings.Builder
			b.WriteString("the API answered with an error instead of " + want)
			writeIdentifiers(&b, sanitize(eb.code, secrets, maxIDLen), "")
			if eb.message != "" {
				b.WriteString(": " + sanitize(eb.message, secrets, maxMessageLen))
			}
			return errors.New(b.String())
		}
		if errorAnswer {
			return errors.New("the API answered with an error key (error_code, error_msg, errorCode, errorMsg, errorMessage or error) instead of " + want)
		}
	}
	cleanDecodedStrings(ex.body, reflect.ValueOf(decoded), secrets, echoed)
	return nil
}

// decodeBody parses a body that must be one JSON object into dst. It checks the shape first, so
// that the common wrong answers (an HTML page from a proxy, an array, null) get a message that
// says so and names want, instead of a JSON library error; json.Unmarshal then rejects trailing
// data, wrong types and numbers that do not fit. Numbers go straight into int64 fields, so ids
// above 2^53 keep every digit. A body with a repeated key, or whose itemsKey array holds more
// than limit items (limit > 0), is rejected by checkPageShape before anything is decoded, so an
// ambiguous or overfull body costs no more than its scan. It reports whether itemsKey holds an
// array (absent and null do not), and whether the scan could tell.
func decodeBody(body []byte, want, itemsKey string, limit int, dst any) (itemsPresent, scanned bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return false, false, errors.New("the body is empty, want " + want)
	}
	if trimmed[0] != '{' {
		return false, false, notAnObject(trimmed, want)
	}
	shape, scanErr := checkPageShape(body, itemsKey, limit)
	if scanErr != nil && !errors.Is(scanErr, errScanGaveUp) {
		return false, false, scanErr
	}
	if err := shape.problem(itemsKey, strings.ReplaceAll(itemsKey, "_", " ")); err != nil {
		return false, false, err
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return false, false, describeJSONError(err, len(body))
	}
	return shape.itemsPresent, scanErr == nil, nil
}

// notWhole rejects a 2xx status other than 200: the references document 200 only, and a 206
// Partial Content, say, is no whole answer for a gate to trust.
func notWhole(status int) error {
	if status == http.StatusOK {
		return nil
	}
	return fmt.Errorf("the API answered HTTP %d %s, where only 200 OK carries a whole answer", status, http.StatusText(status))
}

// errAnswerIsError is a 2xx body with a top-level error key holding an error value (see
// errorKeys and isErrorValue): an error answer, even when it also holds fields of the answer
// wanted (see decodeAnswer).
var errAnswerIsError = errors.New("the body holds an error code or message")

// problem rejects a scanned body that is an error answer, or whose itemsKey array holds null
// elements, which no listing's count should include.
func (shape pageShape) problem(itemsKey, noun string) error {
	switch {
	case shape.errorAnswer:
		return errAnswerIsError
	case shape.nullItems > 0:
		return fmt.Errorf("the %q array holds %d null element(s), which are not %s", itemsKey, shape.nullItems, noun)
	}
	return nil
}

// notAnObject says what a body that does not start an object is instead, and what it should be.
func notAnObject(trimmed []byte, want string) error {
	if trimmed[0] == '<' {
		return fmt.Errorf("the body is HTML or XML, not JSON (a proxy or login page may have answered): %q", excerpt(trimmed, 80))
	}
	if !json.Valid(trimmed) {
		return fmt.Errorf("the body is not JSON: %q", excerpt(trimmed, 80))
	}
	kind := "a JSON number"
	switch trimmed[0] {
	case '[':
		kind = "a JSON array"
	case '"':
		kind = "a JSON string"
	case 'n':
		kind = "JSON null"
	case 't', 'f':
		kind = "a JSON boolean"
	}
	return fmt.Errorf("the body is %s, want %s", kind, want)
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
		if number, ok := strings.CutPrefix(typ.Value, "number "); ok && typ.Type != nil {
			number = truncate(number, 40)
			switch kind := typ.Type.Kind(); {
			case kind == reflect.Int64 && strings.ContainsAny(number, ".eE"):
				return &jsonProblem{fmt.Sprintf("field %q at byte %d: %s is written with a fraction or an exponent, want a plain integer", field, typ.Offset, number), err}
			case kind == reflect.Int64:
				return &jsonProblem{fmt.Sprintf("field %q at byte %d: %s is outside the range of a 64-bit integer", field, typ.Offset, number), err}
			case kind == reflect.Float64:
				return &jsonProblem{fmt.Sprintf("field %q at byte %d: %s is beyond the range of a 64-bit floating-point number", field, typ.Offset, number), err}
			}
		}
		return &jsonProblem{fmt.Sprintf("field %q at byte %d: got JSON %s, want %s", field, typ.Offset, truncate(typ.Value, 40), want), err}
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

// byteSize writes n in MiB when it is a whole number of them, in bytes otherwise.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
