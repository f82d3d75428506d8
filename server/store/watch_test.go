package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tokenaudit/token-audit/server/store"
)

func TestWatchSinceIsSetOnceByTheFirstCaller(t *testing.T) {
	s, _, _ := newStore(t)
	if got, wrote, err := s.WatchSince(100); err != nil || got != 100 || !wrote {
		t.Fatalf("first = %d, wrote %v, %v", got, wrote, err)
	}
	if got, wrote, err := s.WatchSince(200); err != nil || got != 100 || wrote {
		t.Fatalf("second = %d, wrote %v, %v", got, wrote, err)
	}
}

func TestOneClaimWinsAmongManyAndCanBeGivenBack(t *testing.T) {
	s, _, _ := newStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.Claim("alert_" + tokA)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d callers won the claim", won)
	}
	if err := s.Unclaim("alert_" + tokA); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Claim("alert_" + tokA); err != nil || !ok {
		t.Fatalf("claim after unclaim = %v, %v", ok, err)
	}
	if _, err := s.Claim(""); err == nil {
		t.Fatal("an empty claim name was taken")
	}
}

func TestButtonsMoveOnceFromEachStage(t *testing.T) {
	s, _, _ := newStore(t)
	if _, _, err := s.MoveButtons(tokA, store.StageOpen, store.StageDone); !errors.Is(err, store.ErrNoButtons) {
		t.Fatalf("unknown buttons: %v", err)
	}
	b := store.Buttons{Kind: store.ButtonsGuard, Stage: store.StageOpen, OwnerID: alice, Tokens: []store.ButtonToken{{ID: tokA, UserID: alice}}}
	if err := s.SaveButtons(tokB, b); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveButtons(tokB, b); err == nil {
		t.Fatal("buttons saved twice under one id")
	}
	if err := s.AddButtonPosts(tokB, map[string]store.ButtonPost{bob: {Message: "m", Locale: "de"}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	moves := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, moved, err := s.MoveButtons(tokB, store.StageOpen, store.StageDone)
			if err != nil {
				t.Error(err)
			}
			if moved {
				mu.Lock()
				moves++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got, err := s.GetButtons(tokB)
	if err != nil || moves != 1 || got.Stage != store.StageDone || got.Posts[bob].Locale != "de" {
		t.Fatalf("moves %d, buttons %+v, %v", moves, got, err)
	}
}

func TestLastDigestOnlyMovesForward(t *testing.T) {
	s, _, _ := newStore(t)
	if at, err := s.LastDigestAt(); err != nil || at != 0 {
		t.Fatalf("none yet = %d, %v", at, err)
	}
	for _, at := range []int64{500, 300} {
		if err := s.DigestPosted(at); err != nil {
			t.Fatal(err)
		}
	}
	if at, err := s.LastDigestAt(); err != nil || at != 500 {
		t.Fatalf("last = %d, %v", at, err)
	}
}

func TestALeaseNotDoneIsTakenOverOnceStale(t *testing.T) {
	s, kv, clock := newStore(t)
	const stale = 2 * time.Minute
	if ok, err := s.Lease("campaign_due_x", stale); err != nil || !ok {
		t.Fatalf("first lease %v, %v", ok, err)
	}
	clock.Advance(stale - time.Millisecond)
	if ok, err := s.Lease("campaign_due_x", stale); err != nil || ok {
		t.Fatalf("a fresh lease was taken again: %v, %v", ok, err)
	}
	// Its holder died: once stale, another takes it, and holds it afresh.
	clock.Advance(time.Millisecond)
	if ok, err := s.Lease("campaign_due_x", stale); err != nil || !ok {
		t.Fatalf("a stale lease was not taken over: %v, %v", ok, err)
	}
	if ok, _ := s.Lease("campaign_due_x", stale); ok {
		t.Fatal("the lease taken over was taken again at once")
	}
	if err := s.LeaseDone("campaign_due_x"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if ok, err := s.Lease("campaign_due_x", stale); err != nil || ok {
		t.Fatalf("a done lease was taken: %v, %v", ok, err)
	}

	// A claim (taken before leases existed) reads as done; a lease that does not parse is an error.
	if ok, _ := s.Claim("campaign_due_y"); !ok {
		t.Fatal("claim refused")
	}
	clock.Advance(time.Hour)
	if ok, err := s.Lease("campaign_due_y", stale); err != nil || ok {
		t.Fatalf("a claim was taken as a lease: %v, %v", ok, err)
	}
	kv.Set("watch_claim_campaign_due_z", []byte("lease:soon"))
	if _, err := s.Lease("campaign_due_z", stale); err == nil {
		t.Fatal("a garbled lease was taken over")
	}
}
