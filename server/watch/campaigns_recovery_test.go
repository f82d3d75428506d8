package watch

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

// killed stands for a node killed at the moment of a write.
type killed struct{}

// killAfterStoring makes the next write of a campaign holding marker (a pending action) the last
// thing the node does: the write is stored, and the writer never runs another line.
func killAfterStoring(kv *storetest.MemKV, marker string) {
	kv.AfterSet = func(key string, value []byte) {
		if strings.Contains(key, "campaign_") && bytes.Contains(value, []byte(`"pending":"`+marker+`"`)) {
			kv.AfterSet = nil
			panic(killed{})
		}
	}
}

// interrupted runs f, which must be killed by killAfterStoring.
func interrupted(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != (killed{}) {
			t.Fatalf("the node was not killed where the test meant it to be (%v)", r)
		}
	}()
	f()
}

// trailCount counts the outcome records of action for tokenID by source.
func trailCount(t *testing.T, s *store.Store, tokenID, action, source string) int {
	t.Helper()
	records, _, err := s.ListTrail(store.TrailQuery{Limit: 500, TokenID: tokenID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range records {
		if r.Action == action && r.Phase == store.PhaseOutcome && r.Source == source && r.Outcome == store.OutcomeOK {
			n++
		}
	}
	return n
}

func runOnce(t *testing.T, w *Watcher) {
	t.Helper()
	if err := w.CampaignsOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func pendingOf(t *testing.T, s *store.Store, campaignID, tokenID string) string {
	t.Helper()
	c, err := s.GetCampaign(campaignID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Token(tokenID).Pending
}

// campaignPastItsGrace starts a campaign of tokC on node a, asks its owner, and lets the one-day
// grace period pass: the next run makes the token due.
func campaignPastItsGrace(t *testing.T, w *campaignWorld, a *Watcher) store.Campaign {
	t.Helper()
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokC}, GraceDays: 1, UndoDays: 1, KeepDays: 1})
	if err != nil {
		t.Fatal(err)
	}
	runOnce(t, a)
	w.clock.advance(2 * time.Second)
	return c
}

func TestARevokeAtTheEndOfTheUndoWindowInterruptedAfterTheMoveIsFinishedOnce(t *testing.T) {
	w := newCampaignWorld(t)
	a, b := w.nodes[0], w.nodes[1]
	c := campaignPastItsGrace(t, w, a)
	runOnce(t, a)
	w.setActive(tokC, false)
	if _, err := a.CampaignDisabled(context.Background(), adminID, c.ID, tokC, store.SourceConsole); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(2 * time.Second)
	posts := len(w.api.posts)

	killAfterStoring(w.kv, store.PendingRevoke)
	interrupted(t, func() { _ = a.CampaignsOnce(context.Background()) })
	if got := stages(t, a.Store, c.ID)[tokC]; got != store.CampaignRevoked || len(w.api.revoked) != 0 || pendingOf(t, a.Store, c.ID, tokC) != store.PendingRevoke {
		t.Fatalf("after the kill: stage %s, revoked %v", got, w.api.revoked)
	}

	// Another node runs the job at once: the move may still be under way, so it waits.
	runOnce(t, b)
	if len(w.api.revoked) != 0 {
		t.Fatalf("revoked %v while the move could still be under way", w.api.revoked)
	}
	w.clock.advance(3 * time.Second)
	runOnce(t, b)
	runOnce(t, a)
	if !slices.Equal(w.api.revoked, []string{tokC}) || pendingOf(t, a.Store, c.ID, tokC) != "" {
		t.Fatalf("revoked %v, pending %q", w.api.revoked, pendingOf(t, a.Store, c.ID, tokC))
	}
	if n := trailCount(t, a.Store, tokC, store.ActionRevoke, store.SourceJob); n != 1 {
		t.Fatalf("%d revoke outcomes in the trail", n)
	}
	if len(w.api.posts) != posts {
		t.Fatalf("%d posts while finishing the move", len(w.api.posts)-posts)
	}
}

func TestAKeepInterruptedAfterTheMoveGetsItsExemptionOnceAndNoSecondDM(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokA}, GraceDays: 5, UndoDays: 1, KeepDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	runOnce(t, a)
	posts := len(w.api.posts)

	killAfterStoring(w.kv, store.PendingExempt)
	interrupted(t, func() { campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokA, userID, buttonKeep)) })
	if policy, _ := a.Store.GetPolicy(); stages(t, a.Store, c.ID)[tokA] != store.CampaignKept || len(policy.Exemptions) != 0 {
		t.Fatalf("after the kill: %v, exemptions %+v", stages(t, a.Store, c.ID), policy.Exemptions)
	}

	runOnce(t, a)
	if policy, _ := a.Store.GetPolicy(); len(policy.Exemptions) != 0 {
		t.Fatal("exempted while the click could still be under way")
	}
	w.clock.advance(3 * time.Second)
	runOnce(t, a)
	runOnce(t, a)
	stored, err := a.Store.GetCampaign(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := a.Store.GetPolicy()
	if err != nil {
		t.Fatal(err)
	}
	if len(policy.Exemptions) != 1 || policy.Exemptions[0].ID != tokA || policy.Exemptions[0].ExpiresAt != stored.Token(tokA).KeptUntil ||
		policy.Exemptions[0].Reason != enginetestReason(t, c.ID) || policy.Exemptions[0].AddedBy != userID {
		t.Fatalf("exemptions %+v", policy.Exemptions)
	}
	if stored.Token(tokA).Pending != "" || trailCount(t, a.Store, tokA, store.ActionCampaignKeep, store.SourceJob) != 1 {
		t.Fatalf("pending %q, trail %d", stored.Token(tokA).Pending, trailCount(t, a.Store, tokA, store.ActionCampaignKeep, store.SourceJob))
	}
	if len(w.api.posts) != posts || len(w.api.revoked) != 0 {
		t.Fatalf("%d new posts, revoked %v", len(w.api.posts)-posts, w.api.revoked)
	}
}

func TestARevokeNowInterruptedAfterTheMoveIsFinishedOnceEvenAfterACancel(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokB, tokC}, GraceDays: 5, UndoDays: 1, KeepDays: 1})
	if err != nil {
		t.Fatal(err)
	}
	runOnce(t, a)
	posts := len(w.api.posts)

	killAfterStoring(w.kv, store.PendingRevoke)
	interrupted(t, func() { campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokB, userID, buttonRevokeNow)) })
	if stages(t, a.Store, c.ID)[tokB] != store.CampaignRevokedByOwner || len(w.api.revoked) != 0 {
		t.Fatalf("after the kill: %v, revoked %v", stages(t, a.Store, c.ID), w.api.revoked)
	}

	// The owner asked for it before the admin cancelled: it is still done, and nothing else moves.
	if _, err := a.CancelCampaign(adminID, c.ID); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(time.Minute)
	runOnce(t, a)
	runOnce(t, a)
	if !slices.Equal(w.api.revoked, []string{tokB}) || pendingOf(t, a.Store, c.ID, tokB) != "" || stages(t, a.Store, c.ID)[tokC] != store.CampaignNotified {
		t.Fatalf("revoked %v, pending %q, stages %v", w.api.revoked, pendingOf(t, a.Store, c.ID, tokB), stages(t, a.Store, c.ID))
	}
	if len(w.api.posts) != posts {
		t.Fatalf("%d new posts", len(w.api.posts)-posts)
	}
}

func TestAnInterruptedRevokeOfATokenAlreadyGoneIsNotRepeated(t *testing.T) {
	w := newCampaignWorld(t)
	a := w.nodes[0]
	c, err := a.StartCampaign(context.Background(), adminID, CampaignInput{TokenIDs: []string{tokB}, GraceDays: 5, UndoDays: 1, KeepDays: 1})
	if err != nil {
		t.Fatal(err)
	}
	runOnce(t, a)
	killAfterStoring(w.kv, store.PendingRevoke)
	interrupted(t, func() { campaignClick(a, userID, askingPost(t, a.Store, c.ID, tokB, userID, buttonRevokeNow)) })

	// Killed after Mattermost revoked it: the database no longer has the token.
	w.tokens.tokens = slices.DeleteFunc(w.tokens.tokens, func(tok source.Token) bool { return tok.ID == tokB })
	w.clock.advance(3 * time.Second)
	runOnce(t, a)
	if len(w.api.revoked) != 0 || pendingOf(t, a.Store, c.ID, tokB) != "" || stages(t, a.Store, c.ID)[tokB] != store.CampaignRevokedByOwner {
		t.Fatalf("revoked %v, pending %q, stages %v", w.api.revoked, pendingOf(t, a.Store, c.ID, tokB), stages(t, a.Store, c.ID))
	}
}

func TestADueNoticeWhoseNodeDiedAfterLeasingItIsPostedTwoPeriodsLater(t *testing.T) {
	w := newCampaignWorld(t)
	a, b := w.nodes[0], w.nodes[1]
	c := campaignPastItsGrace(t, w, a)
	dueNotices := func() int {
		n := 0
		for _, p := range w.api.posts {
			if strings.Contains(p.Message, "due to be disabled") {
				n++
			}
		}
		return n
	}
	// The node makes the token due, leases the notice, and is killed before posting it.
	w.kv.AfterSet = func(key string, value []byte) {
		if strings.Contains(key, "campaign_due_") && bytes.HasPrefix(value, []byte("lease:")) {
			w.kv.AfterSet = nil
			panic(killed{})
		}
	}
	interrupted(t, func() { runOnce(t, a) })
	if got := stages(t, b.Store, c.ID); got[tokC] != store.CampaignDue || dueNotices() != 0 {
		t.Fatalf("before: stages %v, %d notices", got, dueNotices())
	}
	// Within two job periods the lease still stands for a node that may be posting.
	runOnce(t, b)
	if dueNotices() != 0 {
		t.Fatal("the notice was posted while its lease was fresh")
	}
	w.clock.advance(3 * time.Second)
	runOnce(t, b)
	runOnce(t, a)
	if dueNotices() != 1 {
		t.Fatalf("%d due notices after the lease went stale, want 1", dueNotices())
	}
}
