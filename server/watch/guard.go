package watch

import (
	"context"
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// Offboarding rules as the policy names them.
const (
	offboardingAlert  = "alert"
	offboardingRevoke = "revoke"
)

type guardInput struct {
	Context      watchContext `json:"context"`
	Owner        source.Owner `json:"owner"`
	ActiveTokens int          `json:"activeTokens"`
}

// resolution is the engine's Resolution.
type resolution struct {
	Kind   string        `json:"kind"`
	Actor  *source.Owner `json:"actor,omitempty"`
	Failed int           `json:"failed"`
	Error  string        `json:"error,omitempty"`
}

type resolutionInput struct {
	Context    watchContext `json:"context"`
	Resolution resolution   `json:"resolution"`
}

// UserDeactivated is the offboarding guard: a deactivated user's tokens work again if the account is
// reactivated, so the admins hear of them, or the policy has them revoked at once.
func (w *Watcher) UserDeactivated(user *model.User) {
	ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
	defer cancel()
	if err := w.guard(ctx, user); err != nil {
		w.API.LogError("Token Audit's offboarding guard failed", "user_id", user.Id, "err", err.Error())
	}
}

func (w *Watcher) guard(ctx context.Context, user *model.User) error {
	policy, err := w.Store.GetPolicy()
	if err != nil {
		return err
	}
	rule := policy.Watch.Offboarding
	if rule != offboardingAlert && rule != offboardingRevoke {
		return nil
	}
	if w.Tokens == nil {
		return errNoTokens
	}
	tokens, err := w.Tokens.OfUser(ctx, user.Id)
	if err != nil {
		return err
	}
	var active []store.ButtonToken
	for _, t := range tokens {
		if t.IsActive {
			active = append(active, store.ButtonToken{ID: t.ID, UserID: t.UserID})
		}
	}
	if len(active) == 0 {
		return nil
	}
	claimed, err := w.Store.Claim(fmt.Sprintf("guard_%s_%d", user.Id, user.DeleteAt))
	if err != nil || !claimed {
		return err
	}
	recipients, err := w.recipients(policy.Watch.AlertChannelID)
	if err != nil {
		return err
	}
	owner := source.OwnerOf(user)
	guardText := func(locale string) (string, error) {
		var out struct {
			Markdown string `json:"markdown"`
		}
		err := w.Engine.Call(ctx, methodGuard, guardInput{Context: w.context(locale), Owner: owner, ActiveTokens: len(active)}, &out)
		return out.Markdown, err
	}
	if rule == offboardingRevoke {
		result, err := w.revoke(active, w.BotID, store.SourceHook)
		if err != nil {
			return fmt.Errorf("record the revokes in the audit trail, so none was done: %w", err)
		}
		_, err = w.deliver(ctx, delivery{recipients: recipients, write: func(locale string) (string, error) {
			text, err := guardText(locale)
			if err != nil {
				return "", err
			}
			return w.withResolution(ctx, text, locale, resolution{Kind: "automatic", Failed: result.failed, Error: result.err})
		}})
		return err
	}
	buttonsID := model.NewId()
	if err := w.Store.SaveButtons(buttonsID, store.Buttons{Kind: store.ButtonsGuard, Stage: store.StageOpen, OwnerID: user.Id, Tokens: active}); err != nil {
		return err
	}
	posts, err := w.deliver(ctx, delivery{recipients: recipients, write: guardText, buttonsID: buttonsID, buttons: []string{buttonRevokeAll, buttonKeep}})
	if err != nil {
		return err
	}
	return w.Store.AddButtonPosts(buttonsID, posts)
}

// withResolution adds how a post ended below its message.
func (w *Watcher) withResolution(ctx context.Context, message, locale string, r resolution) (string, error) {
	var out struct {
		Markdown string `json:"markdown"`
	}
	if err := w.Engine.Call(ctx, methodResolution, resolutionInput{Context: w.context(locale), Resolution: r}, &out); err != nil {
		return "", err
	}
	return message + "\n\n" + out.Markdown, nil
}
