package api

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tokenaudit/token-audit/server/store"
)

var (
	columns      = []string{"owner", "description", "token_id", "state", "expires", "first_seen", "last_active", "findings"}
	ownerKinds   = []string{"user", "bot", "admin", "deactivated"}
	viewStates   = []string{"all", "active", "inactive"}
	directions   = []string{"asc", "desc"}
	tokenActions = []string{"revoke", "disable", "enable", "bulk_revoke", "bulk_disable", "bulk_enable"}
	trailActions = append(slices.Clone(tokenActions), store.ActionPolicyUpdate,
		store.ActionCampaignStart, store.ActionCampaignCancel, store.ActionCampaignNotify, store.ActionCampaignStage, store.ActionCampaignKeep)

	// Where a caller can say an action was asked for; the other sources (job, button, hook) are
	// the server's own.
	callerSources = []string{store.SourceConsole, store.SourceCommand}
)

const (
	maxViews       = 50
	maxViewNameLen = 64
	maxQueryLen    = 200
	minPageSize    = 10
	maxPageSize    = 500
	// An answer that grows with the number of tokens is split into pages of at most this many,
	// which keeps each within the 1 MiB body limit (requests: Limits.SeenIDsPerRequest).
	maxUsagePage     = 10000
	maxTrailRecords  = 1000
	maxTrailErrorLen = 1000
	defaultLimit     = 50
	maxLimit         = 200
)

func oneOf(field, value string, allowed []string) error {
	if !slices.Contains(allowed, value) {
		return invalid("%s must be one of %s, not %q.", field, strings.Join(allowed, ", "), value)
	}
	return nil
}

// lengthIn checks a length in characters, as a person counts them.
func lengthIn(field, value string, lo, hi int) error {
	if n := utf8.RuneCountInString(value); n < lo || n > hi {
		return invalid("%s must be %d to %d characters long.", field, lo, hi)
	}
	return nil
}

func notBlank(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return invalid("%s must not be blank.", field)
	}
	return nil
}

// printable refuses control characters, line separators and the invisible marks that reorder
// text (bidirectional overrides, isolates), so that what an admin reads in the console, in
// /tokens and in the log is what was typed.
func printable(field, value string) error {
	for _, r := range value {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || reorders(r) {
			return invalid("%s must not contain control characters or invisible direction marks (found %U).", field, r)
		}
	}
	return nil
}

func reorders(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

func id(field, value string) error {
	if !store.IsID(value) {
		return invalid("%s must be a Mattermost id (26 characters a-z, 0-9).", field)
	}
	return nil
}

func optionalID(field, value string) error {
	if value == "" {
		return nil
	}
	return id(field, value)
}

// setOf checks that every value is allowed and none repeats.
func setOf(field string, values, allowed []string) error {
	for i, v := range values {
		if err := oneOf(fmt.Sprintf("%s[%d]", field, i), v, allowed); err != nil {
			return err
		}
		if slices.Contains(values[:i], v) {
			return invalid("%s lists %q twice.", field, v)
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// findingsInput is the policy's findings as sent; a missing key means the finding is on.
type findingsInput struct {
	OwnerDeactivated *bool `json:"owner_deactivated"`
	OwnerSystemAdmin *bool `json:"owner_system_admin"`
	OwnerBot         *bool `json:"owner_bot"`
	NeverExpires     *bool `json:"never_expires"`
	ExpiringSoon     *bool `json:"expiring_soon"`
	Stale            *bool `json:"stale"`
	Disabled         *bool `json:"disabled"`
}

func (f *findingsInput) resolve() store.Findings {
	if f == nil {
		f = &findingsInput{}
	}
	on := func(b *bool) bool { return b == nil || *b }
	return store.Findings{
		OwnerDeactivated: on(f.OwnerDeactivated),
		OwnerSystemAdmin: on(f.OwnerSystemAdmin),
		OwnerBot:         on(f.OwnerBot),
		NeverExpires:     on(f.NeverExpires),
		ExpiringSoon:     on(f.ExpiringSoon),
		Stale:            on(f.Stale),
		Disabled:         on(f.Disabled),
	}
}

type policyInput struct {
	Version            *int64                 `json:"version"`
	StaleAfterDays     int                    `json:"stale_after_days"`
	ExpiringWithinDays int                    `json:"expiring_within_days"`
	Findings           *findingsInput         `json:"findings"`
	Exemptions         []store.ExemptionInput `json:"exemptions"`
	Watch              *watchInput            `json:"watch"`
}

// watchInput is the watch preferences as sent: every field is required, so that a field left out
// is refused rather than read as zero (0 is a valid hour and weekday).
type watchInput struct {
	ScanMinutes    *int         `json:"scan_minutes"`
	AlertChannelID *string      `json:"alert_channel_id"`
	AlertFindings  []string     `json:"alert_findings"`
	Digest         *digestInput `json:"digest"`
	Offboarding    *string      `json:"offboarding"`
}

type digestInput struct {
	Schedule  *string `json:"schedule"`
	HourUTC   *int    `json:"hour_utc"`
	Weekday   *int    `json:"weekday"`
	ChannelID *string `json:"channel_id"`
}

func required[T any](field string, v *T) error {
	if v == nil {
		return invalid("watch.%s is required.", field)
	}
	return nil
}

func wholeIn(field string, v int, r Range) error {
	if !r.holds(v) {
		return invalid("%s must be a whole number from %d to %d.", field, r.Min, r.Max)
	}
	return nil
}

func (w *watchInput) validate(limits WatchLimits, findings []string) (*store.Watch, error) {
	if w == nil {
		return nil, nil
	}
	if w.AlertFindings == nil {
		return nil, invalid("watch.alert_findings is required; send [] for none.")
	}
	if err := firstErr(required("scan_minutes", w.ScanMinutes), required("alert_channel_id", w.AlertChannelID),
		required("digest", w.Digest), required("offboarding", w.Offboarding)); err != nil {
		return nil, err
	}
	d := w.Digest
	if err := firstErr(required("digest.schedule", d.Schedule), required("digest.hour_utc", d.HourUTC),
		required("digest.weekday", d.Weekday), required("digest.channel_id", d.ChannelID)); err != nil {
		return nil, err
	}
	err := firstErr(
		wholeIn("watch.scan_minutes", *w.ScanMinutes, limits.ScanMinutes),
		optionalID("watch.alert_channel_id", *w.AlertChannelID),
		setOf("watch.alert_findings", w.AlertFindings, findings),
		oneOf("watch.digest.schedule", *d.Schedule, limits.DigestSchedules),
		wholeIn("watch.digest.hour_utc", *d.HourUTC, limits.HourUTC),
		wholeIn("watch.digest.weekday", *d.Weekday, limits.Weekday),
		optionalID("watch.digest.channel_id", *d.ChannelID),
		oneOf("watch.offboarding", *w.Offboarding, limits.OffboardingRules),
	)
	if err != nil {
		return nil, err
	}
	return &store.Watch{
		ScanMinutes:    *w.ScanMinutes,
		AlertChannelID: *w.AlertChannelID,
		AlertFindings:  w.AlertFindings,
		Digest:         store.Digest{Schedule: *d.Schedule, HourUTC: *d.HourUTC, Weekday: *d.Weekday, ChannelID: *d.ChannelID},
		Offboarding:    *w.Offboarding,
	}, nil
}

// validate checks the input as it stands; now bounds how far ahead an exemption may end (whether a
// new end has already passed is the store's to say, since an end it holds may pass and come back).
func (in policyInput) validate(now time.Time, limits Limits) (store.PolicyInput, error) {
	switch {
	case in.Version == nil:
		return store.PolicyInput{}, invalid("version is required: send the version of the policy you edited.")
	case *in.Version < 0:
		return store.PolicyInput{}, invalid("version must not be negative.")
	case in.Exemptions == nil:
		return store.PolicyInput{}, invalid("exemptions is required; send [] for none.")
	case len(in.Exemptions) > limits.MaxExemptions:
		return store.PolicyInput{}, invalid("There can be at most %d exemptions.", limits.MaxExemptions)
	}
	if err := firstErr(
		wholeIn("stale_after_days", in.StaleAfterDays, limits.StaleAfterDays),
		wholeIn("expiring_within_days", in.ExpiringWithinDays, limits.ExpiringWithinDays),
	); err != nil {
		return store.PolicyInput{}, err
	}
	seen := make(map[store.ExemptionInput]bool, len(in.Exemptions))
	for i, e := range in.Exemptions {
		field := fmt.Sprintf("exemptions[%d]", i)
		err := firstErr(
			oneOf(field+".kind", e.Kind, []string{"token", "user"}),
			id(field+".id", e.ID),
			lengthIn(field+".reason", e.Reason, 1, limits.MaxExemptionReason),
			notBlank(field+".reason", e.Reason),
			printable(field+".reason", e.Reason),
		)
		if err != nil {
			return store.PolicyInput{}, err
		}
		if latest := now.Add(time.Duration(limits.MaxExemptionDays) * 24 * time.Hour).UnixMilli(); e.ExpiresAt < 0 || e.ExpiresAt > latest {
			return store.PolicyInput{}, invalid("%s.expires_at must be 0 (no end) or a time in Unix milliseconds at most %d days ahead (%d).", field, limits.MaxExemptionDays, latest)
		}
		key := store.ExemptionInput{Kind: e.Kind, ID: e.ID}
		if seen[key] {
			return store.PolicyInput{}, invalid("%s exempts %s %s a second time.", field, e.Kind, e.ID)
		}
		seen[key] = true
	}
	watch, err := in.Watch.validate(limits.Watch, limits.PolicyFindings)
	if err != nil {
		return store.PolicyInput{}, err
	}
	return store.PolicyInput{
		Version:            *in.Version,
		StaleAfterDays:     in.StaleAfterDays,
		ExpiringWithinDays: in.ExpiringWithinDays,
		Findings:           in.Findings.resolve(),
		Exemptions:         in.Exemptions,
		Watch:              watch,
	}, nil
}

// validateViews checks views and replaces missing lists with empty ones, so that stored views
// always have every field.
func validateViews(views []store.View) error {
	switch {
	case views == nil:
		return invalid("views is required; send [] for none.")
	case len(views) > maxViews:
		return invalid("There can be at most %d views.", maxViews)
	}
	for i := range views {
		v := &views[i]
		field := fmt.Sprintf("views[%d]", i)
		v.Filters.Findings = nonNil(v.Filters.Findings)
		v.Filters.OwnerKinds = nonNil(v.Filters.OwnerKinds)
		v.Columns = nonNil(v.Columns)
		err := firstErr(
			lengthIn(field+".name", v.Name, 1, maxViewNameLen),
			notBlank(field+".name", v.Name),
			printable(field+".name", v.Name),
			lengthIn(field+".query", v.Query, 0, maxQueryLen),
			printable(field+".query", v.Query),
			oneOf(field+".filters.state", v.Filters.State, viewStates),
			setOf(field+".filters.findings", v.Filters.Findings, store.FindingNames),
			setOf(field+".filters.owner_kinds", v.Filters.OwnerKinds, ownerKinds),
			oneOf(field+".sort.column", v.Sort.Column, columns),
			oneOf(field+".sort.direction", v.Sort.Direction, directions),
			setOf(field+".columns", v.Columns, columns),
		)
		if err != nil {
			return err
		}
		if v.PageSize < minPageSize || v.PageSize > maxPageSize {
			return invalid("%s.page_size must be from %d to %d.", field, minPageSize, maxPageSize)
		}
		if slices.ContainsFunc(views[:i], func(o store.View) bool { return o.Name == v.Name }) {
			return invalid("Two views are named %q.", v.Name)
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func validateIDs(ids []string, limits Limits) error {
	switch {
	case ids == nil:
		return invalid("token_ids is required.")
	case len(ids) > limits.SeenIDsPerRequest:
		return invalid("At most %d token_ids per request.", limits.SeenIDsPerRequest)
	}
	for i, v := range ids {
		if err := id(fmt.Sprintf("token_ids[%d]", i), v); err != nil {
			return err
		}
	}
	return nil
}

// seenScope is the stretch of ids a complete report covers, nil for a report that is not complete.
// Every reported id must lie in it, or the report would remove ids another part holds.
func seenScope(complete bool, scope store.SeenRange, ids []string) (*store.SeenRange, error) {
	if !complete {
		if scope != (store.SeenRange{}) {
			return nil, invalid("after and through bound a complete scan; they need complete to be true.")
		}
		return nil, nil
	}
	if err := firstErr(optionalID("after", scope.After), optionalID("through", scope.Through)); err != nil {
		return nil, err
	}
	if scope.After != "" && scope.Through != "" && scope.After >= scope.Through {
		return nil, invalid("after must come before through.")
	}
	for i, v := range ids {
		if !scope.Holds(v) {
			return nil, invalid("token_ids[%d] lies outside after and through.", i)
		}
	}
	return &scope, nil
}

func validateTrailInput(field string, in store.TrailInput) error {
	err := firstErr(
		id(field+".action_id", in.ActionID),
		oneOf(field+".phase", in.Phase, []string{store.PhaseIntent, store.PhaseOutcome}),
		oneOf(field+".action", in.Action, tokenActions),
		optionalID(field+".token_id", in.TokenID),
		optionalID(field+".owner_id", in.OwnerID),
		lengthIn(field+".error", in.Error, 0, maxTrailErrorLen),
		oneOf(field+".source", in.Source, callerSources),
	)
	if err != nil {
		return err
	}
	bulk := strings.HasPrefix(in.Action, "bulk_")
	switch {
	case bulk && in.TokenID != "":
		return invalid("%s.token_id must be empty for %s, which summarises many tokens.", field, in.Action)
	case !bulk && in.TokenID == "":
		return invalid("%s.token_id is required for %s.", field, in.Action)
	case in.Count < 0:
		return invalid("%s.count must not be negative.", field)
	case in.Phase == store.PhaseIntent && in.Outcome != "":
		return invalid("%s.outcome must be empty on an intent.", field)
	case in.Phase == store.PhaseOutcome && in.Outcome != store.OutcomeOK && in.Outcome != store.OutcomeError:
		return invalid("%s.outcome must be ok or error on an outcome.", field)
	case in.Error != "" && in.Outcome != store.OutcomeError:
		return invalid("%s.error is only for an outcome of error.", field)
	}
	return nil
}
