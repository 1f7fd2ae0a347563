package smsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// The config and every region are read as maps, a null value kept null and a number or a
// boolean kept as its JSON text.
func TestShowAgentConfig_ReadsTheMaps(t *testing.T) {
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, 200, `{"config":{"mainRegion":"cn-north-4","disktype":"SAS","process_and_it":null,"max_tasks":12,"beta":true},
			"regions":[{"region_name":"cn-north-4","project_name":"cn-north-4"},{}]}`)
	})
	cfg, err := newTestClient(t, srv.URL+"/sms/").ShowAgentConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/sms/v3/config" {
		t.Errorf("path %q", gotPath)
	}
	c := cfg.Config
	if len(c) != 5 || *c["mainRegion"] != "cn-north-4" || *c["disktype"] != "SAS" || c["process_and_it"] != nil ||
		*c["max_tasks"] != "12" || *c["beta"] != "true" {
		t.Errorf("config: %v", c)
	}
	if len(cfg.Regions) != 2 || *cfg.Regions[0]["project_name"] != "cn-north-4" || cfg.Regions[1] == nil || len(cfg.Regions[1]) != 0 {
		t.Errorf("regions: %v", cfg.Regions)
	}
}

// A map the API leaves out or sends as null stays nil.
func TestShowAgentConfig_KeepsAbsentMapsNull(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"config":null,"regions":[{"region_name":"r"}]}`)
	})
	cfg, err := newTestClient(t, srv.URL).ShowAgentConfig(context.Background())
	if err != nil || cfg.Config != nil || len(cfg.Regions) != 1 {
		t.Errorf("config %v, regions %v, %v", cfg.Config, cfg.Regions, err)
	}
	srv = newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"config":{"a":"b"}}`) })
	if cfg, err := newTestClient(t, srv.URL).ShowAgentConfig(context.Background()); err != nil || cfg.Regions != nil {
		t.Errorf("regions %v, %v", cfg, err)
	}
}

// Keys and values of a hostile answer reach the caller cleaned, as every other string: line
// breaks in a key escaped, an echoed token masked; two keys that are one once escaped, a value
// that is an object, a null region, a repeated key and an answer with neither map fail the read.
func TestShowAgentConfig_HostileAnswers(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"config":{"obs\n\nApply complete!":"x","token":"`+testToken+`"},"regions":[{"n\u2028":"`+testToken+`"}]}`)
	})
	cfg, err := newTestClient(t, srv.URL).ShowAgentConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := cfg.Config[`obs\n\nApply complete!`]; !ok || *v != "x" {
		t.Errorf("config %v: want the key's line breaks escaped", cfg.Config)
	}
	assertNoToken(t, "config value", *cfg.Config["token"])
	if v, ok := cfg.Regions[0][`n\u2028`]; !ok {
		t.Errorf("region %v: want the key's separator escaped", cfg.Regions[0])
	} else {
		assertNoToken(t, "region value", *v)
	}
	for body, want := range map[string]string{
		`{}`:                                  "neither config nor regions",
		`{"config":null,"regions":null}`:      "neither config nor regions",
		`{"config":{"a\nb":"1","a\\nb":"2"}}`: `config holds the key "a\\nb" twice`,
		`{"regions":[{"r":"1"},null]}`:        "regions[1] is null",
		`{"config":{"a":{"b":"c"}}}`:          `field "config.a" at byte 0: got JSON object, want a string`,
		`{"config":{"a":"1","a":"2"}}`:        `the key "a" is repeated`,
		`{"config":"mainRegion=x"}`:           `field "config"`,
		`{"regions":{"r":"1"}}`:               `field "regions"`,
	} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		_, err := newTestClient(t, srv.URL).ShowAgentConfig(context.Background())
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want a DecodeError saying %q, got %v", body, want, err)
		}
	}
	srv = newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 403, `{"error_code":"SMS.0403","error_msg":"Forbidden"}`)
	})
	if _, err := newTestClient(t, srv.URL).ShowAgentConfig(context.Background()); err == nil {
		t.Error("403: no error")
	} else if ae, ok := AsAPIError(err); !ok || ae.Status != 403 {
		t.Errorf("403: %v", err)
	}
}
