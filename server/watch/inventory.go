package watch

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

var errNoTokens = errors.New("the UserAccessTokens table cannot be read")

// inventory is the engine's WatchData as the server passes it, with what the scan learned besides.
type inventory struct {
	engine.Inventory

	// The registry's removed tokens, for the digest.
	removed map[string]store.SeenEntry
	// KV writes the registry update took.
	kvWrites int
}

// readInventory reads every token in one statement and records the sightings in the first-seen
// registry from that read: a token absent from it is gone, so the registry marks it removed.
// Owners and usage may fail; the posts then say which parts are missing.
func (w *Watcher) readInventory(ctx context.Context) (inventory, error) {
	if w.Tokens == nil {
		return inventory{}, errNoTokens
	}
	policy, err := w.Store.GetPolicy()
	if err != nil {
		return inventory{}, fmt.Errorf("read the policy: %w", err)
	}
	tokens, err := w.Tokens.All(ctx)
	if err != nil {
		return inventory{}, fmt.Errorf("read tokens: %w", err)
	}
	inv := inventory{Inventory: engine.NewInventory(policy, w.API.GetConfig())}
	inv.Tokens = tokens
	ids := make([]string, len(tokens))
	owners := map[string]bool{}
	var ownerIDs []string
	for i, t := range tokens {
		ids[i] = t.ID
		if !owners[t.UserID] {
			owners[t.UserID] = true
			ownerIDs = append(ownerIDs, t.UserID)
		}
	}
	seen, err := w.Store.RecordSeen(ids, true)
	if err != nil {
		return inventory{}, fmt.Errorf("record the sightings: %w", err)
	}
	inv.Seen, inv.removed, inv.kvWrites = seen.Tokens, seen.Removed, seen.KVWrites
	if found, err := source.Owners(w.API, ownerIDs); err != nil {
		w.API.LogWarn("Token Audit's scan reads no owners", "err", err.Error())
		inv.Partial = append(inv.Partial, "owners")
	} else {
		inv.Owners = found
	}
	if len(tokens) > 0 {
		w.addUsage(ctx, &inv, ownerIDs)
	}
	return inv, nil
}

func (w *Watcher) addUsage(ctx context.Context, inv *inventory, ownerIDs []string) {
	var usage map[string]source.Usage
	err := errNoUsage
	if w.Usage != nil {
		usage, err = w.Usage.TokenUsage(ctx)
	}
	if err != nil {
		inv.UsageUnknown = ownerIDs
		inv.Partial = append(inv.Partial, "usage")
		return
	}
	for _, t := range inv.Tokens {
		if u, ok := usage[t.ID]; ok {
			inv.Usage[t.ID] = u
		}
	}
}

var errNoUsage = errors.New("the Sessions table cannot be read")

// firstSeenAfter is inv narrowed to the tokens the registry first saw after since.
func (inv inventory) firstSeenAfter(since int64) inventory {
	narrow := inv
	narrow.Tokens = nil
	narrow.Owners = map[string]source.Owner{}
	narrow.Usage = map[string]source.Usage{}
	narrow.Seen = map[string]store.SeenEntry{}
	for _, t := range inv.Tokens {
		seen, ok := inv.Seen[t.ID]
		if !ok || seen.FirstSeen <= since {
			continue
		}
		narrow.Tokens = append(narrow.Tokens, t)
		narrow.Seen[t.ID] = seen
		if owner, ok := inv.Owners[t.UserID]; ok {
			narrow.Owners[t.UserID] = owner
		}
		if usage, ok := inv.Usage[t.ID]; ok {
			narrow.Usage[t.ID] = usage
		}
	}
	return narrow
}
