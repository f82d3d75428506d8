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
