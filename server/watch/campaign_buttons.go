package watch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// ServeCampaignButton answers a click on [Keep it] or [Revoke it now] of a campaign DM. Only the
// token's owner (the one asked) or a system admin may answer; the click must come from the DM that
// asked about that token and the token must still wait for an answer. Anything else changes nothing
// and tells the clicker why.
func (w *Watcher) ServeCampaignButton(wr http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), jobTimeout)
	defer cancel()
	response := w.campaignClick(ctx, r.Header.Get(userIDHeader), r)
	wr.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(wr).Encode(response); err != nil {
		w.API.LogError("Token Audit could not answer a click", "err", err.Error())
	}
}

func (w *Watcher) campaignClick(ctx context.Context, clicker string, r *http.Request) *model.PostActionIntegrationResponse {
	locale := w.localeOf(clicker)
	refuse := func(method, refusal, detail string) *model.PostActionIntegrationResponse {
		var out struct {
			Text string `json:"text"`
		}
		if err := w.Engine.Call(ctx, method, map[string]string{"locale": locale, "refusal": refusal, "detail": detail}, &out); err != nil {
			w.API.LogError("Token Audit could not word a click's refusal", "err", err.Error())
		}
		return &model.PostActionIntegrationResponse{EphemeralText: out.Text}
	}
	forged := refuse(methodClick, refusalForged, "")
	var req model.PostActionIntegrationRequest
	decoder := json.NewDecoder(io.LimitReader(r.Body, maxClickBody))
	if r.Method != http.MethodPost || clicker == "" || decoder.Decode(&req) != nil || req.UserId != clicker {
		return forged
	}
	campaignID, _ := req.Context[contextCampaign].(string)
	tokenID, _ := req.Context[contextToken].(string)
	button, _ := req.Context[contextButton].(string)
	if !store.IsID(campaignID) || !store.IsID(tokenID) || (button != buttonKeep && button != buttonRevokeNow) {
		return forged
	}
	c, err := w.Store.GetCampaign(campaignID)
	switch {
	case errors.Is(err, store.ErrNoCampaign):
		return forged
	case err != nil:
		return refuse(methodClick, refusalFailed, err.Error())
	}
	t := c.Token(tokenID)
	if t == nil || t.PostID == "" || t.PostID != req.PostId {
		return forged
	}
	if clicker != t.OwnerID && !w.API.HasPermissionTo(clicker, model.PermissionManageSystem) {
		return refuse(methodCampaignClickWords, "not_owner", "")
	}
	var next struct {
		Stage *string `json:"stage"`
	}
	if err := w.Engine.Call(ctx, methodCampaignClick, map[string]any{"campaign": c, "token_id": tokenID, "button": button}, &next); err != nil {
		return refuse(methodClick, refusalFailed, err.Error())
	}
	if next.Stage == nil {
		return refuse(methodCampaignClickWords, "stale", "")
	}
	actor, appErr := w.API.GetUser(clicker)
	if appErr != nil {
		return refuse(methodClick, refusalFailed, appErr.Error())
	}
	answer := clickAnswer{campaign: c, token: *t, actor: source.OwnerOf(actor), to: *next.Stage}
	res, moved, err := w.answerCampaign(ctx, answer)
	switch {
	case err != nil:
		return refuse(methodClick, refusalFailed, err.Error())
	case !moved:
		return refuse(methodCampaignClickWords, "stale", "")
	}
	post, appErr := w.API.GetPost(req.PostId)
	if appErr != nil {
		return refuse(methodClick, refusalFailed, appErr.Error())
	}
	var words struct {
		Markdown string `json:"markdown"`
	}
	if err := w.Engine.Call(ctx, methodCampaignResolution, map[string]any{"context": w.context(t.Locale), "resolution": res}, &words); err != nil {
		return refuse(methodClick, refusalFailed, err.Error())
	}
	update := &model.Post{Id: post.Id, UserId: w.BotID, ChannelId: post.ChannelId, Message: post.Message + "\n\n" + words.Markdown}
	update.AddProp(model.PostPropsAttachments, []*model.SlackAttachment{})
	return &model.PostActionIntegrationResponse{Update: update}
}

type clickAnswer struct {
	campaign store.Campaign
	token    store.CampaignToken
	actor    source.Owner
	to       string
}

// campaignResolution is the engine's CampaignResolution.
type campaignResolution struct {
	Kind  string        `json:"kind"`
	Actor *source.Owner `json:"actor,omitempty"`
	Until int64         `json:"until,omitempty"`
	Error string        `json:"error,omitempty"`
}

// answerCampaign carries out a Keep or a Revoke it now: the move by compare-and-set first (of two
// clicks only one moves), marked with what it owes until the exemption or the revoke is done; a
// failure puts the token back. A node killed in between leaves the mark for the campaign job.
func (w *Watcher) answerCampaign(ctx context.Context, a clickAnswer) (campaignResolution, bool, error) {
	from := a.token.Stage
	putBack := func() {
		if _, _, err := w.Store.MoveCampaignToken(store.StageMove{CampaignID: a.campaign.ID, TokenID: a.token.ID, From: a.to, To: from, By: a.actor.ID, Also: owing("")}); err != nil {
			w.API.LogError("Token Audit could not put back a campaign token", "token_id", a.token.ID, "err", err.Error())
		}
	}
	if a.to == store.CampaignKept {
		until := w.Now().Add(time.Duration(a.campaign.KeepDays) * time.Duration(a.campaign.DayMillis) * time.Millisecond).UnixMilli()
		c, moved, err := w.moveStage(stageChange{
			campaign: a.campaign, tokenID: a.token.ID, from: from, to: a.to, actorID: a.actor.ID, source: store.SourceButton,
			also: func(t *store.CampaignToken) { t.KeptUntil, t.Pending = until, store.PendingExempt },
		})
		if err != nil || !moved {
			return campaignResolution{}, moved, err
		}
		kept := a.token
		kept.ChangedBy, kept.KeptUntil = a.actor.ID, until
		if err := w.exemptKept(ctx, c, kept, a.actor.ID, store.SourceButton); err != nil {
			putBack()
			return campaignResolution{}, false, err
		}
		if _, _, err := w.finishPending(c, a.token.ID, store.PendingExempt); err != nil {
			w.API.LogError("Token Audit kept a token but could not say so in its campaign", "token_id", a.token.ID, "err", err.Error())
		}
		return campaignResolution{Kind: "kept", Actor: &a.actor, Until: until}, true, nil
	}
	c, moved, err := w.moveStage(stageChange{
		campaign: a.campaign, tokenID: a.token.ID, from: from, to: a.to, actorID: a.actor.ID, source: store.SourceButton,
		also: owing(store.PendingRevoke),
	})
	if err != nil || !moved {
		return campaignResolution{}, moved, err
	}
	result, err := w.revoke([]store.ButtonToken{{ID: a.token.ID, UserID: a.token.UserID}}, a.actor.ID, store.SourceButton)
	if err == nil && result.failed > 0 {
		err = errors.New(result.err)
	}
	if err != nil {
		putBack()
		return campaignResolution{}, false, err
	}
	if _, _, err := w.finishPending(c, a.token.ID, store.PendingRevoke); err != nil {
		w.API.LogError("Token Audit revoked a token but could not say so in its campaign", "token_id", a.token.ID, "err", err.Error())
	}
	return campaignResolution{Kind: "revoked", Actor: &a.actor}, true, nil
}
