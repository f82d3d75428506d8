package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tokenaudit/token-audit/server/store"
)

func tokenIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("tok%023d", i)
	}
	return ids
}

func TestRecordSeenBoundedWrites(t *testing.T) {
	for _, n := range []int{1000, 10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s, kv, clock := newStore(t)
			ids := tokenIDs(n)

			scan := func(wantWrites int) store.SeenResult {
				t.Helper()
				before := kv.Writes()
				res, err := s.RecordSeen(ids, true)
				if err != nil {
					t.Fatal(err)
				}
				if res.KVWrites != wantWrites || kv.Writes()-before != wantWrites {
					t.Fatalf("kv_writes = %d, store saw %d, want %d", res.KVWrites, kv.Writes()-before, wantWrites)
				}
				if len(res.Tokens) != n || len(res.Removed) != 0 {
					t.Fatalf("%d tokens, %d removed", len(res.Tokens), len(res.Removed))
				}
				return res
			}

			first := scan(16)
			if e := first.Tokens[ids[0]]; e.FirstSeen != epoch.UnixMilli() || e.LastSeen != epoch.UnixMilli() || e.RemovedAt != 0 {
				t.Fatalf("new entry = %+v", e)
			}

			clock.Advance(59 * time.Minute)
			if again := scan(0); again.Tokens[ids[0]] != first.Tokens[ids[0]] {
				t.Fatalf("rescan within the hour changed %+v", again.Tokens[ids[0]])
			}

			clock.Advance(time.Minute)
			later := scan(16)
			if e := later.Tokens[ids[0]]; e.FirstSeen != epoch.UnixMilli() || e.LastSeen != clock.Now().UnixMilli() {
				t.Fatalf("entry an hour later = %+v", e)
			}
		})
	}
}

func TestRecordSeenRemovalAndReturn(t *testing.T) {
	s, kv, clock := newStore(t)
	ids := tokenIDs(40)
	if _, err := s.RecordSeen(ids, true); err != nil {
		t.Fatal(err)
	}

	// A partial scan never marks anything removed.
	clock.Advance(time.Minute)
	res, err := s.RecordSeen(ids[:10], false)
	if err != nil || len(res.Removed) != 0 || res.KVWrites != 0 {
		t.Fatalf("partial scan: %d removed, %d writes, %v", len(res.Removed), res.KVWrites, err)
	}

	res, err = s.RecordSeen(ids[:30], true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 10 || res.Removed[ids[35]].RemovedAt != clock.Now().UnixMilli() {
		t.Fatalf("removed = %v", res.Removed)
	}
	if res.KVWrites > 16 {
		t.Fatalf("%d writes", res.KVWrites)
	}

	clock.Advance(time.Minute)
	writes := kv.Writes()
	res, err = s.RecordSeen(ids[35:36], false)
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Tokens[ids[35]]; e.RemovedAt != 0 || e.LastSeen != clock.Now().UnixMilli() || e.FirstSeen != epoch.UnixMilli() {
		t.Fatalf("returned token = %+v", e)
	}
	if kv.Writes()-writes != 1 {
		t.Fatalf("one returning token cost %d writes", kv.Writes()-writes)
	}

	found, err := s.LookupSeen([]string{ids[0], ids[35], ids[39], "unknownaaaaaaaaaaaaaaaaaaa"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 3 || found[ids[35]].RemovedAt != 0 || found[ids[39]].RemovedAt == 0 {
		t.Fatalf("lookup = %v", found)
	}
}

func TestRecordSeenConcurrentScansKeepEveryID(t *testing.T) {
	s, _, _ := newStore(t)
	ids := tokenIDs(2000)
	const workers = 8
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			// Each worker reports its own slice; none may overwrite another's ids.
			_, err := s.RecordSeen(ids[w*250:(w+1)*250], false)
			errs <- err
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	found, err := s.LookupSeen(ids)
	if err != nil || len(found) != len(ids) {
		t.Fatalf("%d of %d ids known, %v", len(found), len(ids), err)
	}
}

// A scan reported in ranges removes only the missing ids inside each range, so a large server's
// scan can arrive in parts without one part marking the others' ids removed.
func TestRecordSeenInRangesRemovesOnlyWithinEachRange(t *testing.T) {
	s, _, _ := newStore(t)
	ids := tokenIDs(100)
	if _, err := s.RecordSeen(ids, true); err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{ids[10]: true, ids[70]: true}
	var still []string
	for _, id := range ids {
		if !gone[id] {
			still = append(still, id)
		}
	}
	// Two parts split at ids[49]: the first holds ids[0..49] but for ids[10].
	parts := []struct {
		ids   []string
		scope store.SeenRange
	}{
		{still[:49], store.SeenRange{Through: ids[49]}},
		{still[49:], store.SeenRange{After: ids[49]}},
	}
	first, err := s.RecordSeenIn(parts[0].ids, &parts[0].scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Removed) != 1 || first.Removed[ids[10]].RemovedAt == 0 {
		t.Fatalf("first part removed %v, want only %s", first.Removed, ids[10])
	}
	if e, _ := s.LookupSeen([]string{ids[70]}); e[ids[70]].RemovedAt != 0 {
		t.Fatalf("%s, outside the first part, was removed by it", ids[70])
	}
	second, err := s.RecordSeenIn(parts[1].ids, &parts[1].scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Removed) != 1 || second.Removed[ids[70]].RemovedAt == 0 {
		t.Fatalf("second part removed %v, want only %s", second.Removed, ids[70])
	}
	for _, scope := range []store.SeenRange{{Through: ids[49]}, {After: ids[49]}, {}} {
		if scope.Holds(ids[49]) != (scope.After == "") {
			t.Fatalf("%+v holds %s: %v", scope, ids[49], scope.Holds(ids[49]))
		}
	}
}
