package watch

import (
	"context"
	"fmt"
	"time"

	"github.com/tokenaudit/token-audit/server/store"
)

// Digest schedules as the policy names them.
const (
	scheduleDaily  = "daily"
	scheduleWeekly = "weekly"
)

type digestInput struct {
	Context watchContext        `json:"context"`
	Data    inventory           `json:"data"`
	History store.DigestHistory `json:"history"`
}

// duePeriod is the latest scheduled moment at or before now, or false when the digest is off.
// A digest missed while no node ran (or just switched on after its hour) goes out at once.
func duePeriod(now time.Time, d store.Digest) (time.Time, bool) {
	now = now.UTC()
	moment := time.Date(now.Year(), now.Month(), now.Day(), d.HourUTC, 0, 0, 0, time.UTC)
	switch d.Schedule {
	case scheduleDaily:
		if moment.After(now) {
			moment = moment.AddDate(0, 0, -1)
		}
	case scheduleWeekly:
		moment = moment.AddDate(0, 0, -((int(now.Weekday()) - d.Weekday + 7) % 7))
		if moment.After(now) {
			moment = moment.AddDate(0, 0, -7)
		}
	default:
		return time.Time{}, false
	}
	return moment, true
}

// digestOnce posts the digest of the period that is due, once across nodes.
func (w *Watcher) digestOnce(ctx context.Context) error {
	policy, err := w.Store.GetPolicy()
	if err != nil {
		return err
	}
	moment, due := duePeriod(w.Now(), policy.Watch.Digest)
	if !due {
		return nil
	}
	claim := fmt.Sprintf("digest_%s_%s", policy.Watch.Digest.Schedule, moment.Format("2006010215"))
	claimed, err := w.Store.Claim(claim)
	if err != nil || !claimed {
		return err
	}
	if err := w.postScheduledDigest(ctx, policy.Watch.Digest.ChannelID); err != nil {
		if unclaimErr := w.Store.Unclaim(claim); unclaimErr != nil {
			w.API.LogError("Token Audit could not release a digest's claim", "err", unclaimErr.Error())
		}
		return err
	}
	return nil
}

func (w *Watcher) postScheduledDigest(ctx context.Context, channelID string) error {
	inv, err := w.readInventory(ctx)
	if err != nil {
		return err
	}
	since, err := w.Store.LastDigestAt()
	if err != nil {
		return err
	}
	recipients, err := w.recipients(channelID)
	if err != nil {
		return err
	}
	history := store.DigestHistory{Since: since, Removed: inv.removed}
	_, err = w.deliver(ctx, delivery{recipients: recipients, write: func(locale string) (string, error) {
		var out struct {
			Markdown string `json:"markdown"`
		}
		err := w.Engine.Call(ctx, methodDigest, digestInput{Context: w.context(locale), Data: inv, History: history}, &out)
		return out.Markdown, err
	}})
	if err != nil {
		return err
	}
	return w.Store.DigestPosted(w.Now().UnixMilli())
}

// LastDigestAt is when the last digest went out, for /tokens digest.
func (w *Watcher) LastDigestAt() (int64, error) {
	return w.Store.LastDigestAt()
}

// PostDigest posts a digest /tokens digest wrote where the digest goes, and records that it went.
func (w *Watcher) PostDigest(markdown string) error {
	policy, err := w.Store.GetPolicy()
	if err != nil {
		return err
	}
	recipients, err := w.recipients(policy.Watch.Digest.ChannelID)
	if err != nil {
		return err
	}
	_, err = w.deliver(context.Background(), delivery{recipients: recipients, write: func(string) (string, error) { return markdown, nil }})
	if err != nil {
		return err
	}
	return w.Store.DigestPosted(w.Now().UnixMilli())
}
