package watch

import (
	"context"
	"errors"
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// recipient is where a post goes: a channel, in the server's language, or an admin's DM with the
// bot, in the admin's.
type recipient struct {
	channelID string
	locale    string
}

// Admins per GetUsers call.
const adminsPerPage = 100

// recipients are the channel when one is chosen, else a DM with every active system admin.
func (w *Watcher) recipients(channelID string) ([]recipient, error) {
	if channelID != "" {
		return []recipient{{channelID: channelID, locale: w.serverLocale()}}, nil
	}
	var out []recipient
	for page := 0; ; page++ {
		admins, appErr := w.API.GetUsers(&model.UserGetOptions{Role: model.SystemAdminRoleId, Active: true, Page: page, PerPage: adminsPerPage})
		if appErr != nil {
			return nil, fmt.Errorf("list the system admins: %w", appErr)
		}
		for _, admin := range admins {
			if admin.IsBot || admin.DeleteAt > 0 {
				continue
			}
			dm, appErr := w.API.GetDirectChannel(w.BotID, admin.Id)
			if appErr != nil {
				w.API.LogWarn("Token Audit cannot write to a system admin", "user_id", admin.Id, "err", appErr.Error())
				continue
			}
			locale := admin.Locale
			if locale == "" {
				locale = w.serverLocale()
			}
			out = append(out, recipient{channelID: dm.Id, locale: locale})
		}
		if len(admins) < adminsPerPage {
			return out, nil
		}
	}
}

func (w *Watcher) serverLocale() string {
	if cfg := w.API.GetConfig(); cfg != nil {
		if locale := model.SafeDereference(cfg.LocalizationSettings.DefaultServerLocale); locale != "" {
			return locale
		}
	}
	return "en"
}

// Names of the buttons, as the engine labels them and the click handler knows them.
const (
	buttonRevoke    = "revoke"
	buttonConfirm   = "confirm"
	buttonCancel    = "cancel"
	buttonRevokeAll = "revoke_all"
	buttonKeep      = "keep"
)

// Buttons whose action cannot be undone are drawn as dangerous.
var dangerous = map[string]bool{buttonConfirm: true, buttonRevokeAll: true}

// Keys of a button's integration context.
const (
	contextButtons = "buttons"
	contextButton  = "button"
)

// ButtonPath is the plugin route behind every button; Mattermost calls it with the clicker's id.
const ButtonPath = "/watch/button"

// attach adds the buttons of buttonsID to post, labelled in locale. Action ids are the button names
// without underscores: Mattermost puts them in the route /posts/{post_id}/actions/{action_id}.
func (w *Watcher) attach(ctx context.Context, post *model.Post, buttonsID, locale string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	var labels map[string]string
	if err := w.Engine.Call(ctx, methodButtons, map[string]string{"locale": locale}, &labels); err != nil {
		return err
	}
	actions := make([]*model.PostAction, len(names))
	for i, name := range names {
		style := "primary"
		if dangerous[name] {
			style = "danger"
		}
		actions[i] = &model.PostAction{
			Id:    actionID(name),
			Type:  model.PostActionTypeButton,
			Name:  labels[name],
			Style: style,
			Integration: &model.PostActionIntegration{
				URL:     "/plugins/" + w.PluginID + ButtonPath,
				Context: map[string]any{contextButtons: buttonsID, contextButton: name},
			},
		}
	}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{Actions: actions}})
	return nil
}

func actionID(name string) string {
	id := make([]byte, 0, len(name))
	for i := range len(name) {
		if name[i] != '_' {
			id = append(id, name[i])
		}
	}
	return string(id)
}

// delivery is one message to post everywhere it goes, each copy written in its reader's language.
type delivery struct {
	recipients []recipient
	write      func(locale string) (string, error)
	// The buttons' state id and the buttons to show; none when empty.
	buttonsID string
	buttons   []string
}

var errNotDelivered = errors.New("no post could be made")

// deliver posts d and returns the posts made. It fails only when no post at all could be made.
func (w *Watcher) deliver(ctx context.Context, d delivery) (map[string]store.ButtonPost, error) {
	posts := map[string]store.ButtonPost{}
	written := map[string]string{}
	var lastErr error
	for _, r := range d.recipients {
		message, ok := written[r.locale]
		if !ok {
			var err error
			if message, err = d.write(r.locale); err != nil {
				lastErr = err
				continue
			}
			written[r.locale] = message
		}
		post := &model.Post{UserId: w.BotID, ChannelId: r.channelID, Message: message}
		if err := w.attach(ctx, post, d.buttonsID, r.locale, d.buttons); err != nil {
			lastErr = err
			continue
		}
		created, appErr := w.API.CreatePost(post)
		if appErr != nil {
			w.API.LogWarn("Token Audit could not post", "channel_id", r.channelID, "err", appErr.Error())
			lastErr = appErr
			continue
		}
		posts[created.Id] = store.ButtonPost{Message: message, Locale: r.locale}
	}
	if len(posts) == 0 {
		if lastErr == nil {
			lastErr = errors.New("there is no system admin to write to")
		}
		return nil, fmt.Errorf("%w: %w", errNotDelivered, lastErr)
	}
	return posts, nil
}
