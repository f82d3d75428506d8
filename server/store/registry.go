package store

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"time"
)

// The first-seen registry is split over a fixed number of keys so that a scan of any number of
// tokens costs at most seenShards writes.
const (
	seenShards = 16
	// A rescan within this long after the recorded last sighting writes nothing.
	seenGranularity = time.Hour
)

// SeenEntry is what the registry knows about one token id. RemovedAt is 0 while the token exists.
type SeenEntry struct {
	FirstSeen int64 `json:"first_seen"`
	LastSeen  int64 `json:"last_seen"`
	RemovedAt int64 `json:"removed_at"`
}

// SeenResult answers RecordSeen. Removed is filled only for a complete scan.
type SeenResult struct {
	Tokens   map[string]SeenEntry `json:"tokens"`
	Removed  map[string]SeenEntry `json:"removed"`
	KVWrites int                  `json:"kv_writes"`
}

// seenRecord is [first_seen, last_seen, removed_at]; an array rather than an object keeps a
// shard of a large server's registry small.
type seenRecord [3]int64

func (r seenRecord) entry() SeenEntry {
	return SeenEntry{FirstSeen: r[0], LastSeen: r[1], RemovedAt: r[2]}
}

type seenShard map[string]seenRecord

func seenKey(shard int) string {
	return fmt.Sprintf("seen_%02d", shard)
}

func seenShardOf(id string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % seenShards)
}

func groupSeen(ids []string) [seenShards]map[string]bool {
	var groups [seenShards]map[string]bool
	for i := range groups {
		groups[i] = map[string]bool{}
	}
	for _, id := range ids {
		groups[seenShardOf(id)][id] = true
	}
	return groups
}

func decodeSeenShard(raw []byte) (seenShard, error) {
	shard := seenShard{}
	if raw == nil {
		return shard, nil
	}
	if err := json.Unmarshal(raw, &shard); err != nil {
		return nil, fmt.Errorf("decode first-seen shard: %w", err)
	}
	return shard, nil
}

// SeenRange is a stretch of token ids in byte order: the ids after After (from the first when
// After is empty) up to and including Through (to the last when Through is empty). A large scan is
// reported in ranges, so that no request grows with the number of tokens.
type SeenRange struct {
	After   string
	Through string
}

// Holds reports whether id lies in the range.
func (r SeenRange) Holds(id string) bool {
	return (r.After == "" || id > r.After) && (r.Through == "" || id <= r.Through)
}

// RecordSeen notes that ids exist now. With complete, ids is every token on the server, so every
// other known id is marked removed.
func (s *Store) RecordSeen(ids []string, complete bool) (SeenResult, error) {
	if complete {
		return s.RecordSeenIn(ids, &SeenRange{})
	}
	return s.RecordSeenIn(ids, nil)
}

// RecordSeenIn notes that ids exist now. With a range, ids is every token in that range, so every
// other known id in it is marked removed; only a scan that read every token may say so. Each call
// writes at most seenShards keys, and none when nothing changed.
func (s *Store) RecordSeenIn(ids []string, complete *SeenRange) (SeenResult, error) {
	now := s.nowMillis()
	res := SeenResult{Tokens: map[string]SeenEntry{}, Removed: map[string]SeenEntry{}}
	for i, reported := range groupSeen(ids) {
		if len(reported) == 0 && complete == nil {
			continue
		}
		var shard seenShard
		wrote, err := s.update(seenKey(i), func(cur []byte) ([]byte, bool, error) {
			var err error
			if shard, err = decodeSeenShard(cur); err != nil {
				return nil, false, err
			}
			if !shard.sight(reported, complete, now) {
				return nil, false, nil
			}
			next, err := json.Marshal(shard)
			return next, true, err
		})
		if err != nil {
			return SeenResult{}, err
		}
		if wrote {
			res.KVWrites++
		}
		for id := range reported {
			res.Tokens[id] = shard[id].entry()
		}
		if complete != nil {
			for id, r := range shard {
				if r[2] != 0 && complete.Holds(id) {
					res.Removed[id] = r.entry()
				}
			}
		}
	}
	return res, nil
}

// sight applies one scan to the shard and reports whether anything changed.
func (sh seenShard) sight(reported map[string]bool, complete *SeenRange, now int64) bool {
	changed := false
	for id := range reported {
		r, known := sh[id]
		switch {
		case !known:
			sh[id] = seenRecord{now, now, 0}
		case r[2] != 0 || now-r[1] >= seenGranularity.Milliseconds():
			sh[id] = seenRecord{r[0], now, 0}
		default:
			continue
		}
		changed = true
	}
	if complete != nil {
		for id, r := range sh {
			if r[2] == 0 && !reported[id] && complete.Holds(id) {
				sh[id] = seenRecord{r[0], r[1], now}
				changed = true
			}
		}
	}
	return changed
}

// LookupSeen returns the registry entries of the known ids among ids.
func (s *Store) LookupSeen(ids []string) (map[string]SeenEntry, error) {
	found := map[string]SeenEntry{}
	for i, wanted := range groupSeen(ids) {
		if len(wanted) == 0 {
			continue
		}
		raw, err := s.kv.Get(seenKey(i))
		if err != nil {
			return nil, err
		}
		shard, err := decodeSeenShard(raw)
		if err != nil {
			return nil, err
		}
		for id := range wanted {
			if r, ok := shard[id]; ok {
				found[id] = r.entry()
			}
		}
	}
	return found, nil
}
