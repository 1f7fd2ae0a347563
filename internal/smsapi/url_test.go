package smsapi

import (
	"strings"
	"testing"
)

// Issue 10, item 1: a URL with user information or a query is never repeated with them.
func TestCheckEndpointURL_NeverRepeatsCredentials(t *testing.T) {
	cases := map[string]string{
		"user info":           "http://admin:PW-secret-1@sms.example.com",
		"user info, no http":  "ftp://admin:PW-secret-1@sms.example.com",
		"token in the query":  "https://sms.example.com/?X-Auth-Token=PW-secret-1",
		"unparseable w/ user": "http://admin:PW-secret-1@sms example.com/%zz",
		"fragment":            "https://sms.example.com/#PW-secret-1",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := CheckEndpointURL(raw)
			if err == nil {
				t.Fatalf("CheckEndpointURL(%q) accepted it", raw)
			}
			if strings.Contains(err.Error(), "PW-secret-1") {
				t.Errorf("the error repeats the credential: %v", err)
			}
			if _, err := New(Config{Endpoint: raw, Auth: TokenAuth{Token: testToken}}); err == nil || strings.Contains(err.Error(), "PW-secret-1") {
				t.Errorf("New: %v", err)
			}
		})
	}
	for raw, want := range map[string]string{
		"https://u:p@h.example.com:8443/v3?x=1#f": "https://h.example.com:8443/v3",
		"http://h/path@x?y":                       "http://h/path@x",
		"not a url":                               "not a url",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
