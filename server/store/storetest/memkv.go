// Package storetest provides an in-memory store.KV for tests.
package storetest

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// maxKeyRunes is Mattermost's limit on plugin KV keys (model.KeyValueKeyMaxRunes).
const maxKeyRunes = 150

// MemKV follows the compare-and-set semantics of Mattermost's plugin KV store
// (SqlPluginStore.CompareAndSet / CompareAndDelete).
type MemKV struct {
	mu     sync.Mutex
	data   map[string][]byte
	ttls   map[string]time.Duration
	writes int
	// BeforeSet, when set, runs before every compare-and-set, outside the lock, so a test can
	// slip in a competing write.
	BeforeSet func(key string)
	// AfterSet, when set, runs after every successful compare-and-set, outside the lock, with the
	// value written: a test can stop the caller right after a write (a node killed) by panicking.
	AfterSet func(key string, value []byte)
}

// NewMemKV returns an empty store.
func NewMemKV() *MemKV {
	return &MemKV{data: map[string][]byte{}, ttls: map[string]time.Duration{}}
}

// Get returns a copy of the value, or nil when the key is absent.
func (m *MemKV) Get(key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return bytes.Clone(m.data[key]), nil
}

// CompareAndSet writes value if the current value equals old (nil old: key absent); nil value deletes.
func (m *MemKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	if m.BeforeSet != nil {
		m.BeforeSet(key)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, exists := m.data[key]
	// Over plugin RPC an empty slice arrives as nil.
	if len(old) == 0 {
		if exists || len(value) == 0 {
			return false, nil
		}
	} else if !exists || !bytes.Equal(cur, old) {
		return false, nil
	}
	if len(value) == 0 {
		delete(m.data, key)
	} else {
		m.data[key] = bytes.Clone(value)
	}
	m.writes++
	if m.AfterSet != nil {
		after := m.AfterSet
		m.mu.Unlock()
		defer m.mu.Lock()
		after(key, bytes.Clone(value))
	}
	return true, nil
}

// Set writes value unconditionally, deleting the key for an empty value, like a non-atomic
// KVSetWithOptions.
func (m *MemKV) Set(key string, value []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(value) == 0 {
		delete(m.data, key)
		return
	}
	m.data[key] = bytes.Clone(value)
}

// SetExpiring writes value unconditionally and remembers its time to live (it never expires here).
func (m *MemKV) SetExpiring(key string, value []byte, ttl time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[key] = bytes.Clone(value)
	m.ttls[key] = ttl
	m.writes++
	return nil
}

// TTL is the time to live the key was last stored with by SetExpiring, 0 for none.
func (m *MemKV) TTL(key string) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ttls[key]
}

// Writes counts successful compare-and-sets.
func (m *MemKV) Writes() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.writes
}

// Keys returns the stored keys in order.
func (m *MemKV) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.data))
}

func checkKey(key string) error {
	if key == "" || utf8.RuneCountInString(key) > maxKeyRunes {
		return fmt.Errorf("invalid key %q", key)
	}
	return nil
}

// Clock is a settable clock for store.New.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock {
	return &Clock{now: t}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
