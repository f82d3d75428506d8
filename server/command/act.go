package command

import (
	"fmt"

	"github.com/tokenaudit/token-audit/server/revoke"
	"github.com/tokenaudit/token-audit/server/store"
)

// act carries out the action the engine decided on. Only revoke reaches here: the engine answers
// disable and enable itself, since the plugin API cannot do them.
func (h *Handler) act(actorID string, next step) (outcome, error) {
	if next.Action != store.ActionRevoke {
		return outcome{}, fmt.Errorf("the engine asked for %q, which the server cannot do", next.Action)
	}
	tokens := make([]revoke.Token, len(next.Tokens))
	for i, t := range next.Tokens {
		tokens[i] = revoke.Token{ID: t.ID, UserID: t.UserID}
	}
	done, err := revoke.Recorded(h.API, h.Store, revoke.Request{Tokens: tokens, ActorID: actorID, Source: store.SourceCommand})
	if err != nil {
		return outcome{}, &failed{code: failureNotRecorded, detail: err.Error()}
	}
	result := outcome{Results: make([]actionResult, len(done.Results))}
	for i, r := range done.Results {
		result.Results[i] = actionResult{ID: r.ID, OK: r.Error == "", Error: r.Error}
	}
	if done.TrailError != nil {
		h.API.LogError("Recording revoke outcomes in the audit trail failed", "err", done.TrailError.Error())
		result.TrailError = done.TrailError.Error()
	}
	return result, nil
}
