package engine

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// Inventory is the part of the engine's CommandData and WatchData that the server reads: the raw
// settings rather than features, which the engine works out itself.
type Inventory struct {
	Tokens       []source.Token             `json:"tokens"`
	Owners       map[string]source.Owner    `json:"owners"`
	Usage        map[string]source.Usage    `json:"usage"`
	Seen         map[string]store.SeenEntry `json:"seen"`
	UsageUnknown []string                   `json:"usageUnknown,omitempty"`
	Policy       store.Policy               `json:"policy"`
	Settings     Settings                   `json:"settings"`

	// Parts that could not be read, named for the reader (owners, usage, seen, ...).
	Partial []string `json:"partial,omitempty"`
}

// NewInventory is an empty inventory under a policy, ready to be filled.
func NewInventory(policy store.Policy, cfg *model.Config) Inventory {
	return Inventory{
		Tokens:   []source.Token{},
		Owners:   map[string]source.Owner{},
		Usage:    map[string]source.Usage{},
		Seen:     map[string]store.SeenEntry{},
		Policy:   policy,
		Settings: SettingsOf(cfg),
	}
}

// Settings are the server settings the engine judges features by; absent means unknown.
type Settings struct {
	EnableUserAccessTokens *bool `json:"EnableUserAccessTokens,omitempty"`
}

// SettingsOf a config that did not arrive leaves every setting unknown.
func SettingsOf(cfg *model.Config) Settings {
	if cfg == nil {
		return Settings{}
	}
	return Settings{EnableUserAccessTokens: model.NewPointer(model.SafeDereference(cfg.ServiceSettings.EnableUserAccessTokens))}
}
