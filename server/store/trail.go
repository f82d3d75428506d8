package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"
)

// The trail is stored per UTC day, each day split over trailShards keys ("trail_<yyyymmdd>_<n>")
// that hold one JSON record per line. An append goes to a random shard of its day, so concurrent
// appenders rarely contend for one key, and retention drops whole days. The index key lists each
// day with a bit mask of the shards it has, so reads and pruning never list keys.
const (
	trailIndexKey = "trail_days"
	trailShards   = 32
	dayLayout     = "20060102"
	oneDay        = 24 * time.Hour
)

// Values of trail record fields that the server itself writes.
const (
	PhaseIntent        = "intent"
	PhaseOutcome       = "outcome"
	OutcomeOK          = "ok"
	OutcomeError       = "error"
	SourceConsole      = "console"
	SourceCommand      = "command"
	SourceJob          = "job"
	SourceButton       = "button"
	SourceHook         = "hook"
	ActionRevoke       = "revoke"
	ActionPolicyUpdate = "policy_update"

	// A clean-up campaign's records; Detail names the campaign and, for a stage, the move.
	ActionCampaignStart  = "campaign_start"
	ActionCampaignCancel = "campaign_cancel"
	ActionCampaignNotify = "campaign_notify"
	ActionCampaignStage  = "campaign_stage"
	ActionCampaignKeep   = "campaign_keep"
)

// TrailInput is a trail record as a client submits it.
type TrailInput struct {
	ActionID string `json:"action_id"`
	Phase    string `json:"phase"`
	Action   string `json:"action"`
	TokenID  string `json:"token_id"`
	OwnerID  string `json:"owner_id"`
	Outcome  string `json:"outcome"`
	Error    string `json:"error"`
	Count    int    `json:"count"`
	Source   string `json:"source"`
}

// TrailRecord is a stored trail record. The store assigns ID and At.
type TrailRecord struct {
	ID string `json:"id"`
	TrailInput
	Detail  string `json:"detail"`
	ActorID string `json:"actor_id"`
	At      int64  `json:"at"`
}

// TrailQuery selects trail records, newest first. Empty fields do not filter.
type TrailQuery struct {
	Limit   int
	Before  string // only records with a smaller id
	ActorID string
	TokenID string
	OwnerID string
	Action  string
}

func (q TrailQuery) matches(r TrailRecord) bool {
	return (q.Before == "" || r.ID < q.Before) &&
		(q.ActorID == "" || r.ActorID == q.ActorID) &&
		(q.TokenID == "" || r.TokenID == q.TokenID) &&
		(q.OwnerID == "" || r.OwnerID == q.OwnerID) &&
		(q.Action == "" || r.Action == q.Action)
}

// A trail id is 13 digits of Unix milliseconds, 4 digits of sequence within that millisecond and
// 9 random characters: ids sort by time, keep the order of one node's appends, and do not collide
// between nodes. That is 26 characters of [a-z0-9], like a Mattermost id.
const (
	idMillisDigits = 13
	idSeqDigits    = 4
	idRandomChars  = 9
	idAlphabet     = "0123456789abcdefghijklmnopqrstuvwxyz"
)

type idSource struct {
	mu     sync.Mutex
	millis int64
	seq    int
}

// next returns a new id and the millisecond it carries, which becomes the record's time.
func (g *idSource) next(now int64) (string, int64) {
	g.mu.Lock()
	switch {
	case now > g.millis:
		g.millis, g.seq = now, 0
	case g.seq < 9999:
		g.seq++
	default:
		g.millis, g.seq = g.millis+1, 0
	}
	millis, seq := g.millis, g.seq
	g.mu.Unlock()

	suffix := make([]byte, idRandomChars)
	for i := range suffix {
		suffix[i] = idAlphabet[rand.IntN(len(idAlphabet))]
	}
	return fmt.Sprintf("%0*d%0*d%s", idMillisDigits, millis, idSeqDigits, seq, suffix), millis
}

// IsTrailID reports whether s has the shape of a trail record id.
func IsTrailID(s string) bool {
	if len(s) != idMillisDigits+idSeqDigits+idRandomChars {
		return false
	}
	for i := range len(s) {
		c := s[i]
		digit := c >= '0' && c <= '9'
		if !digit && (i < idMillisDigits+idSeqDigits || c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

func dayOf(millis int64) string {
	return time.UnixMilli(millis).UTC().Format(dayLayout)
}

func trailKey(d string, shard int) string {
	return fmt.Sprintf("trail_%s_%d", d, shard)
}

// trailIndex maps a day to the bit mask of its shards that may hold records.
type trailIndex map[string]uint32

func decodeTrailIndex(raw []byte) (trailIndex, error) {
	index := trailIndex{}
	if raw == nil {
		return index, nil
	}
	if err := json.Unmarshal(raw, &index); err != nil {
		return nil, fmt.Errorf("decode trail index: %w", err)
	}
	return index, nil
}

// AppendTrail stores records, giving each an id and a time, and returns them as stored.
func (s *Store) AppendTrail(records []TrailRecord) ([]TrailRecord, error) {
	now := s.nowMillis()
	out := make([]TrailRecord, len(records))
	for i, r := range records {
		r.ID, r.At = s.ids.next(now)
		out[i] = r
	}
	for start := 0; start < len(out); {
		d := dayOf(out[start].At)
		end := start + 1
		for end < len(out) && dayOf(out[end].At) == d {
			end++
		}
		if err := s.appendDay(d, out[start:end]); err != nil {
			return nil, err
		}
		start = end
	}
	return out, nil
}

func (s *Store) appendDay(d string, records []TrailRecord) error {
	var lines []byte
	for _, r := range records {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		lines = append(append(lines, line...), '\n')
	}
	shard := rand.IntN(trailShards)

	// The index must name the shard before the shard holds records, or a reader could miss them.
	_, err := s.update(trailIndexKey, func(cur []byte) ([]byte, bool, error) {
		index, err := decodeTrailIndex(cur)
		if err != nil || index[d]&(1<<shard) != 0 {
			return nil, false, err
		}
		index[d] |= 1 << shard
		next, err := json.Marshal(index)
		return next, true, err
	})
	if err != nil {
		return err
	}
	_, err = s.update(trailKey(d, shard), func(cur []byte) ([]byte, bool, error) {
		return append(slices.Clip(cur), lines...), true, nil
	})
	return err
}

// ListTrail returns up to q.Limit records matching q, newest first, and the id to pass as
// q.Before for the next page, or "" when there are no more.
func (s *Store) ListTrail(q TrailQuery) ([]TrailRecord, string, error) {
	raw, err := s.kv.Get(trailIndexKey)
	if err != nil {
		return nil, "", err
	}
	index, err := decodeTrailIndex(raw)
	if err != nil {
		return nil, "", err
	}
	days := make([]string, 0, len(index))
	for d := range index {
		days = append(days, d)
	}
	slices.Sort(days)

	lastDay := ""
	if q.Before != "" {
		millis, _ := strconv.ParseInt(q.Before[:idMillisDigits], 10, 64)
		lastDay = dayOf(millis)
	}
	var out []TrailRecord
	for i := len(days) - 1; i >= 0 && len(out) <= q.Limit; i-- {
		if lastDay != "" && days[i] > lastDay {
			continue
		}
		records, err := s.readDay(days[i], index[days[i]])
		if err != nil {
			return nil, "", err
		}
		records = slices.DeleteFunc(records, func(r TrailRecord) bool { return !q.matches(r) })
		slices.SortFunc(records, func(a, b TrailRecord) int { return cmp.Compare(b.ID, a.ID) })
		out = append(out, records...)
	}
	if len(out) <= q.Limit {
		return out, "", nil
	}
	out = out[:q.Limit]
	return out, out[q.Limit-1].ID, nil
}

func (s *Store) readDay(d string, mask uint32) ([]TrailRecord, error) {
	var records []TrailRecord
	for shard := range trailShards {
		if mask&(1<<shard) == 0 {
			continue
		}
		raw, err := s.kv.Get(trailKey(d, shard))
		if err != nil {
			return nil, err
		}
		for line := range bytes.Lines(raw) {
			var r TrailRecord
			if err := json.Unmarshal(line, &r); err != nil {
				return nil, fmt.Errorf("decode trail record in %s: %w", trailKey(d, shard), err)
			}
			records = append(records, r)
		}
	}
	return records, nil
}

// PruneTrail deletes the records older than retentionDays and returns how many it deleted.
// Each shard is rewritten by compare-and-set from what it holds at that moment, so a record
// appended meanwhile is never lost.
func (s *Store) PruneTrail(retentionDays int) (int, error) {
	if retentionDays < 1 {
		return 0, fmt.Errorf("retention of %d days would delete the whole trail", retentionDays)
	}
	cutoff := s.nowMillis() - int64(retentionDays)*oneDay.Milliseconds()
	raw, err := s.kv.Get(trailIndexKey)
	if err != nil {
		return 0, err
	}
	index, err := decodeTrailIndex(raw)
	if err != nil {
		return 0, err
	}

	pruned := 0
	for d, mask := range index {
		start, err := time.ParseInLocation(dayLayout, d, time.UTC)
		if err != nil {
			return pruned, fmt.Errorf("trail index holds a bad day %q: %w", d, err)
		}
		if start.UnixMilli() >= cutoff {
			continue
		}
		for shard := range trailShards {
			if mask&(1<<shard) == 0 {
				continue
			}
			n, err := s.pruneShard(trailKey(d, shard), cutoff)
			pruned += n
			if err != nil {
				return pruned, err
			}
		}
		if start.Add(oneDay).UnixMilli() > cutoff {
			continue
		}
		_, err = s.update(trailIndexKey, func(cur []byte) ([]byte, bool, error) {
			index, err := decodeTrailIndex(cur)
			// A changed mask means a shard was added after this pass; leave the day to the next one.
			if err != nil || index[d] != mask {
				return nil, false, err
			}
			delete(index, d)
			next, err := json.Marshal(index)
			return next, true, err
		})
		if err != nil {
			return pruned, err
		}
	}
	return pruned, nil
}

func (s *Store) pruneShard(key string, cutoff int64) (int, error) {
	dropped := 0
	wrote, err := s.update(key, func(cur []byte) ([]byte, bool, error) {
		var keep []byte
		dropped = 0
		for line := range bytes.Lines(cur) {
			var r struct {
				At int64 `json:"at"`
			}
			if err := json.Unmarshal(line, &r); err != nil {
				return nil, false, fmt.Errorf("decode trail record in %s: %w", key, err)
			}
			if r.At < cutoff {
				dropped++
				continue
			}
			keep = append(keep, line...)
		}
		return keep, dropped > 0, nil
	})
	if !wrote {
		dropped = 0
	}
	return dropped, err
}
