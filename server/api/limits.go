package api

import (
	"context"
	"fmt"
)

// Range is an inclusive range of whole numbers.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

func (r Range) holds(v int) bool { return v >= r.Min && v <= r.Max }

// Limits are the bounds of the policy and of the requests that carry tokens or answers, as the
// engine owns them (webapp/src/engine/policy/limits.ts), read from engine.js at activation, so that
// the API refuses exactly what the console refuses and takes exactly what the webapp sends.
type Limits struct {
	// Token ids per /seen or /seen/lookup request.
	SeenIDsPerRequest int `json:"seen_ids_per_request"`

	// Characters of an ephemeral answer.
	MaxMessageLength int `json:"max_message_length"`

	StaleAfterDays     Range       `json:"stale_after_days"`
	ExpiringWithinDays Range       `json:"expiring_within_days"`
	MaxExemptions      int         `json:"max_exemptions"`
	MaxExemptionReason int         `json:"max_exemption_reason"`
	MaxExemptionDays   int         `json:"max_exemption_days"`
	PolicyFindings     []string    `json:"policy_findings"`
	Watch              WatchLimits `json:"watch"`
}

// WatchLimits bound the watch preferences.
type WatchLimits struct {
	ScanMinutes      Range    `json:"scan_minutes"`
	HourUTC          Range    `json:"hour_utc"`
	Weekday          Range    `json:"weekday"`
	DigestSchedules  []string `json:"digest_schedules"`
	OffboardingRules []string `json:"offboarding_rules"`
}

// EngineCaller runs a method of engine.js (package engine).
type EngineCaller interface {
	Call(ctx context.Context, method string, in, out any) error
}

// LoadLimits asks the engine for its limits. A field the engine no longer sends (renamed on one side
// only) would read as zero and refuse every policy, so an incomplete answer is an error.
func LoadLimits(ctx context.Context, eng EngineCaller) (Limits, error) {
	var l Limits
	if err := eng.Call(ctx, "limits", struct{}{}, &l); err != nil {
		return Limits{}, err
	}
	for name, r := range map[string]Range{
		"stale_after_days": l.StaleAfterDays, "expiring_within_days": l.ExpiringWithinDays,
		"watch.scan_minutes": l.Watch.ScanMinutes, "watch.hour_utc": l.Watch.HourUTC, "watch.weekday": l.Watch.Weekday,
	} {
		if r.Max <= r.Min {
			return Limits{}, fmt.Errorf("engine.js limits: %s is %d..%d", name, r.Min, r.Max)
		}
	}
	switch {
	case l.MaxExemptions <= 0 || l.MaxExemptionReason <= 0 || l.MaxExemptionDays <= 0:
		return Limits{}, fmt.Errorf("engine.js limits: exemption limits missing in %+v", l)
	case l.SeenIDsPerRequest <= 0 || l.MaxMessageLength <= 0:
		return Limits{}, fmt.Errorf("engine.js limits: request limits missing in %+v", l)
	case len(l.PolicyFindings) == 0 || len(l.Watch.DigestSchedules) == 0 || len(l.Watch.OffboardingRules) == 0:
		return Limits{}, fmt.Errorf("engine.js limits: a list of allowed values is missing in %+v", l)
	}
	return l, nil
}
