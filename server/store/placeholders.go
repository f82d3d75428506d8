package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// PlaceholderTTL bounds how long a /tokens placeholder can still be replaced: far longer than any
// answer takes, short enough that abandoned records vanish by themselves.
const PlaceholderTTL = 15 * time.Minute

// Placeholder is an ephemeral "working on it" post the plugin sent to one user; only that user may
// replace it, in the channel and thread it was sent to.
type Placeholder struct {
	UserID    string `json:"user_id"`
	ChannelID string `json:"channel_id"`
	RootID    string `json:"root_id,omitempty"`
}

func placeholderKey(postID string) string {
	return "placeholder_" + postID
}

// RecordPlaceholder remembers who owns the ephemeral post postID. Ephemeral posts are not stored
// by Mattermost, so this record is the only proof that a post id is the caller's own.
func (s *Store) RecordPlaceholder(postID string, p Placeholder) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.kv.SetExpiring(placeholderKey(postID), data, PlaceholderTTL)
}

// GetPlaceholder returns the placeholder postID, found=false when it was never recorded or expired.
func (s *Store) GetPlaceholder(postID string) (p Placeholder, found bool, err error) {
	raw, err := s.kv.Get(placeholderKey(postID))
	if err != nil || raw == nil {
		return p, false, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, false, fmt.Errorf("placeholder %s: %w", postID, err)
	}
	return p, true, nil
}
