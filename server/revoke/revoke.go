// Package revoke revokes tokens through the plugin API with the audit trail around it, the same for
// /tokens on the server path and for the watch's buttons and offboarding rule: every intent is
// recorded before anything is done, then each token is revoked and each outcome recorded.
package revoke

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// API is the plugin API call that revokes.
type API interface {
	RevokeUserAccessToken(tokenID string) *model.AppError
}

// Token is a token to revoke, with its owner for the trail.
type Token struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
}

// Request is what to revoke, who asks and where the request came from (a store.Source* value).
type Request struct {
	Tokens  []Token
	ActorID string
	Source  string
}

// Result is how revoking one token went; Error is empty when it was revoked.
type Result struct {
	ID    string
	Error string
}

// Done is how a request went.
type Done struct {
	Results []Result
	// The tokens were acted on but their outcomes could not be recorded.
	TrailError error
}

// Recorded carries out req. It fails, having done nothing, when the intents cannot be recorded.
func Recorded(api API, s *store.Store, req Request) (Done, error) {
	record := func(actionID string, t Token, phase, result, failure string) store.TrailRecord {
		return store.TrailRecord{
			TrailInput: store.TrailInput{
				ActionID: actionID, Phase: phase, Action: store.ActionRevoke, TokenID: t.ID, OwnerID: t.UserID,
				Outcome: result, Error: failure, Source: req.Source,
			},
			ActorID: req.ActorID,
		}
	}
	actionIDs := make([]string, len(req.Tokens))
	intents := make([]store.TrailRecord, len(req.Tokens))
	for i, t := range req.Tokens {
		actionIDs[i] = model.NewId()
		intents[i] = record(actionIDs[i], t, store.PhaseIntent, "", "")
	}
	if _, err := s.AppendTrail(intents); err != nil {
		return Done{}, err
	}
	done := Done{Results: make([]Result, len(req.Tokens))}
	outcomes := make([]store.TrailRecord, len(req.Tokens))
	for i, t := range req.Tokens {
		done.Results[i] = Result{ID: t.ID}
		outcomes[i] = record(actionIDs[i], t, store.PhaseOutcome, store.OutcomeOK, "")
		if appErr := api.RevokeUserAccessToken(t.ID); appErr != nil {
			// Plugin API errors arrive untranslated; the id and detail still tell an admin what happened.
			done.Results[i].Error = appErr.Error()
			outcomes[i] = record(actionIDs[i], t, store.PhaseOutcome, store.OutcomeError, appErr.Error())
		}
	}
	if _, err := s.AppendTrail(outcomes); err != nil {
		done.TrailError = err
	}
	return done, nil
}
