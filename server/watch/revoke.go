package watch

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// revoked is how revoking a post's tokens went.
type revoked struct {
	failed int
	// The first failure's reason.
	err string
}

// revoke revokes tokens as actorID, recording every intent in the audit trail before anything is
// done and every outcome after. Nothing is revoked when the intents cannot be recorded.
func (w *Watcher) revoke(tokens []store.ButtonToken, actorID, source string) (revoked, error) {
	record := func(actionID string, t store.ButtonToken, phase, result, failure string) store.TrailRecord {
		return store.TrailRecord{
			TrailInput: store.TrailInput{
				ActionID: actionID, Phase: phase, Action: store.ActionRevoke, TokenID: t.ID, OwnerID: t.UserID,
				Outcome: result, Error: failure, Source: source,
			},
			ActorID: actorID,
		}
	}
	actionIDs := make([]string, len(tokens))
	intents := make([]store.TrailRecord, len(tokens))
	for i, t := range tokens {
		actionIDs[i] = model.NewId()
		intents[i] = record(actionIDs[i], t, store.PhaseIntent, "", "")
	}
	if _, err := w.Store.AppendTrail(intents); err != nil {
		return revoked{}, err
	}
	var out revoked
	outcomes := make([]store.TrailRecord, len(tokens))
	for i, t := range tokens {
		outcomes[i] = record(actionIDs[i], t, store.PhaseOutcome, store.OutcomeOK, "")
		if appErr := w.API.RevokeUserAccessToken(t.ID); appErr != nil {
			outcomes[i] = record(actionIDs[i], t, store.PhaseOutcome, store.OutcomeError, appErr.Error())
			if out.failed == 0 {
				out.err = appErr.Error()
			}
			out.failed++
		}
	}
	if _, err := w.Store.AppendTrail(outcomes); err != nil {
		w.API.LogError("Recording revoke outcomes in the audit trail failed", "err", err.Error())
	}
	return out, nil
}
