package watch

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// A token first seen longer ago than this is no longer news: it is not alerted any more, which also
// keeps the claims a scan checks to the tokens of the last week.
const alertWindow = 7 * 24 * time.Hour

// alert is the engine's Alert.
type alert struct {
	TokenID  string   `json:"token_id"`
	UserID   string   `json:"user_id"`
	Findings []string `json:"findings"`
	Markdown string   `json:"markdown"`
}

type alertsInput struct {
	Context watchContext `json:"context"`
	Data    inventory    `json:"data"`
	Since   int64        `json:"since"`
}

// ScanReport says what one scan did.
type ScanReport struct {
	Tokens  int
	Alerted int
	// Every KV write of the scan; cluster.Schedule's lock and last-run record around it are not.
	KVWrites int
	Took     time.Duration
}

// Run is the watch job, which cluster.Schedule runs on one node at a time: a scan, then the digest
// when its period is due. The digest so goes out within one scan interval after its hour.
func (w *Watcher) Run() {
	ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
	defer cancel()
	// An admin of a large server reads here whether the scan keeps up with its interval; `make
	// bench` reads the same fields.
	if r, err := w.ScanOnce(ctx); err != nil {
		w.API.LogError("Token Audit's scan failed", "err", err.Error())
	} else {
		w.API.LogInfo("Token Audit scanned the tokens", "tokens", r.Tokens, "alerted", r.Alerted, "kv_writes", r.KVWrites, "took_ms", r.Took.Milliseconds())
	}
	if err := w.digestOnce(ctx); err != nil {
		w.API.LogError("Token Audit's digest failed", "err", err.Error())
	}
}

// ScanOnce reads the inventory, updates the first-seen registry from that read and alerts each
// newly seen token that carries a finding the admins chose, once.
func (w *Watcher) ScanOnce(ctx context.Context) (ScanReport, error) {
	started := w.Now()
	report, err := w.scan(ctx, started)
	report.Took = w.Now().Sub(started)
	return report, err
}

func (w *Watcher) scan(ctx context.Context, started time.Time) (ScanReport, error) {
	inv, err := w.readInventory(ctx)
	if err != nil {
		return ScanReport{}, err
	}
	report := ScanReport{Tokens: len(inv.Tokens), KVWrites: inv.kvWrites}

	// The first scan sets the moment after its own sightings: what it found was there before the
	// watch began, and is not news.
	since, wrote, err := w.Store.WatchSince(w.Now().UnixMilli())
	if err != nil {
		return report, err
	}
	if wrote {
		report.KVWrites++
	}
	since = max(since, started.Add(-alertWindow).UnixMilli())

	// Judging every token of a large server takes seconds in goja; only tokens first seen since then
	// can alert, so only they go to the engine, which decides which of them do.
	inv = inv.firstSeenAfter(since)
	if len(inv.Tokens) == 0 {
		return report, nil
	}
	written := map[string]map[string]alert{}
	write := func(locale string) (map[string]alert, error) {
		if byToken, ok := written[locale]; ok {
			return byToken, nil
		}
		var alerts []alert
		if err := w.Engine.Call(ctx, methodAlerts, alertsInput{Context: w.context(locale), Data: inv, Since: since}, &alerts); err != nil {
			return nil, err
		}
		byToken := make(map[string]alert, len(alerts))
		for _, a := range alerts {
			byToken[a.TokenID] = a
		}
		written[locale] = byToken
		return byToken, nil
	}
	candidates, err := write(w.serverLocale())
	if err != nil || len(candidates) == 0 {
		return report, err
	}
	recipients, err := w.recipients(inv.Policy.Watch.AlertChannelID)
	if err != nil {
		return report, err
	}
	for _, candidate := range candidates {
		posted, writes := w.alertOnce(ctx, candidate, recipients, write)
		report.KVWrites += writes
		if posted {
			report.Alerted++
		}
	}
	return report, nil
}

// alertOnce posts the alert of one token unless another node or an earlier scan did.
func (w *Watcher) alertOnce(ctx context.Context, a alert, recipients []recipient, write func(string) (map[string]alert, error)) (bool, int) {
	claim := "alert_" + a.TokenID
	claimed, err := w.Store.Claim(claim)
	if err != nil || !claimed {
		if err != nil {
			w.API.LogError("Token Audit could not claim an alert", "token_id", a.TokenID, "err", err.Error())
		}
		return false, 0
	}
	writes := 1
	buttonsID := model.NewId()
	err = w.Store.SaveButtons(buttonsID, store.Buttons{
		Kind: store.ButtonsAlert, Stage: store.StageOpen, OwnerID: a.UserID,
		Tokens: []store.ButtonToken{{ID: a.TokenID, UserID: a.UserID}},
	})
	var posts map[string]store.ButtonPost
	if err == nil {
		writes++
		posts, err = w.deliver(ctx, delivery{
			recipients: recipients,
			write: func(locale string) (string, error) {
				byToken, err := write(locale)
				return byToken[a.TokenID].Markdown, err
			},
			buttonsID: buttonsID,
			buttons:   []string{buttonRevoke},
		})
	}
	if err == nil {
		writes++
		err = w.Store.AddButtonPosts(buttonsID, posts)
	}
	if err != nil {
		w.API.LogError("Token Audit could not alert on a new token; the next scan tries again", "token_id", a.TokenID, "err", err.Error())
		if posts == nil {
			if unclaimErr := w.Store.Unclaim(claim); unclaimErr != nil {
				w.API.LogError("Token Audit could not release an alert's claim", "token_id", a.TokenID, "err", unclaimErr.Error())
			}
		}
		return false, writes
	}
	return true, writes
}
