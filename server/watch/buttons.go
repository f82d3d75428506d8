package watch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// Mattermost strips this header from incoming requests and sets it to the user it authenticated; on a
// button click it is the clicker.
const userIDHeader = "Mattermost-User-Id"

// A click's body is a small JSON object; anything larger is not one.
const maxClickBody = 64 << 10

// click refusals as the engine words them.
const (
	refusalRefused = "refused"
	refusalForged  = "forged"
	refusalStale   = "stale"
	refusalFailed  = "failed"
)

// ServeButton answers a click on a button of the bot's posts. Mattermost posts the clicker's id, the
// post and the button's context; the route checks all of it against the state kept in KV, so a
// click by a non-admin, a click on another post, a forged context or a click on a post already
// handled changes nothing and tells the clicker why. A click always gets HTTP 200: Mattermost shows
// the ephemeral text only then.
func (w *Watcher) ServeButton(wr http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), jobTimeout)
	defer cancel()
	clicker := r.Header.Get(userIDHeader)
	response := w.click(ctx, clicker, r)
	wr.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(wr).Encode(response); err != nil {
		w.API.LogError("Token Audit could not answer a click", "err", err.Error())
	}
}

func (w *Watcher) click(ctx context.Context, clicker string, r *http.Request) *model.PostActionIntegrationResponse {
	locale := w.localeOf(clicker)
	refuse := func(refusal, detail string) *model.PostActionIntegrationResponse {
		var out struct {
			Text string `json:"text"`
		}
		if err := w.Engine.Call(ctx, methodClick, map[string]string{"locale": locale, "refusal": refusal, "detail": detail}, &out); err != nil {
			w.API.LogError("Token Audit could not word a click's refusal", "err", err.Error())
		}
		return &model.PostActionIntegrationResponse{EphemeralText: out.Text}
	}
	var req model.PostActionIntegrationRequest
	decoder := json.NewDecoder(io.LimitReader(r.Body, maxClickBody))
	if r.Method != http.MethodPost || clicker == "" || decoder.Decode(&req) != nil || req.UserId != clicker {
		return refuse(refusalForged, "")
	}
	if !w.API.HasPermissionTo(clicker, model.PermissionManageSystem) {
		return refuse(refusalRefused, "")
	}
	buttonsID, _ := req.Context[contextButtons].(string)
	button, _ := req.Context[contextButton].(string)
	if !store.IsID(buttonsID) {
		return refuse(refusalForged, "")
	}
	state, err := w.Store.GetButtons(buttonsID)
	switch {
	case errors.Is(err, store.ErrNoButtons):
		return refuse(refusalForged, "")
	case err != nil:
		return refuse(refusalFailed, err.Error())
	}
	post, ok := state.Posts[req.PostId]
	if !ok {
		return refuse(refusalForged, "")
	}
	step, ok := steps[state.Kind+"/"+button]
	if !ok {
		return refuse(refusalForged, "")
	}
	state, moved, err := w.Store.MoveButtons(buttonsID, step.from, step.to)
	switch {
	case err != nil:
		return refuse(refusalFailed, err.Error())
	case !moved:
		return refuse(refusalStale, "")
	}
	update, err := w.carryOut(ctx, step, clickDone{state: state, buttonsID: buttonsID, post: post, postID: req.PostId, channelID: req.ChannelId, clicker: clicker})
	if err != nil {
		return refuse(refusalFailed, err.Error())
	}
	return &model.PostActionIntegrationResponse{Update: update}
}

// A click moves the buttons from one stage to the next and shows the result.
type clickStep struct {
	from, to string
	// What the post shows after the click, and the buttons it keeps.
	resolution string
	buttons    []string
	revokes    bool
}

var steps = map[string]clickStep{
	store.ButtonsAlert + "/" + buttonRevoke:    {from: store.StageOpen, to: store.StageConfirm, resolution: "confirm", buttons: []string{buttonConfirm, buttonCancel}},
	store.ButtonsAlert + "/" + buttonCancel:    {from: store.StageConfirm, to: store.StageOpen, buttons: []string{buttonRevoke}},
	store.ButtonsAlert + "/" + buttonConfirm:   {from: store.StageConfirm, to: store.StageDone, resolution: "revoked", revokes: true},
	store.ButtonsGuard + "/" + buttonRevokeAll: {from: store.StageOpen, to: store.StageDone, resolution: "revoked", revokes: true},
	store.ButtonsGuard + "/" + buttonKeep:      {from: store.StageOpen, to: store.StageDone, resolution: "kept"},
}

type clickDone struct {
	state     store.Buttons
	buttonsID string
	post      store.ButtonPost
	postID    string
	channelID string
	clicker   string
}

// carryOut does what the click asked for and returns the clicked post as it is to show now.
func (w *Watcher) carryOut(ctx context.Context, step clickStep, c clickDone) (*model.Post, error) {
	res := resolution{Kind: step.resolution}
	if step.resolution != "" {
		actor, appErr := w.API.GetUser(c.clicker)
		if appErr != nil {
			return nil, appErr
		}
		owner := source.OwnerOf(actor)
		res.Actor = &owner
	}
	if step.revokes {
		result, err := w.revoke(c.state.Tokens, c.clicker, store.SourceButton)
		if err != nil {
			// Nothing was revoked: the buttons are offered again.
			if _, _, moveErr := w.Store.MoveButtons(c.buttonsID, step.to, step.from); moveErr != nil {
				w.API.LogError("Token Audit could not reopen buttons", "err", moveErr.Error())
			}
			return nil, err
		}
		res.Failed, res.Error = result.failed, result.err
	}
	message := c.post.Message
	if step.resolution != "" {
		var err error
		if message, err = w.withResolution(ctx, message, c.post.Locale, res); err != nil {
			return nil, err
		}
	}
	update := &model.Post{Id: c.postID, UserId: w.BotID, ChannelId: c.channelID, Message: message}
	update.AddProp(model.PostPropsAttachments, []*model.SlackAttachment{})
	if err := w.attach(ctx, update, c.buttonsID, c.post.Locale, step.buttons); err != nil {
		return nil, err
	}
	return update, nil
}

func (w *Watcher) localeOf(userID string) string {
	if userID != "" {
		if user, appErr := w.API.GetUser(userID); appErr == nil && user.Locale != "" {
			return user.Locale
		}
	}
	return w.serverLocale()
}
