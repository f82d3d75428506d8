package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// What the watch (package watch) keeps: when it started watching, one claim per thing that must
// happen once across nodes (an alert per token, a digest per period, a guard per deactivation), the
// state behind each post's buttons, and when the last digest went out.
const (
	watchSinceKey      = "watch_since"
	lastDigestKey      = "watch_digest_last"
	claimPrefix        = "watch_claim_"
	buttonsPrefix      = "watch_buttons_"
	maxClaimNameLength = 100
)

// WatchSince is the moment the watch started: tokens first seen after it are new to it. The first
// caller sets it to since, and is told it wrote it; every later caller gets the stored moment.
func (s *Store) WatchSince(since int64) (int64, bool, error) {
	var stored int64
	wrote, err := s.update(watchSinceKey, func(cur []byte) ([]byte, bool, error) {
		if cur != nil {
			v, err := strconv.ParseInt(string(cur), 10, 64)
			if err != nil {
				return nil, false, fmt.Errorf("decode %s: %w", watchSinceKey, err)
			}
			stored = v
			return nil, false, nil
		}
		stored = since
		return []byte(strconv.FormatInt(since, 10)), true, nil
	})
	return stored, wrote, err
}

// Claim takes name for this caller if no one took it before: true means go ahead, false that
// another node (or an earlier run) already did it.
func (s *Store) Claim(name string) (bool, error) {
	if name == "" || len(name) > maxClaimNameLength {
		return false, fmt.Errorf("claim name %q is empty or too long", name)
	}
	return s.kv.CompareAndSet(claimPrefix+name, nil, []byte(strconv.FormatInt(s.nowMillis(), 10)))
}

// leasePrefix marks a claim taken by Lease and not yet done; a done lease is an ordinary claim.
const leasePrefix = "lease:"

// Lease takes name for this caller, as Claim does, for work that must still happen once when the
// node doing it dies halfway: a lease taken stale or longer ago and never marked done (LeaseDone) is
// taken over. A claim written by Claim reads as done.
func (s *Store) Lease(name string, stale time.Duration) (bool, error) {
	if name == "" || len(name) > maxClaimNameLength {
		return false, fmt.Errorf("claim name %q is empty or too long", name)
	}
	return s.update(claimPrefix+name, func(cur []byte) ([]byte, bool, error) {
		now := s.nowMillis()
		if cur != nil {
			held, leased := strings.CutPrefix(string(cur), leasePrefix)
			if !leased {
				return nil, false, nil
			}
			at, err := strconv.ParseInt(held, 10, 64)
			if err != nil {
				return nil, false, fmt.Errorf("decode the lease %s: %w", name, err)
			}
			if now-at < stale.Milliseconds() {
				return nil, false, nil
			}
		}
		return []byte(leasePrefix + strconv.FormatInt(now, 10)), true, nil
	})
}

// LeaseDone marks the work name was leased for as done: no one takes it over any more.
func (s *Store) LeaseDone(name string) error {
	_, err := s.update(claimPrefix+name, func(cur []byte) ([]byte, bool, error) {
		if !strings.HasPrefix(string(cur), leasePrefix) {
			return nil, false, nil
		}
		return []byte(strconv.FormatInt(s.nowMillis(), 10)), true, nil
	})
	return err
}

// Unclaim gives name back after what it was taken for failed, so a later run tries again.
func (s *Store) Unclaim(name string) error {
	_, err := s.update(claimPrefix+name, func(cur []byte) ([]byte, bool, error) {
		return nil, cur != nil, nil
	})
	return err
}

// LastDigestAt is when the last digest was posted; 0 when none was.
func (s *Store) LastDigestAt() (int64, error) {
	raw, err := s.kv.Get(lastDigestKey)
	if err != nil || raw == nil {
		return 0, err
	}
	return strconv.ParseInt(string(raw), 10, 64)
}

// DigestPosted records that a digest went out at millis; a later one already recorded stays.
func (s *Store) DigestPosted(millis int64) error {
	_, err := s.update(lastDigestKey, func(cur []byte) ([]byte, bool, error) {
		if cur != nil {
			if prev, err := strconv.ParseInt(string(cur), 10, 64); err == nil && prev >= millis {
				return nil, false, nil
			}
		}
		return []byte(strconv.FormatInt(millis, 10)), true, nil
	})
	return err
}

// DigestHistory is what the engine compares a digest with: when the last one went out, and the
// first-seen registry's removed tokens.
type DigestHistory struct {
	Since   int64                `json:"since"`
	Removed map[string]SeenEntry `json:"removed"`
}

// Stages of a post's buttons.
const (
	StageOpen    = "open"
	StageConfirm = "confirm"
	StageDone    = "done"
)

// Kinds of posts with buttons.
const (
	ButtonsAlert = "alert"
	ButtonsGuard = "guard"
)

// ButtonToken is a token a post's buttons act on.
type ButtonToken struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
}

// ButtonPost is one post carrying the buttons, with the message it was created with, so that an
// update can add what happened below it.
type ButtonPost struct {
	Message string `json:"message"`
	Locale  string `json:"locale"`
}

// Buttons is the state behind the buttons of one alert or guard, shared by every post of it (one in
// a channel, or one DM per admin). A click moves it on by compare-and-set, so of two clicks at once
// only one acts.
type Buttons struct {
	Kind    string                `json:"kind"`
	Stage   string                `json:"stage"`
	OwnerID string                `json:"owner_id"`
	Tokens  []ButtonToken         `json:"tokens"`
	Posts   map[string]ButtonPost `json:"posts"`
}

// ErrNoButtons means no buttons are known by that id.
var ErrNoButtons = errors.New("store: no such buttons")

// SaveButtons stores the state of new buttons under id.
func (s *Store) SaveButtons(id string, b Buttons) error {
	raw, err := json.Marshal(b)
	if err != nil {
		return err
	}
	ok, err := s.kv.CompareAndSet(buttonsPrefix+id, nil, raw)
	if err == nil && !ok {
		err = fmt.Errorf("buttons %s exist already", id)
	}
	return err
}

// GetButtons reads the state of the buttons id; ErrNoButtons when there is none.
func (s *Store) GetButtons(id string) (Buttons, error) {
	raw, err := s.kv.Get(buttonsPrefix + id)
	if err != nil {
		return Buttons{}, err
	}
	if raw == nil {
		return Buttons{}, ErrNoButtons
	}
	var b Buttons
	if err := json.Unmarshal(raw, &b); err != nil {
		return Buttons{}, fmt.Errorf("decode buttons %s: %w", id, err)
	}
	return b, nil
}

// MoveButtons changes the stage of the buttons id from one stage to another. It reports false, and
// changes nothing, when they are not at stage from (any more): the click was stale or replayed.
func (s *Store) MoveButtons(id, from, to string) (Buttons, bool, error) {
	var b Buttons
	moved, err := s.update(buttonsPrefix+id, func(cur []byte) ([]byte, bool, error) {
		if cur == nil {
			return nil, false, ErrNoButtons
		}
		b = Buttons{}
		if err := json.Unmarshal(cur, &b); err != nil {
			return nil, false, fmt.Errorf("decode buttons %s: %w", id, err)
		}
		if b.Stage != from {
			return nil, false, nil
		}
		b.Stage = to
		next, err := json.Marshal(b)
		return next, true, err
	})
	return b, moved, err
}

// AddButtonPosts records the posts that carry the buttons id.
func (s *Store) AddButtonPosts(id string, posts map[string]ButtonPost) error {
	_, err := s.update(buttonsPrefix+id, func(cur []byte) ([]byte, bool, error) {
		if cur == nil {
			return nil, false, ErrNoButtons
		}
		var b Buttons
		if err := json.Unmarshal(cur, &b); err != nil {
			return nil, false, fmt.Errorf("decode buttons %s: %w", id, err)
		}
		if b.Posts == nil {
			b.Posts = map[string]ButtonPost{}
		}
		for postID, p := range posts {
			b.Posts[postID] = p
		}
		next, err := json.Marshal(b)
		return next, true, err
	})
	return err
}
