package store_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

var epoch = time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC)

const (
	alice = "aliceaaaaaaaaaaaaaaaaaaaaa"
	bob   = "bobbbbbbbbbbbbbbbbbbbbbbbb"
	tokA  = "tokenaaaaaaaaaaaaaaaaaaaaa"
	tokB  = "tokenbbbbbbbbbbbbbbbbbbbbb"
)

func newStore(t *testing.T) (*store.Store, *storetest.MemKV, *storetest.Clock) {
	t.Helper()
	kv := storetest.NewMemKV()
	clock := storetest.NewClock(epoch)
	return store.New(kv, clock.Now), kv, clock
}

func input(version int64, exemptions ...store.ExemptionInput) store.PolicyInput {
	d := store.DefaultPolicy()
	return store.PolicyInput{
		Version:            version,
		StaleAfterDays:     d.StaleAfterDays,
		ExpiringWithinDays: d.ExpiringWithinDays,
		Findings:           d.Findings,
		Exemptions:         exemptions,
	}
}

func TestPolicyDefaultThenVersionedWrites(t *testing.T) {
	s, _, clock := newStore(t)

	p, err := s.GetPolicy()
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 0 || p.StaleAfterDays != 90 || p.ExpiringWithinDays != 14 || !p.Findings.Stale || p.Exemptions == nil {
		t.Fatalf("default policy = %+v", p)
	}

	exempt := store.ExemptionInput{Kind: "token", ID: tokA, Reason: "CI"}
	_, v1, err := s.PutPolicy(alice, input(0, exempt))
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.UpdatedBy != alice || v1.Exemptions[0].AddedBy != alice || v1.Exemptions[0].AddedAt != epoch.UnixMilli() {
		t.Fatalf("v1 = %+v", v1)
	}

	// The exemption bob keeps stays credited to alice; the new one is his.
	clock.Advance(time.Hour)
	prev, v2, err := s.PutPolicy(bob, input(1, exempt, store.ExemptionInput{Kind: "user", ID: bob, Reason: "service"}))
	if err != nil {
		t.Fatal(err)
	}
	if prev.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions %d -> %d", prev.Version, v2.Version)
	}
	if e := v2.Exemptions[0]; e.AddedBy != alice || e.AddedAt != epoch.UnixMilli() {
		t.Errorf("kept exemption = %+v", e)
	}
	if e := v2.Exemptions[1]; e.AddedBy != bob || e.AddedAt != epoch.Add(time.Hour).UnixMilli() {
		t.Errorf("new exemption = %+v", e)
	}

	got, err := s.GetPolicy()
	if err != nil || got.Version != 2 || len(got.Exemptions) != 2 {
		t.Fatalf("stored = %+v, %v", got, err)
	}
}

func TestPolicyConflicts(t *testing.T) {
	tests := []struct {
		name    string
		version int64
		race    bool
		want    int64
	}{
		{name: "stale version", version: 0, want: 1},
		{name: "version from the future", version: 7, want: 1},
		{name: "lost compare-and-set", version: 1, race: true, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, kv, _ := newStore(t)
			if _, _, err := s.PutPolicy(alice, input(0)); err != nil {
				t.Fatal(err)
			}
			if tt.race {
				// Another node writes version 2 between our read and our compare-and-set.
				kv.BeforeSet = func(string) {
					kv.BeforeSet = nil
					if _, _, err := s.PutPolicy(bob, input(1)); err != nil {
						t.Error(err)
					}
				}
			}
			_, _, err := s.PutPolicy(alice, input(tt.version))
			var conflict *store.ConflictError
			if !errors.As(err, &conflict) {
				t.Fatalf("err = %v, want a conflict", err)
			}
			if conflict.Current.Version != tt.want {
				t.Errorf("current version = %d, want %d", conflict.Current.Version, tt.want)
			}
		})
	}
}

func TestPolicyChange(t *testing.T) {
	prev := store.DefaultPolicy()
	prev.Exemptions = []store.Exemption{{Kind: "token", ID: tokA, Reason: "CI"}, {Kind: "user", ID: bob, Reason: "svc"}}
	next := store.DefaultPolicy()
	next.StaleAfterDays = 30
	next.Findings.OwnerBot = false
	next.Exemptions = []store.Exemption{{Kind: "token", ID: tokA, Reason: "CI runner"}, {Kind: "token", ID: tokB, Reason: "new"}}

	got := store.PolicyChange(prev, next)
	for _, want := range []string{
		"stale_after_days 90 → 30",
		"findings.owner_bot off",
		"exemption added: token " + tokB + " (new)",
		"exemption removed: user " + bob,
		"exemption reason changed: token " + tokA + " (CI runner)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if got := store.PolicyChange(prev, prev); got != "no changes" {
		t.Errorf("unchanged policy described as %q", got)
	}
}

func TestPolicyWatch(t *testing.T) {
	s, kv, _ := newStore(t)

	// A policy stored before the watch preferences existed reads with their defaults.
	kv.Set("policy", []byte(`{"version":3,"stale_after_days":30,"expiring_within_days":7,"findings":{},"exemptions":[]}`))
	p, err := s.GetPolicy()
	if err != nil {
		t.Fatal(err)
	}
	want := store.DefaultWatch()
	if p.Version != 3 || p.StaleAfterDays != 30 || !reflect.DeepEqual(p.Watch, want) {
		t.Fatalf("old policy read as %+v", p)
	}
	if want.ScanMinutes != 5 || want.AlertChannelID != "" || want.Digest != (store.Digest{Schedule: "off", HourUTC: 9, Weekday: 1}) || want.Offboarding != "alert" ||
		!reflect.DeepEqual(want.AlertFindings, []string{"owner_system_admin", "owner_deactivated", "never_expires"}) {
		t.Fatalf("default watch = %+v", want)
	}

	chosen := store.Watch{
		ScanMinutes:    15,
		AlertChannelID: tokA,
		AlertFindings:  []string{"stale"},
		Digest:         store.Digest{Schedule: "weekly", HourUTC: 7, Weekday: 5, ChannelID: tokB},
		Offboarding:    "revoke",
	}
	in := input(3)
	in.Watch = &chosen
	if _, _, err := s.PutPolicy(alice, in); err != nil {
		t.Fatal(err)
	}

	// A write without watch preferences keeps the stored ones.
	prev, next, err := s.PutPolicy(bob, input(4))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(prev.Watch, chosen) || !reflect.DeepEqual(next.Watch, chosen) {
		t.Fatalf("watch after a write without it: %+v → %+v", prev.Watch, next.Watch)
	}
	stored, err := s.GetPolicy()
	if err != nil || stored.Version != 5 || !reflect.DeepEqual(stored.Watch, chosen) {
		t.Fatalf("stored = %+v, %v", stored, err)
	}
}

func TestPolicyChangeWatch(t *testing.T) {
	prev := store.DefaultPolicy()
	next := store.DefaultPolicy()
	next.Watch = store.Watch{
		ScanMinutes:    60,
		AlertChannelID: tokA,
		AlertFindings:  []string{"owner_system_admin", "never_expires", "stale"},
		Digest:         store.Digest{Schedule: "daily", HourUTC: 7, Weekday: 1, ChannelID: tokB},
		Offboarding:    "off",
	}
	got := store.PolicyChange(prev, next)
	for _, want := range []string{
		"watch.scan_minutes 5 → 60",
		`watch.alert_channel_id "" → ` + tokA,
		"watch.alert_findings added stale",
		"watch.alert_findings removed owner_deactivated",
		"watch.digest.schedule off → daily",
		"watch.digest.hour_utc 9 → 7",
		`watch.digest.channel_id "" → ` + tokB,
		"watch.offboarding alert → off",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "weekday") {
		t.Errorf("%q names the unchanged weekday", got)
	}
}

func TestPolicyExemptionEnds(t *testing.T) {
	s, kv, clock := newStore(t)
	day := int64(24 * time.Hour / time.Millisecond)
	ends := epoch.UnixMilli() + day
	exempt := store.ExemptionInput{Kind: "token", ID: tokA, Reason: "migration", ExpiresAt: ends}

	// An end that has already passed is refused for a new exemption, and nothing is written.
	past := exempt
	past.ExpiresAt = epoch.UnixMilli()
	_, _, err := s.PutPolicy(alice, input(0, store.ExemptionInput{Kind: "user", ID: bob, Reason: "svc"}, past))
	var pastErr *store.PastEndError
	if !errors.As(err, &pastErr) || pastErr.Index != 1 || kv.Writes() != 0 {
		t.Fatalf("err = %v, writes = %d", err, kv.Writes())
	}

	_, v1, err := s.PutPolicy(alice, input(0, exempt))
	if err != nil || v1.Exemptions[0].ExpiresAt != ends {
		t.Fatalf("v1 = %+v, %v", v1, err)
	}

	// Once it has passed, the same end comes back unchanged with the rest of the policy...
	clock.Advance(2 * 24 * time.Hour)
	if _, _, err := s.PutPolicy(bob, input(1, exempt)); err != nil {
		t.Fatalf("re-sending a passed end: %v", err)
	}
	// ...but it cannot be moved to another time that has passed.
	moved := exempt
	moved.ExpiresAt = ends + 1
	if _, _, err := s.PutPolicy(bob, input(2, moved)); !errors.As(err, &pastErr) {
		t.Fatalf("moving an end into the past: %v", err)
	}
	moved.ExpiresAt = clock.Now().UnixMilli() + day
	prev, next, err := s.PutPolicy(bob, input(2, moved))
	if err != nil || next.Exemptions[0].ExpiresAt != moved.ExpiresAt || next.Exemptions[0].AddedBy != alice {
		t.Fatalf("moving an end ahead: %+v, %v", next, err)
	}
	if got := store.PolicyChange(prev, next); got != "exemption end changed: token "+tokA+" until 2026-01-17T12:00:00Z" {
		t.Errorf("change = %q", got)
	}
}
