package watch

import (
	"github.com/tokenaudit/token-audit/server/revoke"
	"github.com/tokenaudit/token-audit/server/store"
)

// revoked is how revoking a post's tokens went.
type revoked struct {
	failed int
	// The first failure's reason.
	err string
}

// revoke revokes tokens as actorID with the audit trail around it (package revoke). Nothing is
// revoked when the intents cannot be recorded.
func (w *Watcher) revoke(tokens []store.ButtonToken, actorID, source string) (revoked, error) {
	targets := make([]revoke.Token, len(tokens))
	for i, t := range tokens {
		targets[i] = revoke.Token{ID: t.ID, UserID: t.UserID}
	}
	done, err := revoke.Recorded(w.API, w.Store, revoke.Request{Tokens: targets, ActorID: actorID, Source: source})
	if err != nil {
		return revoked{}, err
	}
	if done.TrailError != nil {
		w.API.LogError("Recording revoke outcomes in the audit trail failed", "err", done.TrailError.Error())
	}
	var out revoked
	for _, r := range done.Results {
		if r.Error != "" {
			if out.failed == 0 {
				out.err = r.Error
			}
			out.failed++
		}
	}
	return out, nil
}
