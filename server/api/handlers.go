package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

func (a *API) getPolicy(_ *http.Request, _ string) (int, any, error) {
	p, err := a.store.GetPolicy()
	return http.StatusOK, p, err
}

func (a *API) putPolicy(r *http.Request, userID string) (int, any, error) {
	var in policyInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	valid, err := in.validate(a.store.Now(), a.limits)
	if err != nil {
		return 0, nil, err
	}
	if err := a.checkWatchChannels(valid.Watch); err != nil {
		return 0, nil, err
	}
	prev, next, err := a.store.PutPolicy(userID, valid)
	if err != nil {
		return 0, nil, err
	}
	_, err = a.store.AppendTrail([]store.TrailRecord{{
		TrailInput: store.TrailInput{
			ActionID: model.NewId(),
			Phase:    store.PhaseOutcome,
			Action:   store.ActionPolicyUpdate,
			Outcome:  store.OutcomeOK,
			Source:   store.SourceConsole,
		},
		Detail:  store.PolicyChange(prev, next),
		ActorID: userID,
	}})
	if err != nil {
		// The policy is saved and the admin must see that; the gap in the trail goes to the log.
		a.plugin.LogError("Recording a policy update in the audit trail failed", "version", next.Version, "err", err.Error())
	}
	return http.StatusOK, next, nil
}

// checkWatchChannels refuses a newly chosen alert or digest channel that does not exist, is archived,
// or is a direct or group message: nothing posted there would reach the admins. A channel already
// stored is not checked again, so that archiving it does not block saving the rest of the policy.
func (a *API) checkWatchChannels(w *store.Watch) error {
	if w == nil {
		return nil
	}
	stored, err := a.store.GetPolicy()
	if err != nil {
		return err
	}
	chosen := []struct{ field, id, stored string }{
		{"watch.alert_channel_id", w.AlertChannelID, stored.Watch.AlertChannelID},
		{"watch.digest.channel_id", w.Digest.ChannelID, stored.Watch.Digest.ChannelID},
	}
	for _, c := range chosen {
		if c.id == "" || c.id == c.stored {
			continue
		}
		channel, appErr := a.plugin.GetChannel(c.id)
		switch {
		case appErr != nil && appErr.StatusCode == http.StatusNotFound:
			return invalid("%s: no channel has the id %s.", c.field, c.id)
		case appErr != nil:
			return fmt.Errorf("read channel %s: %w", c.id, appErr)
		case channel.DeleteAt > 0:
			return invalid("%s: channel %s is archived.", c.field, c.id)
		case channel.Type != model.ChannelTypeOpen && channel.Type != model.ChannelTypePrivate:
			return invalid("%s: channel %s is a direct or group message; choose a public or private channel, or none for DMs to every system admin.", c.field, c.id)
		}
	}
	return nil
}

func (a *API) getViews(_ *http.Request, userID string) (int, any, error) {
	doc, err := a.store.GetViews(userID)
	return http.StatusOK, doc, err
}

func (a *API) putViews(r *http.Request, userID string) (int, any, error) {
	var in struct {
		Views []store.View `json:"views"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := validateViews(in.Views); err != nil {
		return 0, nil, err
	}
	doc, err := a.store.PutViews(userID, in.Views)
	return http.StatusOK, doc, err
}

func (a *API) markReviewed(_ *http.Request, userID string) (int, any, error) {
	doc, err := a.store.MarkReviewed(userID)
	return http.StatusOK, doc, err
}

func (a *API) recordSeen(r *http.Request, _ string) (int, any, error) {
	var in struct {
		TokenIDs []string `json:"token_ids"`
		Complete bool     `json:"complete"`
		After    string   `json:"after"`
		Through  string   `json:"through"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := validateIDs(in.TokenIDs, a.limits); err != nil {
		return 0, nil, err
	}
	scope, err := seenScope(in.Complete, store.SeenRange{After: in.After, Through: in.Through}, in.TokenIDs)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.store.RecordSeenIn(in.TokenIDs, scope)
	return http.StatusOK, res, err
}

func (a *API) lookupSeen(r *http.Request, _ string) (int, any, error) {
	var in struct {
		TokenIDs []string `json:"token_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := validateIDs(in.TokenIDs, a.limits); err != nil {
		return 0, nil, err
	}
	found, err := a.store.LookupSeen(in.TokenIDs)
	return http.StatusOK, map[string]any{"tokens": found}, err
}

func (a *API) appendTrail(r *http.Request, userID string) (int, any, error) {
	var in struct {
		Records []store.TrailInput `json:"records"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if len(in.Records) == 0 || len(in.Records) > maxTrailRecords {
		return 0, nil, invalid("records must hold 1 to %d records.", maxTrailRecords)
	}
	records := make([]store.TrailRecord, len(in.Records))
	for i, rec := range in.Records {
		if err := validateTrailInput(fmt.Sprintf("records[%d]", i), rec); err != nil {
			return 0, nil, err
		}
		records[i] = store.TrailRecord{TrailInput: rec, ActorID: userID}
	}
	stored, err := a.store.AppendTrail(records)
	return http.StatusCreated, map[string]any{"records": stored}, err
}

func (a *API) listTrail(r *http.Request, _ string) (int, any, error) {
	q, err := trailQuery(r)
	if err != nil {
		return 0, nil, err
	}
	records, next, err := a.store.ListTrail(q)
	if records == nil {
		records = []store.TrailRecord{}
	}
	return http.StatusOK, map[string]any{"records": records, "next": next}, err
}

var trailParams = []string{"limit", "before", "actor", "token", "owner", "action"}

// trailQuery reads GET /trail's parameters; an empty value counts as absent.
func trailQuery(r *http.Request) (store.TrailQuery, error) {
	q := store.TrailQuery{Limit: defaultLimit}
	for key, values := range r.URL.Query() {
		if len(values) > 1 {
			return q, invalid("Query parameter %s is given more than once.", key)
		}
		v := values[0]
		if v == "" && slices.Contains(trailParams, key) {
			continue
		}
		var err error
		switch key {
		case "limit":
			q.Limit, err = strconv.Atoi(v)
			if err != nil || q.Limit < 1 || q.Limit > maxLimit {
				err = invalid("limit must be a whole number from 1 to %d.", maxLimit)
			}
		case "before":
			q.Before = v
			if !store.IsTrailID(v) {
				err = invalid("before must be the id of a trail record.")
			}
		case "actor":
			q.ActorID, err = v, id("actor", v)
		case "token":
			q.TokenID, err = v, id("token", v)
		case "owner":
			q.OwnerID, err = v, id("owner", v)
		case "action":
			q.Action, err = v, oneOf("action", v, trailActions)
		default:
			err = invalid("Unknown query parameter %s.", key)
		}
		if err != nil {
			return q, err
		}
	}
	return q, nil
}

// ephemeral sends the caller an ephemeral post, in a thread when root_id is set, and answers its
// id so the webapp can replace a "working on it" placeholder with the answer (replaceEphemeral).
func (a *API) ephemeral(r *http.Request, userID string) (int, any, error) {
	var in struct {
		ChannelID string `json:"channel_id"`
		RootID    string `json:"root_id"`
		Message   string `json:"message"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	err := firstErr(
		id("channel_id", in.ChannelID),
		optionalID("root_id", in.RootID),
		message(in.Message, a.limits),
	)
	if err != nil {
		return 0, nil, err
	}
	// Ephemeral posts reach only the caller, but a post in a channel they cannot read would still
	// tell them the channel exists, and a thread of another channel would show the answer nowhere.
	if !a.plugin.HasPermissionToChannel(userID, in.ChannelID, model.PermissionReadChannel) {
		return 0, nil, &httpError{http.StatusForbidden, "channel_forbidden", "You cannot read that channel."}
	}
	if in.RootID != "" {
		root, appErr := a.plugin.GetPost(in.RootID)
		if appErr != nil || root.ChannelId != in.ChannelID {
			return 0, nil, invalid("root_id must be a post in channel %s.", in.ChannelID)
		}
	}
	post := a.plugin.SendEphemeralPost(userID, &model.Post{UserId: userID, ChannelId: in.ChannelID, RootId: in.RootID, Message: in.Message})
	if post == nil || !store.IsID(post.Id) {
		return 0, nil, errors.New("SendEphemeralPost returned no post id")
	}
	placeholder := store.Placeholder{UserID: userID, ChannelID: in.ChannelID, RootID: in.RootID}
	if err := a.store.RecordPlaceholder(post.Id, placeholder); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]string{"id": post.Id}, nil
}

// replaceEphemeral swaps the text of an ephemeral post this plugin sent the caller; clients show
// the change in place (Mattermost's post_edited event). Replacing is idempotent, so a lost answer
// can be retried.
func (a *API) replaceEphemeral(r *http.Request, userID string) (int, any, error) {
	postID := r.PathValue("id")
	if err := id("id", postID); err != nil {
		return 0, nil, err
	}
	var in struct {
		Message string `json:"message"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := message(in.Message, a.limits); err != nil {
		return 0, nil, err
	}
	placeholder, found, err := a.store.GetPlaceholder(postID)
	if err != nil {
		return 0, nil, err
	}
	// Someone else's placeholder gets the same answer as none at all, so ids of others tell nothing.
	if !found || placeholder.UserID != userID {
		return 0, nil, &httpError{http.StatusNotFound, "not_found", "You have no ephemeral post " + postID + " from Token Audit that can still be replaced."}
	}
	a.plugin.UpdateEphemeralPost(userID, &model.Post{
		Id:        postID,
		UserId:    userID,
		ChannelId: placeholder.ChannelID,
		RootId:    placeholder.RootID,
		Message:   in.Message,
	})
	return http.StatusNoContent, nil, nil
}

func message(text string, limits Limits) error {
	return firstErr(lengthIn("message", text, 1, limits.MaxMessageLength), notBlank("message", text))
}

func (a *API) getUsage(r *http.Request, _ string) (int, any, error) {
	after, limit, err := usageQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if a.usage == nil {
		return 0, nil, &httpError{http.StatusNotImplemented, "usage_unavailable",
			"This server's session table is not the one Token Audit knows; read sessions through the REST API instead."}
	}
	page, err := a.usage.TokenUsagePage(r.Context(), after, limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"usage": page.Usage, "next": page.Next}, nil
}

// usageQuery reads GET /usage's parameters: after (a token id, the previous page's next) and limit.
func usageQuery(r *http.Request) (after string, limit int, err error) {
	limit = maxUsagePage
	for key, values := range r.URL.Query() {
		if len(values) > 1 {
			return "", 0, invalid("Query parameter %s is given more than once.", key)
		}
		v := values[0]
		switch key {
		case "after":
			after, err = v, optionalID("after", v)
		case "limit":
			limit, err = strconv.Atoi(v)
			if err != nil || limit < 1 || limit > maxUsagePage {
				err = invalid("limit must be a whole number from 1 to %d.", maxUsagePage)
			}
		default:
			err = invalid("Unknown query parameter %s.", key)
		}
		if err != nil {
			return "", 0, err
		}
	}
	return after, limit, nil
}
