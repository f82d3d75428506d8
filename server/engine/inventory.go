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

// The parts an inventory may lack, named as the webapp names them (webapp/src/client/types.ts).
const (
	PartOwners = "owners"
	PartUsage  = "usage"
	PartSeen   = "seen"
	PartViews  = "views"
)

// FailedPart is a part of an inventory that could not be read.
type FailedPart struct {
	Part string
	Err  error
}

// AddWhole fills inv from one read of every token. The parts that failed are returned rather than
// noted, for each caller to note and log them as it does.
func (inv *Inventory) AddWhole(whole source.Whole) []FailedPart {
	inv.Tokens = whole.Tokens
	var failed []FailedPart
	if whole.OwnersErr != nil {
		failed = append(failed, FailedPart{Part: PartOwners, Err: whole.OwnersErr})
	} else {
		inv.Owners = whole.Owners
	}
	if whole.UsageErr != nil && len(whole.Tokens) > 0 {
		inv.UsageUnknown = whole.OwnerIDs
		failed = append(failed, FailedPart{Part: PartUsage, Err: whole.UsageErr})
	} else {
		inv.Usage = whole.Usage
	}
	return failed
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
