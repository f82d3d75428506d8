// Package store keeps Token Audit's state in the plugin KV store: the audit policy, each admin's
// saved views, the first-seen registry and the audit trail.
//
// A Mattermost cluster runs this plugin on every node and the KV store is the only shared state,
// so every read-modify-write here is a compare-and-set on the value that was read.
package store

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// KV is the part of the plugin KV store this package relies on. A nil value means "absent":
// stored values are never empty because the plugin RPC layer does not tell nil from empty.
type KV interface {
	// Get returns nil when the key does not exist.
	Get(key string) ([]byte, error)
	// CompareAndSet stores value only if the current value equals old, where a nil old means the
	// key must not exist. A nil value deletes the key under the same condition.
	CompareAndSet(key string, old, value []byte) (bool, error)
	// SetExpiring stores value unconditionally; the key disappears by itself after ttl.
	SetExpiring(key string, value []byte, ttl time.Duration) error
}

// PluginAPI is the subset of plugin.API that backs KV in production.
type PluginAPI interface {
	KVGet(key string) ([]byte, *model.AppError)
	KVSetWithOptions(key string, value []byte, options model.PluginKVSetOptions) (bool, *model.AppError)
}

// NewPluginKV adapts the plugin API to KV.
func NewPluginKV(api PluginAPI) KV {
	return pluginKV{api: api}
}

type pluginKV struct {
	api PluginAPI
}

func (p pluginKV) Get(key string) ([]byte, error) {
	value, appErr := p.api.KVGet(key)
	if appErr != nil {
		return nil, appErr
	}
	return value, nil
}

func (p pluginKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	ok, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{Atomic: true, OldValue: old})
	if appErr != nil {
		return false, appErr
	}
	return ok, nil
}

func (p pluginKV) SetExpiring(key string, value []byte, ttl time.Duration) error {
	_, appErr := p.api.KVSetWithOptions(key, value, model.PluginKVSetOptions{ExpireInSeconds: int64(ttl / time.Second)})
	if appErr != nil {
		return appErr
	}
	return nil
}

// ErrBusy means a compare-and-set kept losing to other writers; the caller may retry later.
var ErrBusy = errors.New("store: too many concurrent writers, try again")

const maxAttempts = 200

// Store is safe for concurrent use.
type Store struct {
	kv  KV
	now func() time.Time
	ids idSource
}

// New returns a Store on kv; now is the clock for every timestamp it records.
func New(kv KV, now func() time.Time) *Store {
	return &Store{kv: kv, now: now}
}

// Now is the store's clock, for callers that check a time against the ones it records.
func (s *Store) Now() time.Time {
	return s.now()
}

func (s *Store) nowMillis() int64 {
	return s.now().UnixMilli()
}

// update derives the next value of key from its current one with fn and writes it by
// compare-and-set, re-reading and retrying with jittered backoff when another writer got there
// first. fn reports write=false to leave the key alone; a nil next deletes the key. update
// reports whether it wrote.
func (s *Store) update(key string, fn func(cur []byte) (next []byte, write bool, err error)) (bool, error) {
	for attempt := range maxAttempts {
		cur, err := s.kv.Get(key)
		if err != nil {
			return false, err
		}
		next, write, err := fn(cur)
		if err != nil || !write {
			return false, err
		}
		ok, err := s.kv.CompareAndSet(key, cur, next)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
		// Jitter keeps writers that collided from colliding again in lockstep.
		backoff := min(time.Millisecond<<min(attempt, 5), 25*time.Millisecond)
		time.Sleep(time.Duration(rand.Int64N(int64(backoff))) + time.Millisecond/10)
	}
	return false, ErrBusy
}

// IsID reports whether s has the shape of a Mattermost id: 26 characters of [a-z0-9].
func IsID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
