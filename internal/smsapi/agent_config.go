package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// AgentConfig is the answer of GET /v3/config (the SDK's ShowConfigResponse): the configuration
// the SMS-Agent of a source server fetches when it starts.
type AgentConfig struct {
	Config  map[string]*string   `json:"config" doc:"Agent settings by name, such as 'mainRegion', 'obs_domain', 'disktype' and 'process_and_it'; the API adds names over time."`
	Regions []map[string]*string `json:"regions" doc:"Regions the Agent can migrate to, each a map with keys such as 'region_name' and 'project_name'."`
}

// agentConfigAnswer is how GET /v3/config is decoded: its maps as lists of entries, so that the
// decode path, which does not walk Go maps, masks and escapes their keys and values like every
// other string of an answer (see cleanDecodedStrings), before ShowAgentConfig builds the maps.
type agentConfigAnswer struct {
	Config  stringMap   `json:"config"`
	Regions []stringMap `json:"regions"`
}

// stringMap is a JSON object of strings as decoded, its entries in body order; nil for JSON null.
type stringMap []stringMapEntry

type stringMapEntry struct {
	Key   string
	Value *string
}

// UnmarshalJSON reads an object whose values are strings or null. The reference types the
// regions as maps of objects while the SDK says strings, so a number or a boolean is kept as
// its JSON text (3, true), as Terraform itself turns one into a string; an object or an array
// has no string form and fails the read.
func (m *stringMap) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*m = nil
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	entries := make(stringMap, 0, len(raw))
	for k, v := range raw {
		e := stringMapEntry{Key: k}
		switch v = bytes.TrimSpace(v); v[0] {
		case 'n':
		case '"':
			e.Value = new(string)
			if err := json.Unmarshal(v, e.Value); err != nil {
				return err
			}
		case '{', '[':
			return &json.UnmarshalTypeError{Value: map[byte]string{'{': "object", '[': "array"}[v[0]],
				Type: reflect.TypeFor[string](), Field: k}
		default:
			e.Value = new(string(v))
		}
		entries = append(entries, e)
	}
	*m = entries
	return nil
}

// ShowAgentConfig fetches the Agent configuration, GET /v3/config.
func (c *Client) ShowAgentConfig(ctx context.Context) (*AgentConfig, error) {
	if err := c.usable(ctx); err != nil {
		return nil, err
	}
	u, err := c.apiURL("/v3/config", nil)
	if err != nil {
		return nil, err
	}
	var got agentConfigAnswer
	a := answer[agentConfigAnswer]{resource: "agent configuration", want: "a JSON object with config and regions",
		validate: checkAgentConfig}
	if _, err := getAnswer(ctx, c, u, a, &got); err != nil {
		return nil, err
	}
	cfg := &AgentConfig{Config: got.Config.toMap()}
	if got.Regions != nil {
		cfg.Regions = make([]map[string]*string, len(got.Regions))
		for i, r := range got.Regions {
			cfg.Regions[i] = r.toMap()
		}
	}
	return cfg, nil
}

// checkAgentConfig rejects an answer with neither config nor regions, a region that is null, or
// a map with two keys that are one after the decode path cleaned them (a key holding a line
// break is written with the escape \n, which another key may already spell out; two keys that
// echo a credential are both masked).
func checkAgentConfig(a *agentConfigAnswer) error {
	if a.Config == nil && a.Regions == nil {
		return errors.New("the body holds neither config nor regions")
	}
	if err := a.Config.checkKeys("config"); err != nil {
		return err
	}
	for i, r := range a.Regions {
		if r == nil {
			return fmt.Errorf("regions[%d] is null, not a region", i)
		}
		if err := r.checkKeys(fmt.Sprintf("regions[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (m stringMap) checkKeys(name string) error {
	seen := make(map[string]bool, len(m))
	for _, e := range m {
		if seen[e.Key] {
			return fmt.Errorf("%s holds the key %q twice once its keys are cleaned (control characters escaped, credentials masked)",
				name, truncate(e.Key, 80))
		}
		seen[e.Key] = true
	}
	return nil
}

func (m stringMap) toMap() map[string]*string {
	if m == nil {
		return nil
	}
	out := make(map[string]*string, len(m))
	for _, e := range m {
		out[e.Key] = e.Value
	}
	return out
}
