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
	var seen store.SeenResult
	var seenErr error
	recordSeen := func(ids []string) { seen, seenErr = w.Store.RecordSeen(ids, true) }
	whole, err := source.ReadWhole(ctx, source.WholeReaders{Tokens: w.Tokens, Usage: w.Usage, Users: w.API}, recordSeen)
	if err != nil {
		return inventory{}, fmt.Errorf("read tokens: %w", err)
	}
	if seenErr != nil {
		return inventory{}, fmt.Errorf("record the sightings: %w", seenErr)
	}
	inv := inventory{Inventory: engine.NewInventory(policy, w.API.GetConfig())}
	inv.Seen, inv.removed, inv.kvWrites = seen.Tokens, seen.Removed, seen.KVWrites
	for _, failed := range inv.AddWhole(whole) {
		// A server whose Sessions table cannot be read says so once, when the plugin starts.
		if !errors.Is(failed.Err, source.ErrNoUsage) {
			w.API.LogWarn("Token Audit's scan reads without part of its data", "part", failed.Part, "err", failed.Err.Error())
		}
		inv.Partial = append(inv.Partial, failed.Part)
	}
	return inv, nil
}

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
