package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
)

// maxSharedConfigSize bounds the shared configuration file read into memory.
const maxSharedConfigSize = 1 << 20

// sharedConfig is the file of the Huawei Cloud CLI (KooCLI), ~/.hcloud/config.json, in the form
// the huaweicloud provider reads it (huaweicloud/config/auth.go, SharedConfig and Profile).
type sharedConfig struct {
	Current  string          `json:"current"`
	Profiles []sharedProfile `json:"profiles"`
}

type sharedProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	ProjectID       string `json:"projectId"`
	DomainID        string `json:"domainId"`
	SsoAuth         struct {
		StsToken struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SecurityToken   string `json:"securityToken"`
		} `json:"stsToken"`
	} `json:"ssoAuth"`
}

// readProfile returns the arguments a shared configuration profile supplies, keyed by argument
// name, when profile or shared_config_file is set; they rank below the block and the environment.
// As in the huaweicloud provider, the file defaults to ~/.hcloud/config.json and the profile to
// the file's "current", and a profile in SSO mode supplies the temporary keys of its STS token.
func readProfile(r resolver) map[string]string {
	name, _ := r.lookup("profile")
	file, _ := r.lookup("shared_config_file")
	if name == "" && file == "" {
		return nil
	}
	attribute := path.Root("shared_config_file")
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			r.diags.AddAttributeError(attribute, "Missing Shared Configuration File",
				fmt.Sprintf("profile is set but the home directory is unknown (%s); set shared_config_file.", err))
			return nil
		}
		file = filepath.Join(home, ".hcloud", "config.json")
	} else if rest, ok := strings.CutPrefix(file, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			file = filepath.Join(home, rest)
		}
	}

	config, err := loadSharedConfig(file)
	if err != nil {
		r.diags.AddAttributeError(attribute, "Unreadable Shared Configuration File",
			fmt.Sprintf("The shared configuration file %s cannot be used: %s. It is the Huawei Cloud CLI's "+
				"config.json, with \"current\" and a list of \"profiles\".", file, err))
		return nil
	}
	if name == "" {
		name = config.Current
	}
	for _, p := range config.Profiles {
		if p.Name != name || name == "" {
			continue
		}
		keys := [3]string{p.AccessKeyID, p.SecretAccessKey, p.SecurityToken}
		if strings.EqualFold(p.Mode, "SSO") {
			sts := p.SsoAuth.StsToken
			keys = [3]string{sts.AccessKeyID, sts.SecretAccessKey, sts.SecurityToken}
		}
		return map[string]string{
			"access_key": keys[0], "secret_key": keys[1], "security_token": keys[2],
			"region": p.Region, "project_id": p.ProjectID, "domain_id": p.DomainID,
		}
	}
	r.diags.AddAttributeError(path.Root("profile"), "Unknown Shared Configuration Profile",
		fmt.Sprintf("The shared configuration file %s has no profile named %q. Set profile (HW_PROFILE) to one of "+
			"its profiles, or set \"current\" in the file.", file, name))
	return nil
}

func loadSharedConfig(file string) (sharedConfig, error) {
	var config sharedConfig
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return config, errors.New("it does not exist")
		}
		return config, errors.New("it cannot be opened")
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxSharedConfigSize+1))
	switch {
	case err != nil:
		return config, errors.New("it cannot be read")
	case len(data) > maxSharedConfigSize:
		return config, fmt.Errorf("it is larger than %d bytes", maxSharedConfigSize)
	}
	// The decoder's message is left out: it could quote part of the file, which holds secrets.
	if json.Unmarshal(data, &config) != nil {
		return config, errors.New("it is not valid JSON")
	}
	return config, nil
}
