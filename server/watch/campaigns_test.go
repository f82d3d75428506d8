package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/engine/enginetest"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

const (
	tokC  = "tokenccccccccccccccccccccc"
	tokD  = "tokenddddddddddddddddddddd"
	bobID = "bobbbbbbbbbbbbbbbbbbbbbbbb"
)

// campaignAPI adds the calls only campaigns make to fakeAPI.
type campaignAPI struct {
	*fakeAPI
}

func (c campaignAPI) GetBot(id string, _ bool) (*model.Bot, *model.AppError) {
	return nil, model.NewAppError("GetBot", "not_found", nil, "", http.StatusNotFound)
}

func (c campaignAPI) GetPost(id string) (*model.Post, *model.AppError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.posts {
		if p.Id == id {
			return p, nil
		}
	}
	return nil, model.NewAppError("GetPost", "not_found", nil, "", http.StatusNotFound)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// campaignNode is one server's watcher over the shared KV, with a campaign day of one second.
func campaignNode(t *testing.T, kv *storetest.MemKV, api *fakeAPI, tokens *fakeTokens, c *clock) *Watcher {
	t.Helper()
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{API: campaignAPI{api}, Store: store.New(kv, c.Now), Engine: eng, Tokens: tokens, PluginID: "token-audit", BotID: botID, Now: c.Now, Day: time.Second, Minute: time.Second})
}

type campaignWorld struct {
	kv     *storetest.MemKV
	api    *fakeAPI
	tokens *fakeTokens
	clock  *clock
	nodes  []*Watcher
}

func newCampaignWorld(t *testing.T) *campaignWorld {
	api := newFakeAPI()
	api.users[bobID] = &model.User{Id: bobID, Username: "bob", Roles: "system_user"}
	w := &campaignWorld{kv: storetest.NewMemKV(), api: api, clock: &clock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}}
	w.tokens = &fakeTokens{tokens: []source.Token{
		{ID: tokA, UserID: userID, Description: "keep me", IsActive: true},
		{ID: tokB, UserID: userID, Description: "revoke me", IsActive: true},
		{ID: tokC, UserID: userID, Description: "ignored", IsActive: true},
		{ID: tokD, UserID: userID, Description: "enabled again", IsActive: true},
	}}
	w.nodes = []*Watcher{campaignNode(t, w.kv, api, w.tokens, w.clock), campaignNode(t, w.kv, api, w.tokens, w.clock)}
	return w
}

// runBoth runs the campaign job on both nodes at once, as two servers without cluster.Schedule's
// lock would: every move is still made once.
func (w *campaignWorld) runBoth(t *testing.T) {
	t.Helper()
	var wg sync.WaitGroup
	for _, n := range w.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.CampaignsOnce(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func (w *campaignWorld) setActive(id string, active bool) {
	for i := range w.tokens.tokens {
		if w.tokens.tokens[i].ID == id {
			w.tokens.tokens[i].IsActive = active
		}
	}
}

func stages(t *testing.T, s *store.Store, id string) map[string]string {
	t.Helper()
	c, err := s.GetCampaign(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tok := range c.Tokens {
		out[tok.ID] = tok.Stage
	}
	return out
}

func campaignClick(w *Watcher, header string, req model.PostActionIntegrationRequest) model.PostActionIntegrationResponse {
	body, _ := json.Marshal(req)
	r := httptest.NewRequest(http.MethodPost, CampaignButtonPath, bytes.NewReader(body))
	if header != "" {
		r.Header.Set(userIDHeader, header)
	}
	rec := httptest.NewRecorder()
	w.ServeCampaignButton(rec, r)
	var out model.PostActionIntegrationResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

// askingPost is the DM that asked about tokenID, and the request a click on its button makes.
func askingPost(t *testing.T, s *store.Store, campaignID, tokenID, clicker, button string) model.PostActionIntegrationRequest {
	t.Helper()
	c, err := s.GetCampaign(campaignID)
	if err != nil {
		t.Fatal(err)
	}
	return model.PostActionIntegrationRequest{
		UserId: clicker, PostId: c.Token(tokenID).PostID, ChannelId: dmID,
		Context: map[string]any{contextCampaign: campaignID, contextToken: tokenID, contextButton: button},
	}
}

func TestSimulatedNodesRunACampaignsEveryStageOnce(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	ctx := context.Background()
	c, err := a.StartCampaign(ctx, adminID, CampaignInput{TokenIDs: []string{tokA, tokB, tokC, tokD}, GraceDays: 2, UndoDays: 3, KeepDays: 30, Note: "spring clean"})
	if err != nil {
		t.Fatal(err)
	}

	w.runBoth(t)
	if len(w.api.posts) != 4 {
		t.Fatalf("%d DMs for 4 tokens", len(w.api.posts))
	}
	for _, p := range w.api.posts {
		if p.UserId != botID || !strings.Contains(p.Message, "@root started a clean-up of personal access tokens") || len(p.Attachments()) != 1 {
			t.Fatalf("DM %+v", p)
		}
	}
	for id, stage := range stages(t, a.Store, c.ID) {
		if stage != store.CampaignNotified {
			t.Fatalf("%s is %s", id, stage)
		}
	}

	kept := campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokA, userID, buttonKeep))
	if kept.Update == nil || !strings.Contains(kept.Update.Message, "> @alice kept it until") {
		t.Fatalf("keep answered %+v", kept)
	}
	policy, _ := a.Store.GetPolicy()
	stored, _ := a.Store.GetCampaign(c.ID)
	keptUntil := stored.Token(tokA).KeptUntil
	if len(policy.Exemptions) != 1 || policy.Exemptions[0].ID != tokA || policy.Exemptions[0].ExpiresAt != keptUntil ||
		keptUntil < c.CreatedAt+(30*time.Second).Milliseconds() {
		t.Fatalf("exemptions %+v, kept until %d", policy.Exemptions, keptUntil)
	}
	if want := enginetestReason(t, c.ID); policy.Exemptions[0].Reason != want {
		t.Fatalf("reason %q, want %q", policy.Exemptions[0].Reason, want)
	}
	revoked := campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokB, userID, buttonRevokeNow))
	if revoked.Update == nil || !strings.Contains(revoked.Update.Message, "> @alice revoked it.") || !slices.Equal(w.api.revoked, []string{tokB}) {
		t.Fatalf("revoke answered %+v, revoked %v", revoked, w.api.revoked)
	}

	w.runBoth(t)
	if got := stages(t, a.Store, c.ID); got[tokC] != store.CampaignNotified {
		t.Fatalf("due before the grace period ended: %v", got)
	}
	w.clock.advance(2 * time.Second)
	posts := len(w.api.posts)
	w.runBoth(t)
	got := stages(t, a.Store, c.ID)
	if got[tokA] != store.CampaignKept || got[tokB] != store.CampaignRevokedByOwner || got[tokC] != store.CampaignDue || got[tokD] != store.CampaignDue {
		t.Fatalf("after the grace period: %v", got)
	}
	if len(w.api.posts) != posts+1 || !strings.Contains(w.api.posts[posts].Message, "2 tokens are due to be disabled") {
		t.Fatalf("the admin was told %d times", len(w.api.posts)-posts)
	}

	// The admin disables C in the console and D with /tokens campaign disable; D is enabled again
	// within the undo window. Each move is recorded with where it was asked for.
	reportedFrom := map[string]string{tokC: store.SourceConsole, tokD: store.SourceCommand}
	for id, source := range reportedFrom {
		w.setActive(id, false)
		if _, err := a.CampaignDisabled(ctx, adminID, c.ID, id, source); err != nil {
			t.Fatal(err)
		}
		moves, _, err := a.Store.ListTrail(store.TrailQuery{Limit: 10, TokenID: id, Action: store.ActionCampaignStage})
		if err != nil || len(moves) < 2 {
			t.Fatalf("%s: stage moves %+v, %v", id, moves, err)
		}
		// The newest two: the move's intent and its outcome.
		for _, r := range moves[:2] {
			if !strings.HasSuffix(r.Detail, store.CampaignDue+" → "+store.CampaignDisabled) || r.Source != source || r.ActorID != adminID {
				t.Fatalf("%s: recorded %+v, want the move to disabled from %s by %s", id, r, source, adminID)
			}
		}
	}
	// A report that finds the token disabled already (the job noticed first) is no conflict and
	// changes nothing; a token that was never due is refused.
	before, _, _ := a.Store.ListTrail(store.TrailQuery{Limit: 200})
	if again, err := a.CampaignDisabled(ctx, adminID, c.ID, tokC, store.SourceConsole); err != nil || again.Token(tokC).Stage != store.CampaignDisabled {
		t.Fatalf("a repeated report answered %v", err)
	}
	if after, _, _ := a.Store.ListTrail(store.TrailQuery{Limit: 200}); len(after) != len(before) {
		t.Fatalf("a repeated report wrote %d trail records", len(after)-len(before))
	}
	if _, err := a.CampaignDisabled(ctx, adminID, c.ID, tokA, store.SourceConsole); !errors.Is(err, ErrNotDue) {
		t.Fatalf("a kept token reported disabled answered %v", err)
	}
	w.setActive(tokD, true)
	w.runBoth(t)
	w.clock.advance(3 * time.Second)
	w.runBoth(t)
	got = stages(t, a.Store, c.ID)
	if got[tokC] != store.CampaignRevoked || got[tokD] != store.CampaignReenabled || !slices.Equal(w.api.revoked, []string{tokB, tokC}) {
		t.Fatalf("after the undo window: %v, revoked %v", got, w.api.revoked)
	}

	records, _, err := a.Store.ListTrail(store.TrailQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	phases := map[string]int{}
	for _, r := range records {
		phases[r.ActionID] += map[string]int{store.PhaseIntent: 1, store.PhaseOutcome: 10}[r.Phase]
		if r.Source == "" || r.ActorID == "" {
			t.Fatalf("record without source or actor: %+v", r)
		}
	}
	for id, n := range phases {
		if n != 11 {
			t.Fatalf("action %s has not one intent and one outcome (%d)", id, n)
		}
	}
}

func enginetestReason(t *testing.T, campaignID string) string {
	t.Helper()
	return strings.NewReplacer("{user}", "@alice", "{campaign}", campaignID).Replace(enginetest.Message(t, "en", "token_audit.campaign.keep_reason"))
}

func TestRefusedCampaignClicksChangeNothing(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokA, tokB}, GraceDays: 1, UndoDays: 1, KeepDays: 1})
	if err != nil {
		t.Fatal(err)
	}
	w.runBoth(t)
	snapshot := func() string {
		c, _ := a.Store.GetCampaign(c.ID)
		p, _ := a.Store.GetPolicy()
		raw, _ := json.Marshal([]any{c, p, w.api.revoked})
		return string(raw)
	}
	before := snapshot()
	notOwner := enginetest.Message(t, "en", "token_audit.campaign.click.not_owner")
	forged := enginetest.Message(t, "en", "token_audit.watch.click.forged")
	good := askingPost(t, a.Store, c.ID, tokA, bobID, buttonKeep)
	otherPost := askingPost(t, a.Store, c.ID, tokB, userID, buttonKeep)
	otherPost.Context[contextToken] = tokA
	unknownCampaign := askingPost(t, a.Store, c.ID, tokA, userID, buttonKeep)
	unknownCampaign.Context[contextCampaign] = model.NewId()
	badButton := askingPost(t, a.Store, c.ID, tokA, userID, "delete")
	for name, tc := range map[string]struct {
		header string
		req    model.PostActionIntegrationRequest
		want   string
	}{
		"another user":             {bobID, good, notOwner},
		"header and body disagree": {userID, good, forged},
		"no user":                  {"", good, forged},
		"the DM of another token":  {userID, otherPost, forged},
		"an unknown campaign":      {userID, unknownCampaign, forged},
		"a button that is not one": {userID, badButton, forged},
	} {
		if got := campaignClick(a, tc.header, tc.req); got.EphemeralText != tc.want || got.Update != nil {
			t.Errorf("%s: %+v", name, got)
		}
		if after := snapshot(); after != before {
			t.Fatalf("%s changed something", name)
		}
	}

	// An admin may answer; a replay, or the other button afterwards, is stale.
	if got := campaignClick(a, adminID, askingPost(t, a.Store, c.ID, tokA, adminID, buttonKeep)); got.Update == nil {
		t.Fatalf("admin's keep: %+v", got)
	}
	after := snapshot()
	stale := enginetest.Message(t, "en", "token_audit.campaign.click.stale")
	for _, button := range []string{buttonKeep, buttonRevokeNow} {
		if got := campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokA, userID, button)); got.EphemeralText != stale {
			t.Fatalf("replayed %s: %+v", button, got)
		}
	}
	if snapshot() != after {
		t.Fatal("a replay changed something")
	}

	// Cancelled: no stage runs and no click moves anything.
	if _, err := a.CancelCampaign(adminID, c.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(time.Hour)
	w.runBoth(t)
	if got := campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokB, userID, buttonRevokeNow)); got.EphemeralText != stale {
		t.Fatalf("click on a cancelled campaign: %+v", got)
	}
	if s := stages(t, a.Store, c.ID); s[tokB] != store.CampaignNotified || len(w.api.revoked) != 0 {
		t.Fatalf("a cancelled campaign moved on: %v, %v", s, w.api.revoked)
	}
}

func TestAStartWithUnknownTokensOrBadNumbersStoresNothing(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	for name, in := range map[string]CampaignInput{
		"unknown token": {TokenIDs: []string{tokA, model.NewId()}, GraceDays: 1, UndoDays: 1, KeepDays: 1},
		"no tokens":     {GraceDays: 1, UndoDays: 1, KeepDays: 1},
		"grace 0":       {TokenIDs: []string{tokA}, GraceDays: 0, UndoDays: 1, KeepDays: 1},
		"keep 366":      {TokenIDs: []string{tokA}, GraceDays: 1, UndoDays: 1, KeepDays: 366},
	} {
		if _, err := a.StartCampaign(context.Background(), adminID, in); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
	if all, err := a.Store.ListCampaigns(); err != nil || len(all) != 0 {
		t.Fatalf("stored %v, %v", all, err)
	}
}

func TestAnOwnerNotAskedBeforeASimulatedCrashIsAskedTwoPeriodsLater(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokA}, GraceDays: 5, UndoDays: 1, KeepDays: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The node moved the token and died before posting.
	if _, moved, err := a.Store.MoveCampaignToken(store.StageMove{CampaignID: c.ID, TokenID: tokA, From: store.CampaignPicked, To: store.CampaignNotified, By: botID}); err != nil || !moved {
		t.Fatal(moved, err)
	}
	w.runBoth(t)
	if len(w.api.posts) != 0 {
		t.Fatal("asked again while the first run could still be posting")
	}
	w.clock.advance(3 * time.Second)
	w.runBoth(t)
	w.runBoth(t)
	stored, _ := a.Store.GetCampaign(c.ID)
	if len(w.api.posts) != 1 || stored.Token(tokA).PostID != w.api.posts[0].Id {
		t.Fatalf("%d DMs, post id %q", len(w.api.posts), stored.Token(tokA).PostID)
	}
}
