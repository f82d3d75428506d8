package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

func rec(actor, action, tokenID string) store.TrailRecord {
	return store.TrailRecord{
		TrailInput: store.TrailInput{
			ActionID: "actionaaaaaaaaaaaaaaaaaaaa", Phase: store.PhaseIntent, Action: action,
			TokenID: tokenID, Source: store.SourceConsole,
		},
		ActorID: actor,
	}
}

func appendOne(t *testing.T, s *store.Store, r store.TrailRecord) store.TrailRecord {
	t.Helper()
	out, err := s.AppendTrail([]store.TrailRecord{r})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

// listAll pages through the trail and checks that ids strictly decrease across pages.
func listAll(t *testing.T, s *store.Store, q store.TrailQuery) []store.TrailRecord {
	t.Helper()
	var all []store.TrailRecord
	for {
		page, next, err := s.ListTrail(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > q.Limit {
			t.Fatalf("page of %d, limit %d", len(page), q.Limit)
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		if next != page[len(page)-1].ID {
			t.Fatalf("next = %s, last of page = %s", next, page[len(page)-1].ID)
		}
		q.Before = next
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatalf("record %d (%s) not older than record %d (%s)", i, all[i].ID, i-1, all[i-1].ID)
		}
	}
	return all
}

func TestTrailAppendListAndFilter(t *testing.T) {
	s, kv, clock := newStore(t)
	var appended []store.TrailRecord
	for i := range 30 {
		actor, action, token := alice, "revoke", tokA
		if i%3 == 0 {
			actor, action, token = bob, "disable", tokB
		}
		appended = append(appended, appendOne(t, s, rec(actor, action, token)))
		clock.Advance(7 * time.Hour) // spreads the records over nine days
	}
	if got := appended[0]; got.At != epoch.UnixMilli() || got.ActorID != bob || !store.IsTrailID(got.ID) {
		t.Fatalf("stored record = %+v", got)
	}

	tests := []struct {
		name  string
		query store.TrailQuery
		want  int
	}{
		{"everything, small pages", store.TrailQuery{Limit: 4}, 30},
		{"one page", store.TrailQuery{Limit: 200}, 30},
		{"exact page", store.TrailQuery{Limit: 30}, 30},
		{"by actor", store.TrailQuery{Limit: 3, ActorID: bob}, 10},
		{"by token", store.TrailQuery{Limit: 3, TokenID: tokA}, 20},
		{"by action", store.TrailQuery{Limit: 50, Action: "disable"}, 10},
		{"no match", store.TrailQuery{Limit: 5, OwnerID: bob}, 0},
		{"before", store.TrailQuery{Limit: 7, Before: appended[10].ID}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listAll(t, s, tt.query)
			if len(got) != tt.want {
				t.Fatalf("%d records, want %d", len(got), tt.want)
			}
			for _, r := range got {
				if (tt.query.ActorID != "" && r.ActorID != tt.query.ActorID) || (tt.query.Action != "" && r.Action != tt.query.Action) {
					t.Fatalf("filtered list holds %+v", r)
				}
			}
		})
	}

	if page, next, _ := s.ListTrail(store.TrailQuery{Limit: 1}); page[0].ID != appended[29].ID || next != appended[29].ID {
		t.Fatalf("newest = %s, next = %s", page[0].ID, next)
	}
	for _, key := range kv.Keys() {
		if utf8.RuneCountInString(key) > 150 {
			t.Errorf("key %q is too long", key)
		}
	}
}

func TestTrailIDsStayOrderedWhenTheClockStepsBack(t *testing.T) {
	s, _, clock := newStore(t)
	first := appendOne(t, s, rec(alice, "revoke", tokA))
	clock.Advance(-time.Second)
	second := appendOne(t, s, rec(alice, "revoke", tokA))
	if second.ID <= first.ID || second.At < first.At {
		t.Fatalf("%s (%d) after %s (%d)", second.ID, second.At, first.ID, first.At)
	}
}

func TestTrailConcurrentAppends(t *testing.T) {
	kv := storetest.NewMemKV()
	clock := storetest.NewClock(epoch)
	// Two nodes of a cluster share the KV store, each with its own Store.
	nodes := []*store.Store{store.New(kv, clock.Now), store.New(kv, clock.Now)}
	const writers, appends = 32, 20

	var wg sync.WaitGroup
	ids := make([][]string, writers)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := nodes[w%len(nodes)]
			actor := fmt.Sprintf("writer%020d", w)
			for i := range appends {
				pair := []store.TrailRecord{rec(actor, "revoke", tokA), rec(actor, "revoke", tokA)}
				pair[1].Phase, pair[1].Outcome = store.PhaseOutcome, store.OutcomeOK
				out, err := s.AppendTrail(pair)
				if err != nil {
					errs <- err
					return
				}
				ids[w] = append(ids[w], out[0].ID, out[1].ID)
				if i%5 == 0 {
					clock.Advance(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	all := listAll(t, nodes[0], store.TrailQuery{Limit: 200})
	if len(all) != writers*appends*2 {
		t.Fatalf("%d records, want %d", len(all), writers*appends*2)
	}
	position := make(map[string]int, len(all))
	for i, r := range all {
		position[r.ID] = i
	}
	for w, mine := range ids {
		for i := 1; i < len(mine); i++ {
			// Newest first: a later append sits earlier in the list.
			if position[mine[i]] >= position[mine[i-1]] {
				t.Fatalf("writer %d: append %d listed after append %d", w, i, i-1)
			}
		}
	}
}

func TestTrailPrune(t *testing.T) {
	s, kv, clock := newStore(t)
	start := clock.Now()
	ages := []time.Duration{400 * 24 * time.Hour, 366 * 24 * time.Hour, 365*24*time.Hour + time.Hour, 365*24*time.Hour - time.Hour, 10 * 24 * time.Hour, 0}
	// Append oldest first, as time passes.
	for _, age := range ages {
		clock.Advance(start.Sub(clock.Now()) - age)
		appendOne(t, s, rec(alice, "revoke", tokA))
	}
	clock.Advance(start.Sub(clock.Now()))

	pruned, err := s.PruneTrail(365)
	if err != nil {
		t.Fatal(err)
	}
	if pruned != 3 {
		t.Fatalf("pruned %d, want 3", pruned)
	}
	left := listAll(t, s, store.TrailQuery{Limit: 10})
	if len(left) != 3 {
		t.Fatalf("%d records left", len(left))
	}
	cutoff := start.Add(-365 * 24 * time.Hour).UnixMilli()
	for _, r := range left {
		if r.At < cutoff {
			t.Errorf("record from %s survived", time.UnixMilli(r.At).UTC())
		}
	}
	// The two oldest days are gone entirely, shards and index entries.
	index, err := kv.Get("trail_days")
	if err != nil {
		t.Fatal(err)
	}
	for _, age := range ages[:2] {
		d := start.Add(-age).Format("20060102")
		if strings.Contains(string(index), d) {
			t.Errorf("index still lists %s: %s", d, index)
		}
		for _, key := range kv.Keys() {
			if strings.HasPrefix(key, "trail_"+d) {
				t.Errorf("key %s survived", key)
			}
		}
	}

	if pruned, err := s.PruneTrail(365); err != nil || pruned != 0 {
		t.Fatalf("second prune: %d, %v", pruned, err)
	}
	if _, err := s.PruneTrail(0); err == nil {
		t.Fatal("a retention of 0 days was accepted")
	}
}

func TestTrailPruneNeverDropsConcurrentNewerRecords(t *testing.T) {
	kv := storetest.NewMemKV()
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// Old records from 03:00 of a day; a node appends at 12:00 of that day while another
	// prunes with the cutoff at 06:00, so both rewrite the same shards.
	old := store.New(kv, storetest.NewClock(day.Add(3*time.Hour)).Now)
	for range 50 {
		appendOne(t, old, rec(alice, "revoke", tokA))
	}
	writer := store.New(kv, storetest.NewClock(day.Add(12*time.Hour)).Now)
	pruner := store.New(kv, storetest.NewClock(day.Add(30*time.Hour)).Now)

	const newer = 200
	done := make(chan error)
	go func() {
		for range newer {
			if _, err := writer.AppendTrail([]store.TrailRecord{rec(bob, "enable", tokB)}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	pruned := 0
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		n, err := pruner.PruneTrail(1)
		if err != nil {
			t.Fatal(err)
		}
		pruned += n
	}

	if pruned != 50 {
		t.Errorf("pruned %d old records, want 50", pruned)
	}
	left := listAll(t, writer, store.TrailQuery{Limit: 100})
	if len(left) != newer {
		t.Fatalf("%d records left, want %d", len(left), newer)
	}
	for _, r := range left {
		if r.ActorID != bob {
			t.Fatalf("old record survived: %+v", r)
		}
	}
}

func TestIsTrailID(t *testing.T) {
	tests := map[string]bool{
		"17685000000000000abcdefgh9": true,
		"17685000000000000abcdefgh":  false,
		"1768500000000000xabcdefgh9": false,
		"17685000000000000ABCDEFGH9": false,
		"17685000000000000abc-efgh9": false,
		"":                           false,
	}
	for id, want := range tests {
		if got := store.IsTrailID(id); got != want {
			t.Errorf("IsTrailID(%q) = %v", id, got)
		}
	}
}
