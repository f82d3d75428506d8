package command

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// act carries out the action the engine decided on. Only revoke reaches here: the engine answers
// disable and enable itself, since the plugin API cannot do them. Every intent is recorded in the
// audit trail before anything is done, so that the trail never misses an action; then each token
// is revoked and each outcome recorded.
func (h *Handler) act(actorID string, next step) (outcome, error) {
	if next.Action != store.ActionRevoke {
		return outcome{}, fmt.Errorf("the engine asked for %q, which the server cannot do", next.Action)
	}
	record := func(actionID string, target actionItem, phase, result, failure string) store.TrailRecord {
		return store.TrailRecord{
			TrailInput: store.TrailInput{
				ActionID: actionID, Phase: phase, Action: store.ActionRevoke, TokenID: target.ID, OwnerID: target.UserID,
				Outcome: result, Error: failure, Source: store.SourceCommand,
			},
			ActorID: actorID,
		}
	}

	actionIDs := make([]string, len(next.Tokens))
	intents := make([]store.TrailRecord, len(next.Tokens))
	for i, target := range next.Tokens {
		actionIDs[i] = model.NewId()
		intents[i] = record(actionIDs[i], target, store.PhaseIntent, "", "")
	}
	if _, err := h.Store.AppendTrail(intents); err != nil {
		return outcome{}, &failed{code: failureNotRecorded, detail: err.Error()}
	}

	done := outcome{Results: make([]actionResult, len(next.Tokens))}
	outcomes := make([]store.TrailRecord, len(next.Tokens))
	for i, target := range next.Tokens {
		done.Results[i] = actionResult{ID: target.ID, OK: true}
		outcomes[i] = record(actionIDs[i], target, store.PhaseOutcome, store.OutcomeOK, "")
		if appErr := h.API.RevokeUserAccessToken(target.ID); appErr != nil {
			// Plugin API errors arrive untranslated; the id and detail still tell an admin what happened.
			done.Results[i] = actionResult{ID: target.ID, Error: appErr.Error()}
			outcomes[i] = record(actionIDs[i], target, store.PhaseOutcome, store.OutcomeError, appErr.Error())
		}
	}
	if _, err := h.Store.AppendTrail(outcomes); err != nil {
		h.API.LogError("Recording revoke outcomes in the audit trail failed", "err", err.Error())
		done.TrailError = err.Error()
	}
	return done, nil
}
