package watch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// The engine's methods for campaigns (webapp/src/engine/campaign/campaign.ts).
const (
	methodCampaignProblems   = "campaign_problems"
	methodCampaignMoves      = "campaign_moves"
	methodCampaignClick      = "campaign_click"
	methodCampaignDisabled   = "campaign_disabled"
	methodCampaignMessages   = "campaign_messages"
	methodCampaignButtons    = "campaign_buttons"
	methodCampaignResolution = "campaign_resolution"
	methodCampaignDue        = "campaign_due"
	methodCampaignClickWords = "campaign_click_answer"
	methodCampaignKeepReason = "campaign_keep_reason"
)

// CampaignInput is what an admin submits to start a campaign (the engine's CampaignInput).
type CampaignInput struct {
	TokenIDs  []string `json:"token_ids"`
	GraceDays int      `json:"grace_days"`
	UndoDays  int      `json:"undo_days"`
	KeepDays  int      `json:"keep_days"`
	Note      string   `json:"note"`
	Filter    string   `json:"filter"`
}

// InvalidCampaignError names the fields of a CampaignInput the engine refuses, or the token ids
// that are no tokens of this server.
type InvalidCampaignError struct {
	Fields        []string
	UnknownTokens []string
}

func (e *InvalidCampaignError) Error() string {
	if len(e.UnknownTokens) > 0 {
		return fmt.Sprintf("no token has the id %v", e.UnknownTokens)
	}
	return fmt.Sprintf("not acceptable: %v", e.Fields)
}

// StartCampaign validates in, reads the picked tokens from the database and stores a new campaign
// started by adminID; the campaign job asks the owners.
func (w *Watcher) StartCampaign(ctx context.Context, adminID string, in CampaignInput) (store.Campaign, error) {
	var problems []string
	if err := w.Engine.Call(ctx, methodCampaignProblems, in, &problems); err != nil {
		return store.Campaign{}, err
	}
	if len(problems) > 0 {
		return store.Campaign{}, &InvalidCampaignError{Fields: problems}
	}
	if w.Tokens == nil {
		return store.Campaign{}, errNoTokens
	}
	all, err := w.Tokens.All(ctx)
	if err != nil {
		return store.Campaign{}, fmt.Errorf("read tokens: %w", err)
	}
	byID := make(map[string]source.Token, len(all))
	for _, t := range all {
		byID[t.ID] = t
	}
	now := w.Now().UnixMilli()
	c := store.Campaign{
		ID: model.NewId(), CreatedBy: adminID, CreatedAt: now, Note: in.Note, Filter: in.Filter,
		GraceDays: in.GraceDays, UndoDays: in.UndoDays, KeepDays: in.KeepDays, DayMillis: w.Day.Milliseconds(),
		Tokens: make([]store.CampaignToken, 0, len(in.TokenIDs)),
	}
	var unknown []string
	for _, id := range in.TokenIDs {
		t, ok := byID[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		c.Tokens = append(c.Tokens, store.CampaignToken{
			ID: id, UserID: t.UserID, OwnerID: w.askedAbout(t.UserID, adminID),
			Stage: store.CampaignPicked, ChangedAt: now, ChangedBy: adminID,
		})
	}
	if len(unknown) > 0 {
		return store.Campaign{}, &InvalidCampaignError{UnknownTokens: unknown}
	}
	intent := campaignRecord(c.ID, adminID, store.SourceConsole, store.ActionCampaignStart, store.TrailInput{Count: len(c.Tokens)})
	if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
		return store.Campaign{}, err
	}
	err = w.Store.CreateCampaign(c)
	w.appendOutcome(intent, err)
	return c, err
}

// askedAbout is who is asked about a token of userID: the user, or for a bot the bot's owner when
// that is a person; else the admin who started the campaign.
func (w *Watcher) askedAbout(userID, adminID string) string {
	user, appErr := w.API.GetUser(userID)
	if appErr != nil || !user.IsBot {
		return userID
	}
	bot, appErr := w.API.GetBot(userID, true)
	if appErr != nil {
		return adminID
	}
	if owner, appErr := w.API.GetUser(bot.OwnerId); appErr == nil && !owner.IsBot && owner.DeleteAt == 0 {
		return owner.Id
	}
	return adminID
}

// CancelCampaign stops the campaign id: no further stage runs.
func (w *Watcher) CancelCampaign(adminID, id string) (store.Campaign, error) {
	intent := campaignRecord(id, adminID, store.SourceConsole, store.ActionCampaignCancel, store.TrailInput{})
	if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
		return store.Campaign{}, err
	}
	c, _, err := w.Store.CancelCampaign(id, adminID)
	w.appendOutcome(intent, err)
	return c, err
}

// ErrNotDue means a token reported disabled is not a due token of a running campaign.
var ErrNotDue = errors.New("the token is not due in this campaign")

// CampaignDisabled records that adminID disabled a due token with their session (the plugin API
// cannot), from source (the console or /tokens campaign disable): its undo window starts now.
func (w *Watcher) CampaignDisabled(ctx context.Context, adminID, campaignID, tokenID, source string) (store.Campaign, error) {
	c, err := w.Store.GetCampaign(campaignID)
	if err != nil {
		return store.Campaign{}, err
	}
	var out struct {
		Stage *string `json:"stage"`
	}
	if err := w.Engine.Call(ctx, methodCampaignDisabled, map[string]any{"campaign": c, "token_id": tokenID}, &out); err != nil {
		return store.Campaign{}, err
	}
	if out.Stage == nil {
		if disabledIn(c, tokenID) {
			return c, nil
		}
		return store.Campaign{}, ErrNotDue
	}
	t := c.Token(tokenID)
	if t == nil {
		return store.Campaign{}, ErrNotDue
	}
	c, moved, err := w.moveStage(stageChange{campaign: c, tokenID: tokenID, from: t.Stage, to: *out.Stage, actorID: adminID, source: source})
	if err == nil && !moved && !disabledIn(c, tokenID) {
		err = ErrNotDue
	}
	return c, err
}

// The campaign job notices a disabled token by itself, and may do so between the admin's disable
// and their report of it: the report then finds the token where it wanted it, which is no conflict.
func disabledIn(c store.Campaign, tokenID string) bool {
	t := c.Token(tokenID)
	return t != nil && t.Stage == store.CampaignDisabled
}

// Campaigns is the campaign job: cluster.Schedule runs it on one node at a time.
func (w *Watcher) Campaigns() {
	ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
	defer cancel()
	if err := w.CampaignsOnce(ctx); err != nil {
		w.API.LogError("Token Audit's campaign job failed", "err", err.Error())
	}
}

// CampaignsOnce moves every running campaign's tokens as far as the stage machine says: asks the
// owners of picked tokens, makes notified tokens due and tells the admin, notices tokens disabled or
// enabled again, and revokes disabled tokens at the end of their undo window. Everything it needs
// is in KV, so a restarted server, or another node, carries on where this one stopped.
func (w *Watcher) CampaignsOnce(ctx context.Context) error {
	campaigns, err := w.Store.ListCampaigns()
	if err != nil {
		return err
	}
	campaigns = slices.DeleteFunc(campaigns, func(c store.Campaign) bool { return !owesAction(c) && (c.CancelledAt > 0 || !hasOpenToken(c)) })
	if len(campaigns) == 0 {
		return nil
	}
	if w.Tokens == nil {
		return errNoTokens
	}
	all, err := w.Tokens.All(ctx)
	if err != nil {
		return fmt.Errorf("read tokens: %w", err)
	}
	observed := make(map[string]string, len(all))
	for _, t := range all {
		observed[t.ID] = map[bool]string{true: "active", false: "inactive"}[t.IsActive]
	}
	var errs []error
	for _, c := range campaigns {
		errs = append(errs, w.runCampaign(ctx, c, observed))
	}
	return errors.Join(errs...)
}

// owesAction says a move of c was stored without the revoke or exemption it stands for.
func owesAction(c store.Campaign) bool {
	return slices.ContainsFunc(c.Tokens, func(t store.CampaignToken) bool { return t.Pending != "" })
}

func hasOpenToken(c store.Campaign) bool {
	return slices.ContainsFunc(c.Tokens, func(t store.CampaignToken) bool {
		return slices.Contains([]string{store.CampaignPicked, store.CampaignNotified, store.CampaignDue, store.CampaignDisabled}, t.Stage)
	})
}

func (w *Watcher) runCampaign(ctx context.Context, c store.Campaign, observed map[string]string) error {
	relevant := make(map[string]string, len(c.Tokens))
	for _, t := range c.Tokens {
		if state, ok := observed[t.ID]; ok {
			relevant[t.ID] = state
		}
	}
	var errs []error
	c, errs = w.finishInterrupted(ctx, c, observed)
	var moves map[string]string
	if err := w.Engine.Call(ctx, methodCampaignMoves, map[string]any{"campaign": c, "now": w.Now().UnixMilli(), "observed": relevant}, &moves); err != nil {
		return err
	}
	due := 0
	// A token notified two job periods ago without a DM: the node asking was killed between the move
	// and the post (a live run ends within two, its timeout). It is asked now.
	var notify []string
	for _, t := range c.Tokens {
		if t.Stage != store.CampaignNotified || t.PostID != "" || w.Now().Sub(time.UnixMilli(t.ChangedAt)) <= 2*w.Minute || c.CancelledAt > 0 {
			continue
		}
		// Claimed, so that of two nodes reading the same campaign only one asks again.
		claimed, err := w.Store.Claim(fmt.Sprintf("campaign_ask_%s_%s_%d", c.ID, t.ID, t.ChangedAt))
		if err != nil {
			return err
		}
		if claimed {
			notify = append(notify, t.ID)
		}
	}
	// The moves were decided on these stages; c is replaced by what each move stored.
	decided := slices.Clone(c.Tokens)
	for _, t := range decided {
		to, ok := moves[t.ID]
		if !ok {
			continue
		}
		var moved bool
		var err error
		if to == store.CampaignRevoked {
			c, moved, err = w.revokeAtEnd(c, t)
		} else {
			c, moved, err = w.moveStage(stageChange{campaign: c, tokenID: t.ID, from: t.Stage, to: to, actorID: w.BotID, source: store.SourceJob})
		}
		switch {
		case err != nil:
			errs = append(errs, err)
		case moved && to == store.CampaignNotified:
			notify = append(notify, t.ID)
		case moved && to == store.CampaignDue:
			due++
		}
	}
	if len(notify) > 0 {
		errs = append(errs, w.askOwners(ctx, c, notify))
	}
	// Not only when tokens became due in this run: a notice whose node died before posting it is
	// posted by a later run.
	if c.CancelledAt == 0 && slices.ContainsFunc(c.Tokens, func(t store.CampaignToken) bool { return t.Stage == store.CampaignDue }) {
		errs = append(errs, w.tellDueOnce(ctx, c.ID))
	}
	return errors.Join(errs...)
}

// tellDueOnce tells the admin once per campaign, when no token waits for its grace period any more
// (all of them become due at one moment), so that of two nodes moving tokens at once one tells,
// with the count of both. The notice is leased rather than claimed: a node killed between taking it
// and posting leaves it to the run two job periods later (a live run ends within two, its timeout).
func (w *Watcher) tellDueOnce(ctx context.Context, campaignID string) error {
	c, err := w.Store.GetCampaign(campaignID)
	if err != nil {
		return err
	}
	due := 0
	for _, t := range c.Tokens {
		switch t.Stage {
		case store.CampaignNotified:
			return nil
		case store.CampaignDue:
			due++
		}
	}
	if due == 0 {
		return nil
	}
	lease := "campaign_due_" + c.ID
	leased, err := w.Store.Lease(lease, 2*w.Minute)
	if err != nil || !leased {
		return err
	}
	if err := w.tellDue(ctx, c, due); err != nil {
		if unclaimErr := w.Store.Unclaim(lease); unclaimErr != nil {
			w.API.LogError("Token Audit could not give back a campaign's due notice", "err", unclaimErr.Error())
		}
		return err
	}
	return w.Store.LeaseDone(lease)
}

// stageChange is one move of a token, recorded in the trail as intent and outcome.
type stageChange struct {
	campaign store.Campaign
	tokenID  string
	// The stage the move was decided from; the move is made only while the token is still there.
	from    string
	to      string
	actorID string
	source  string
	also    func(t *store.CampaignToken)
}

// moveStage moves a token from the stage it has in change.campaign to change.to by compare-and-set;
// false when someone else moved it first.
func (w *Watcher) moveStage(change stageChange) (store.Campaign, bool, error) {
	t := change.campaign.Token(change.tokenID)
	if t == nil {
		return change.campaign, false, nil
	}
	intent := campaignRecord(change.campaign.ID, change.actorID, change.source, store.ActionCampaignStage,
		store.TrailInput{TokenID: t.ID, OwnerID: t.UserID})
	intent.Detail += ": " + change.from + " → " + change.to
	if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
		return change.campaign, false, err
	}
	c, moved, err := w.Store.MoveCampaignToken(store.StageMove{
		CampaignID: change.campaign.ID, TokenID: t.ID, From: change.from, To: change.to, By: change.actorID, Also: change.also,
	})
	if err == nil && !moved {
		w.appendOutcome(intent, errMovedAlready)
		current, getErr := w.Store.GetCampaign(change.campaign.ID)
		if getErr != nil {
			return change.campaign, false, getErr
		}
		return current, false, nil
	}
	w.appendOutcome(intent, err)
	if err != nil {
		return change.campaign, false, err
	}
	return c, true, nil
}

var errMovedAlready = errors.New("already moved on, or the campaign was cancelled")

// revokeAtEnd revokes a disabled token whose undo window ended, through the plugin API. A failed
// revoke puts the token back, so the next run tries again.
func (w *Watcher) revokeAtEnd(c store.Campaign, t store.CampaignToken) (store.Campaign, bool, error) {
	tokenID, from := t.ID, t.Stage
	c, moved, err := w.moveStage(stageChange{
		campaign: c, tokenID: tokenID, from: from, to: store.CampaignRevoked, actorID: w.BotID, source: store.SourceJob,
		also: owing(store.PendingRevoke),
	})
	if err != nil || !moved {
		return c, moved, err
	}
	if err := w.revokeOne(t); err != nil {
		if back, _, moveErr := w.Store.MoveCampaignToken(store.StageMove{CampaignID: c.ID, TokenID: tokenID, From: store.CampaignRevoked, To: from, By: w.BotID, Also: owing("")}); moveErr == nil {
			c = back
		}
		return c, false, fmt.Errorf("revoke %s at the end of its undo window: %w", tokenID, err)
	}
	return w.finishPending(c, tokenID, store.PendingRevoke)
}

// owing marks a move with the action it still owes ("" for none).
func owing(pending string) func(t *store.CampaignToken) {
	return func(t *store.CampaignToken) { t.Pending = pending }
}

// revokeOne revokes a campaign's token through the plugin API, recorded in the trail as the job's.
func (w *Watcher) revokeOne(t store.CampaignToken) error {
	result, err := w.revoke([]store.ButtonToken{{ID: t.ID, UserID: t.UserID}}, w.BotID, store.SourceJob)
	if err == nil && result.failed > 0 {
		err = errors.New(result.err)
	}
	return err
}

// finishPending clears what a move owed once it is done; the move itself stands either way.
func (w *Watcher) finishPending(c store.Campaign, tokenID, pending string) (store.Campaign, bool, error) {
	done, _, err := w.Store.FinishCampaignPending(c.ID, tokenID, pending)
	if err != nil {
		return c, true, fmt.Errorf("clear what the move of %s owed: %w", tokenID, err)
	}
	return done, true, nil
}

// finishInterrupted carries out what stored moves still owe: a node killed between storing a move
// and its revoke or exemption leaves the token at revoked, revoked_by_owner or kept with nothing
// done. A move younger than two job periods may still be under way (a click or run lasts at most
// one), so it is left for a later run. Both actions can be repeated safely: an exemption of the
// token replaces its own, and a token the database no longer has is revoked already. No DM is sent.
func (w *Watcher) finishInterrupted(ctx context.Context, c store.Campaign, observed map[string]string) (store.Campaign, []error) {
	var errs []error
	for _, t := range slices.Clone(c.Tokens) {
		if t.Pending == "" || w.Now().Sub(time.UnixMilli(t.ChangedAt)) <= 2*w.Minute {
			continue
		}
		var err error
		switch t.Pending {
		case store.PendingRevoke:
			if _, exists := observed[t.ID]; exists {
				err = w.revokeOne(t)
			}
		case store.PendingExempt:
			err = w.exemptKept(ctx, c, t, w.BotID, store.SourceJob)
		default:
			err = fmt.Errorf("token %s owes an unknown action %q", t.ID, t.Pending)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("finish the interrupted move of %s: %w", t.ID, err))
			continue
		}
		next, _, err := w.finishPending(c, t.ID, t.Pending)
		c = next
		errs = append(errs, err)
	}
	return c, errs
}

// exemptKept exempts a kept token until t.KeptUntil, in the name of the owner who kept it (the
// policy is shared, so the reason is in the server's language), recorded as actorID's.
func (w *Watcher) exemptKept(ctx context.Context, c store.Campaign, t store.CampaignToken, actorID, src string) error {
	var owner *source.Owner
	if user, appErr := w.API.GetUser(t.ChangedBy); appErr == nil {
		o := source.OwnerOf(user)
		owner = &o
	}
	var reason struct {
		Text string `json:"text"`
	}
	if err := w.Engine.Call(ctx, methodCampaignKeepReason, map[string]any{"locale": w.serverLocale(), "owner": owner, "campaign_id": c.ID}, &reason); err != nil {
		return err
	}
	intent := campaignRecord(c.ID, actorID, src, store.ActionCampaignKeep, store.TrailInput{TokenID: t.ID, OwnerID: t.UserID})
	if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
		return err
	}
	_, _, err := w.Store.ExemptToken(t.ChangedBy, t.ID, reason.Text, t.KeptUntil)
	w.appendOutcome(intent, err)
	return err
}

// campaignRecord is a trail intent about campaign id.
func campaignRecord(id, actorID, source, action string, in store.TrailInput) store.TrailRecord {
	in.ActionID, in.Phase, in.Action, in.Source = model.NewId(), store.PhaseIntent, action, source
	return store.TrailRecord{TrailInput: in, ActorID: actorID, Detail: "campaign " + id}
}

// appendOutcome records how the action of intent ended.
func (w *Watcher) appendOutcome(intent store.TrailRecord, err error) {
	outcome := intent
	outcome.Phase, outcome.Outcome = store.PhaseOutcome, store.OutcomeOK
	if err != nil {
		outcome.Outcome, outcome.Error = store.OutcomeError, err.Error()
	}
	if _, appendErr := w.Store.AppendTrail([]store.TrailRecord{outcome}); appendErr != nil {
		w.API.LogError("Recording a campaign's outcome in the audit trail failed", "err", appendErr.Error())
	}
}

// ownerMessage is the engine's OwnerMessage.
type ownerMessage struct {
	TokenID  string `json:"token_id"`
	Markdown string `json:"markdown"`
}

// askOwners sends each newly notified token's owner the DM with [Keep it] and [Revoke it now]. A
// token whose DM could not be sent goes back to picked, so the next run asks again.
func (w *Watcher) askOwners(ctx context.Context, c store.Campaign, tokenIDs []string) error {
	inv, err := w.readInventory(ctx)
	if err != nil {
		return w.unnotify(c, tokenIDs, err)
	}
	var admin *source.Owner
	if user, appErr := w.API.GetUser(c.CreatedBy); appErr == nil {
		o := source.OwnerOf(user)
		admin = &o
	}
	var errs []error
	for _, id := range tokenIDs {
		t := c.Token(id)
		locale := w.localeOf(t.OwnerID)
		intent := campaignRecord(c.ID, w.BotID, store.SourceJob, store.ActionCampaignNotify, store.TrailInput{TokenID: t.ID, OwnerID: t.UserID})
		if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
			errs = append(errs, w.unnotify(c, []string{id}, err))
			continue
		}
		err := w.askOwner(ctx, askRequest{campaign: c, token: *t, locale: locale, inv: inv, admin: admin})
		w.appendOutcome(intent, err)
		if err != nil {
			errs = append(errs, w.unnotify(c, []string{id}, err))
		}
	}
	return errors.Join(errs...)
}

type askRequest struct {
	campaign store.Campaign
	token    store.CampaignToken
	locale   string
	inv      inventory
	admin    *source.Owner
}

func (w *Watcher) askOwner(ctx context.Context, r askRequest) error {
	var messages []ownerMessage
	err := w.Engine.Call(ctx, methodCampaignMessages, map[string]any{
		"context": w.context(r.locale), "data": r.inv, "campaign": r.campaign, "token_ids": []string{r.token.ID}, "admin": r.admin,
	}, &messages)
	if err != nil {
		return err
	}
	if len(messages) != 1 {
		return fmt.Errorf("token %s is not in the database any more", r.token.ID)
	}
	dm, appErr := w.API.GetDirectChannel(w.BotID, r.token.OwnerID)
	if appErr != nil {
		return appErr
	}
	post := &model.Post{UserId: w.BotID, ChannelId: dm.Id, Message: messages[0].Markdown}
	if err := w.attachCampaignButtons(ctx, post, r.campaign, r.token.ID, r.locale); err != nil {
		return err
	}
	created, appErr := w.API.CreatePost(post)
	if appErr != nil {
		return appErr
	}
	return w.Store.SetCampaignPost(r.campaign.ID, r.token.ID, created.Id, r.locale)
}

func (w *Watcher) unnotify(c store.Campaign, tokenIDs []string, cause error) error {
	for _, id := range tokenIDs {
		if _, _, err := w.Store.MoveCampaignToken(store.StageMove{CampaignID: c.ID, TokenID: id, From: store.CampaignNotified, To: store.CampaignPicked, By: w.BotID}); err != nil {
			w.API.LogError("Token Audit could not put back a token whose owner was not asked", "token_id", id, "err", err.Error())
		}
	}
	return fmt.Errorf("ask the owners: %w", cause)
}

// Keys of a campaign button's integration context, and its buttons.
const (
	contextCampaign = "campaign"
	contextToken    = "token"
	buttonRevokeNow = "revoke_now"
)

// CampaignButtonPath is the plugin route behind the campaign DMs' buttons.
const CampaignButtonPath = "/campaign/button"

func (w *Watcher) attachCampaignButtons(ctx context.Context, post *model.Post, c store.Campaign, tokenID, locale string) error {
	var labels map[string]string
	if err := w.Engine.Call(ctx, methodCampaignButtons, map[string]any{"locale": locale, "keep_days": c.KeepDays}, &labels); err != nil {
		return err
	}
	var actions []*model.PostAction
	for _, name := range []string{buttonKeep, buttonRevokeNow} {
		style := "primary"
		if name == buttonRevokeNow {
			style = "danger"
		}
		actions = append(actions, &model.PostAction{
			Id: actionID(name), Type: model.PostActionTypeButton, Name: labels[name], Style: style,
			Integration: &model.PostActionIntegration{
				URL:     "/plugins/" + w.PluginID + CampaignButtonPath,
				Context: map[string]any{contextCampaign: c.ID, contextToken: tokenID, contextButton: name},
			},
		})
	}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{Actions: actions}})
	return nil
}

// tellDue tells the admin who started the campaign that tokens are due to be disabled.
func (w *Watcher) tellDue(ctx context.Context, c store.Campaign, due int) error {
	locale := w.localeOf(c.CreatedBy)
	var out struct {
		Markdown string `json:"markdown"`
	}
	if err := w.Engine.Call(ctx, methodCampaignDue, map[string]any{"context": w.context(locale), "campaign": c, "due": due}, &out); err != nil {
		return err
	}
	dm, appErr := w.API.GetDirectChannel(w.BotID, c.CreatedBy)
	if appErr != nil {
		return appErr
	}
	intent := campaignRecord(c.ID, w.BotID, store.SourceJob, store.ActionCampaignNotify, store.TrailInput{OwnerID: c.CreatedBy, Count: due})
	if _, err := w.Store.AppendTrail([]store.TrailRecord{intent}); err != nil {
		return err
	}
	_, appErr = w.API.CreatePost(&model.Post{UserId: w.BotID, ChannelId: dm.Id, Message: out.Markdown})
	if appErr != nil {
		w.appendOutcome(intent, appErr)
		return appErr
	}
	w.appendOutcome(intent, nil)
	return nil
}

// dayOr is one of a campaign's days: a day, shorter only in tests.
func dayOr(d time.Duration) time.Duration {
	if d <= 0 {
		return 24 * time.Hour
	}
	return d
}
