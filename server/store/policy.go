package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

const policyKey = "policy"

// Findings says which findings the audit reports.
type Findings struct {
	OwnerDeactivated bool `json:"owner_deactivated"`
	OwnerSystemAdmin bool `json:"owner_system_admin"`
	OwnerBot         bool `json:"owner_bot"`
	NeverExpires     bool `json:"never_expires"`
	ExpiringSoon     bool `json:"expiring_soon"`
	Stale            bool `json:"stale"`
	Disabled         bool `json:"disabled"`
}

// Exemption excludes a token, or every token of a user, from findings until ExpiresAt (Unix
// milliseconds; 0 = for good). After that the token is judged again.
type Exemption struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Reason    string `json:"reason"`
	AddedBy   string `json:"added_by"`
	AddedAt   int64  `json:"added_at"`
	ExpiresAt int64  `json:"expires_at,omitempty"`
}

// Digest says when and where the digest is posted. Schedule is off, daily or weekly; Weekday counts
// from Sunday (0) and is read only when weekly; an empty ChannelID means a DM to every system admin.
type Digest struct {
	Schedule  string `json:"schedule"`
	HourUTC   int    `json:"hour_utc"`
	Weekday   int    `json:"weekday"`
	ChannelID string `json:"channel_id"`
}

// Watch holds the preferences of what the server does with nobody at the page. An empty
// AlertChannelID means a DM to every system admin; a finding in AlertFindings alerts only while it
// is on in the policy's Findings. Offboarding is alert, revoke or off.
type Watch struct {
	ScanMinutes    int      `json:"scan_minutes"`
	AlertChannelID string   `json:"alert_channel_id"`
	AlertFindings  []string `json:"alert_findings"`
	Digest         Digest   `json:"digest"`
	Offboarding    string   `json:"offboarding"`
}

// Policy is the server-wide audit policy. Version counts writes; 0 means never written.
type Policy struct {
	Version            int64       `json:"version"`
	StaleAfterDays     int         `json:"stale_after_days"`
	ExpiringWithinDays int         `json:"expiring_within_days"`
	Findings           Findings    `json:"findings"`
	Exemptions         []Exemption `json:"exemptions"`
	Watch              Watch       `json:"watch"`
	UpdatedBy          string      `json:"updated_by"`
	UpdatedAt          int64       `json:"updated_at"`
}

// DefaultPolicy is the policy before any admin changed it.
func DefaultPolicy() Policy {
	return Policy{
		StaleAfterDays:     90,
		ExpiringWithinDays: 14,
		Findings: Findings{
			OwnerDeactivated: true, OwnerSystemAdmin: true, OwnerBot: true,
			NeverExpires: true, ExpiringSoon: true, Stale: true, Disabled: true,
		},
		Exemptions: []Exemption{},
		Watch:      DefaultWatch(),
	}
}

// DefaultWatch works out of the box: scans every 5 minutes, alerts and the offboarding guard by DM
// to every system admin, no digest.
func DefaultWatch() Watch {
	return Watch{
		ScanMinutes:   5,
		AlertFindings: []string{"owner_system_admin", "owner_deactivated", "never_expires"},
		Digest:        Digest{Schedule: "off", HourUTC: 9, Weekday: 1},
		Offboarding:   "alert",
	}
}

// ExemptionInput is an exemption as an admin submits it; who added it and when is the server's call.
type ExemptionInput struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Reason    string `json:"reason"`
	ExpiresAt int64  `json:"expires_at,omitempty"`
}

// PolicyInput is a validated policy write. Version must equal the stored version.
type PolicyInput struct {
	Version            int64
	StaleAfterDays     int
	ExpiringWithinDays int
	Findings           Findings
	Exemptions         []ExemptionInput

	// Nil keeps the stored watch preferences.
	Watch *Watch
}

// ConflictError reports a policy write based on a version that is no longer current.
type ConflictError struct {
	Current Policy
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("policy is at version %d", e.Current.Version)
}

// PastEndError reports an exemption given an end that has already passed. An end stored earlier
// may pass and be sent back unchanged; only a new or changed one must lie ahead.
type PastEndError struct {
	Index     int
	ExpiresAt int64
}

func (e *PastEndError) Error() string {
	return fmt.Sprintf("exemption %d ends at %d, which has passed", e.Index, e.ExpiresAt)
}

// GetPolicy returns the stored policy, or the default one at version 0.
func (s *Store) GetPolicy() (Policy, error) {
	p, _, err := s.readPolicy()
	return p, err
}

func (s *Store) readPolicy() (Policy, []byte, error) {
	raw, err := s.kv.Get(policyKey)
	if err != nil {
		return Policy{}, nil, err
	}
	p := DefaultPolicy()
	if raw == nil {
		return p, nil, nil
	}
	// Decoding over the defaults keeps a finding added in a later release switched on.
	if err := json.Unmarshal(raw, &p); err != nil {
		return Policy{}, nil, fmt.Errorf("decode policy: %w", err)
	}
	return p, raw, nil
}

// PutPolicy replaces the policy if in.Version is the stored version, and returns the policy before
// and after. Otherwise, or if another write lands first, it returns a *ConflictError.
func (s *Store) PutPolicy(actorID string, in PolicyInput) (prev, next Policy, err error) {
	prev, raw, err := s.readPolicy()
	if err != nil {
		return Policy{}, Policy{}, err
	}
	if in.Version != prev.Version {
		return Policy{}, Policy{}, &ConflictError{Current: prev}
	}

	now := s.nowMillis()
	existing := make(map[[2]string]Exemption, len(prev.Exemptions))
	for _, e := range prev.Exemptions {
		existing[[2]string{e.Kind, e.ID}] = e
	}
	exemptions := make([]Exemption, 0, len(in.Exemptions))
	for i, e := range in.Exemptions {
		added := Exemption{Kind: e.Kind, ID: e.ID, Reason: e.Reason, AddedBy: actorID, AddedAt: now, ExpiresAt: e.ExpiresAt}
		old, known := existing[[2]string{e.Kind, e.ID}]
		if known {
			added.AddedBy, added.AddedAt = old.AddedBy, old.AddedAt
		}
		if e.ExpiresAt != 0 && e.ExpiresAt <= now && (!known || old.ExpiresAt != e.ExpiresAt) {
			return Policy{}, Policy{}, &PastEndError{Index: i, ExpiresAt: e.ExpiresAt}
		}
		exemptions = append(exemptions, added)
	}
	watch := prev.Watch
	if in.Watch != nil {
		watch = *in.Watch
	}
	next = Policy{
		Version:            prev.Version + 1,
		StaleAfterDays:     in.StaleAfterDays,
		ExpiringWithinDays: in.ExpiringWithinDays,
		Findings:           in.Findings,
		Exemptions:         exemptions,
		Watch:              watch,
		UpdatedBy:          actorID,
		UpdatedAt:          now,
	}

	data, err := json.Marshal(next)
	if err != nil {
		return Policy{}, Policy{}, err
	}
	ok, err := s.kv.CompareAndSet(policyKey, raw, data)
	if err != nil {
		return Policy{}, Policy{}, err
	}
	if !ok {
		current, _, err := s.readPolicy()
		if err != nil {
			return Policy{}, Policy{}, err
		}
		return Policy{}, Policy{}, &ConflictError{Current: current}
	}
	return prev, next, nil
}

// PolicyChange describes what a policy write changed, for the audit trail.
func PolicyChange(prev, next Policy) string {
	var parts []string
	if prev.StaleAfterDays != next.StaleAfterDays {
		parts = append(parts, fmt.Sprintf("stale_after_days %d → %d", prev.StaleAfterDays, next.StaleAfterDays))
	}
	if prev.ExpiringWithinDays != next.ExpiringWithinDays {
		parts = append(parts, fmt.Sprintf("expiring_within_days %d → %d", prev.ExpiringWithinDays, next.ExpiringWithinDays))
	}
	before, after := prev.Findings.Named(), next.Findings.Named()
	for i, f := range after {
		if f.On != before[i].On {
			parts = append(parts, fmt.Sprintf("findings.%s %s", f.Name, onOff(f.On)))
		}
	}

	key := func(e Exemption) string { return e.Kind + " " + e.ID }
	had := make(map[string]bool, len(prev.Exemptions))
	for _, e := range prev.Exemptions {
		had[key(e)] = true
	}
	has := make(map[string]Exemption, len(next.Exemptions))
	for _, e := range next.Exemptions {
		has[key(e)] = e
		if !had[key(e)] {
			parts = append(parts, fmt.Sprintf("exemption added: %s (%s)%s", key(e), e.Reason, endNote(e.ExpiresAt)))
		}
	}
	for _, e := range prev.Exemptions {
		now, kept := has[key(e)]
		if !kept {
			parts = append(parts, "exemption removed: "+key(e))
			continue
		}
		if now.Reason != e.Reason {
			parts = append(parts, fmt.Sprintf("exemption reason changed: %s (%s)", key(e), now.Reason))
		}
		if now.ExpiresAt != e.ExpiresAt {
			parts = append(parts, fmt.Sprintf("exemption end changed: %s%s", key(e), endNote(now.ExpiresAt)))
		}
	}

	parts = append(parts, watchChanges(prev.Watch, next.Watch)...)

	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, "; ")
}

func watchChanges(prev, next Watch) []string {
	var parts []string
	number := func(name string, from, to int) {
		if from != to {
			parts = append(parts, fmt.Sprintf("watch.%s %d → %d", name, from, to))
		}
	}
	text := func(name, from, to string) {
		if from != to {
			parts = append(parts, fmt.Sprintf("watch.%s %s → %s", name, orNone(from), orNone(to)))
		}
	}
	number("scan_minutes", prev.ScanMinutes, next.ScanMinutes)
	text("alert_channel_id", prev.AlertChannelID, next.AlertChannelID)
	for _, f := range next.AlertFindings {
		if !slices.Contains(prev.AlertFindings, f) {
			parts = append(parts, "watch.alert_findings added "+f)
		}
	}
	for _, f := range prev.AlertFindings {
		if !slices.Contains(next.AlertFindings, f) {
			parts = append(parts, "watch.alert_findings removed "+f)
		}
	}
	text("digest.schedule", prev.Digest.Schedule, next.Digest.Schedule)
	number("digest.hour_utc", prev.Digest.HourUTC, next.Digest.HourUTC)
	number("digest.weekday", prev.Digest.Weekday, next.Digest.Weekday)
	text("digest.channel_id", prev.Digest.ChannelID, next.Digest.ChannelID)
	text("offboarding", prev.Offboarding, next.Offboarding)
	return parts
}

// endNote says when an exemption ends, in UTC, for the trail.
func endNote(expiresAt int64) string {
	if expiresAt == 0 {
		return " with no end"
	}
	return " until " + time.UnixMilli(expiresAt).UTC().Format(time.RFC3339)
}

// orNone shows an empty channel id, which means a DM to every system admin, in the trail.
func orNone(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// NamedFinding is one finding switch under its wire name.
type NamedFinding struct {
	Name string
	On   bool
}

// Named lists the finding switches in a fixed order.
func (f Findings) Named() []NamedFinding {
	return []NamedFinding{
		{"owner_deactivated", f.OwnerDeactivated},
		{"owner_system_admin", f.OwnerSystemAdmin},
		{"owner_bot", f.OwnerBot},
		{"never_expires", f.NeverExpires},
		{"expiring_soon", f.ExpiringSoon},
		{"stale", f.Stale},
		{"disabled", f.Disabled},
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
