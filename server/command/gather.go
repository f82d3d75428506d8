package command

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// gather reads what the engine needs to answer. Tokens and the policy must be read; every other
// part may fail, and the answer then says which parts are missing rather than guessing them.
func (h *Handler) gather(ctx context.Context, need needs, callerID string) (commandData, error) {
	policy, err := h.Store.GetPolicy()
	if err != nil {
		return commandData{}, &failed{code: failureFailed, detail: fmt.Sprintf("read the policy: %v", err)}
	}
	data := commandData{Inventory: engine.NewInventory(policy, h.API.GetConfig())}
	switch {
	case h.Tokens == nil && (need.Inventory || need.User != nil || need.Tokens != nil):
		return commandData{}, &failed{code: failureCannotList}
	case need.Inventory:
		if err := h.readWhole(ctx, &data, callerID, need.Digest); err != nil {
			return commandData{}, &failed{code: failureFailed, detail: err.Error()}
		}
	case need.User != nil || need.Tokens != nil:
		if err := h.readTokens(ctx, need, &data); err != nil {
			return commandData{}, &failed{code: failureFailed, detail: err.Error()}
		}
		h.addOwners(&data)
		if need.Activity {
			h.addActivity(ctx, &data, callerID)
		}
	}
	if need.Campaigns {
		if err := h.addCampaigns(&data); err != nil {
			return commandData{}, &failed{code: failureFailed, detail: err.Error()}
		}
	}
	if need.PolicyAuthor && policy.UpdatedBy != "" {
		if user, appErr := h.API.GetUser(policy.UpdatedBy); appErr == nil {
			author := source.OwnerOf(user)
			data.PolicyAuthor = &author
		}
	}
	return data, nil
}

// addCampaigns adds every campaign and the users it names: the admins who started or cancelled it
// and its tokens' users.
func (h *Handler) addCampaigns(data *commandData) error {
	campaigns, err := h.Store.ListCampaigns()
	if err != nil {
		return fmt.Errorf("read the campaigns: %w", err)
	}
	data.Campaigns = campaigns
	var ids []string
	named := map[string]bool{"": true}
	name := func(id string) {
		if !named[id] {
			named[id] = true
			ids = append(ids, id)
		}
	}
	for _, c := range campaigns {
		name(c.CreatedBy)
		name(c.CancelledBy)
		for _, t := range c.Tokens {
			name(t.UserID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	owners, err := source.Owners(h.API, ids)
	if err != nil {
		h.partly(data, engine.PartOwners, err)
		return nil
	}
	for id, owner := range owners {
		data.Owners[id] = owner
	}
	return nil
}

func (h *Handler) readTokens(ctx context.Context, need needs, data *commandData) error {
	var err error
	switch {
	case need.User != nil:
		user, appErr := h.API.GetUserByUsername(*need.User)
		switch {
		case appErr != nil && appErr.StatusCode == http.StatusNotFound:
			return nil
		case appErr != nil:
			return fmt.Errorf("read user @%s: %w", *need.User, appErr)
		}
		owner := source.OwnerOf(user)
		data.User = &owner
		data.Tokens, err = h.Tokens.OfUser(ctx, user.Id)
	default:
		data.Tokens, err = h.Tokens.ByIDs(ctx, need.Tokens)
	}
	return err
}

// ownerIDs are the distinct owners of data's tokens.
func ownerIDs(data *commandData) []string {
	var ids []string
	known := map[string]bool{}
	for _, t := range data.Tokens {
		if !known[t.UserID] {
			known[t.UserID] = true
			ids = append(ids, t.UserID)
		}
	}
	return ids
}

func (h *Handler) addOwners(data *commandData) {
	var missing []string
	for _, id := range ownerIDs(data) {
		if data.User == nil || data.User.ID != id {
			missing = append(missing, id)
		}
	}
	if data.User != nil {
		data.Owners[data.User.ID] = *data.User
	}
	if len(missing) == 0 {
		return
	}
	owners, err := source.Owners(h.API, missing)
	if err != nil {
		h.partly(data, engine.PartOwners, err)
		return
	}
	for id, owner := range owners {
		data.Owners[id] = owner
	}
}

// readWhole reads every token with its owners and usage, records the sightings in the first-seen
// registry, and adds when the caller last reviewed; with digest, what the last digest is compared with.
func (h *Handler) readWhole(ctx context.Context, data *commandData, callerID string, digest bool) error {
	var seen store.SeenResult
	var seenErr error
	// One statement read the whole table, so a token missing from it is gone.
	recordSeen := func(ids []string) { seen, seenErr = h.Store.RecordSeen(ids, true) }
	whole, err := source.ReadWhole(ctx, source.WholeReaders{Tokens: h.Tokens, Usage: h.Usage, Users: h.API}, recordSeen)
	if err != nil {
		return err
	}
	for _, failed := range data.AddWhole(whole) {
		h.partly(data, failed.Part, failed.Err)
	}
	if seenErr != nil {
		h.partly(data, engine.PartSeen, seenErr)
	} else {
		data.Seen = seen.Tokens
	}
	h.addLastReview(data, callerID)
	if digest {
		return h.addDigestHistory(data, seen.Removed)
	}
	return nil
}

// addActivity adds the usage and first-seen records of data's tokens, a part of the server's, and
// when the caller last reviewed.
func (h *Handler) addActivity(ctx context.Context, data *commandData, callerID string) {
	h.addUsage(ctx, data)
	if len(data.Tokens) > 0 {
		ids := make([]string, len(data.Tokens))
		for i, t := range data.Tokens {
			ids[i] = t.ID
		}
		if seen, err := h.Store.RecordSeen(ids, false); err != nil {
			h.partly(data, engine.PartSeen, err)
		} else {
			data.Seen = seen.Tokens
		}
	}
	h.addLastReview(data, callerID)
}

func (h *Handler) addLastReview(data *commandData, callerID string) {
	views, err := h.Store.GetViews(callerID)
	if err != nil {
		h.partly(data, engine.PartViews, err)
		return
	}
	data.LastReviewedAt = views.LastReviewedAt
}

// addDigestHistory adds what the last digest is compared with. Without it the digest could not
// say what changed, so it is not written at all.
func (h *Handler) addDigestHistory(data *commandData, removed map[string]store.SeenEntry) error {
	if h.Digests == nil {
		return errNoBot
	}
	since, err := h.Digests.LastDigestAt()
	if err != nil {
		return fmt.Errorf("read when the last digest was posted: %w", err)
	}
	if removed == nil {
		removed = map[string]store.SeenEntry{}
	}
	data.Digest = &store.DigestHistory{Since: since, Removed: removed}
	return nil
}

func (h *Handler) addUsage(ctx context.Context, data *commandData) {
	if len(data.Tokens) == 0 {
		return
	}
	var err error
	var usage map[string]source.Usage
	if h.Usage == nil {
		err = source.ErrNoUsage
	} else {
		usage, err = h.Usage.TokenUsage(ctx)
	}
	if err != nil {
		data.UsageUnknown = ownerIDs(data)
		h.partly(data, engine.PartUsage, err)
		return
	}
	for _, t := range data.Tokens {
		if u, ok := usage[t.ID]; ok {
			data.Usage[t.ID] = u
		}
	}
}

// partly notes that part of data could not be read; the answer says so.
func (h *Handler) partly(data *commandData, part string, err error) {
	if !errors.Is(err, source.ErrNoUsage) {
		h.API.LogError("/tokens answers without part of its data", "part", part, "err", err.Error())
	}
	data.Partial = append(data.Partial, part)
}
