package main

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"

	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/watch"
)

// testMinuteVariable shortens the watch's minute for the end-to-end tests (a Go duration, "2s"), so
// that a scan every minute runs every two seconds. Read once at activation; never set in production.
const testMinuteVariable = "TOKEN_AUDIT_TEST_MINUTE"

// testDayVariable shortens a campaign's day for the end-to-end tests (a Go duration, "3s"), so that
// grace periods and undo windows of days pass in seconds. Read once at activation; never set in
// production.
const testDayVariable = "TOKEN_AUDIT_TEST_DAY"

// botUsername is the Token Audit bot's; its display name is the plugin's name.
const botUsername = "token-audit"

// startWatching makes the bot and schedules the watch on every node; cluster.Schedule runs it on one
// node at a time.
func (p *Plugin) startWatching(manifest *model.Manifest, tokens watch.TokenSource, usage watch.UsageSource, eng watch.Engine) error {
	botID, err := pluginapi.NewClient(p.API, p.Driver).Bot.EnsureBot(&model.Bot{Username: botUsername, DisplayName: manifest.Name})
	if err != nil {
		return fmt.Errorf("ensure the Token Audit bot: %w", err)
	}
	minute := time.Minute
	if raw := os.Getenv(testMinuteVariable); raw != "" {
		if minute, err = time.ParseDuration(raw); err != nil || minute <= 0 {
			return fmt.Errorf("%s=%q is not a positive duration", testMinuteVariable, raw)
		}
		p.API.LogWarn("Token Audit runs with a shortened minute, for tests only", "minute", minute.String())
	}
	day := 24 * time.Hour
	if raw := os.Getenv(testDayVariable); raw != "" {
		if day, err = time.ParseDuration(raw); err != nil || day <= 0 {
			return fmt.Errorf("%s=%q is not a positive duration", testDayVariable, raw)
		}
		p.API.LogWarn("Token Audit runs campaigns with a shortened day, for tests only", "day", day.String())
	}
	p.watcher = watch.New(watch.Options{
		API: p.API, Store: p.store, Engine: eng, Tokens: tokens, Usage: usage,
		PluginID: manifest.Id, BotID: botID, Now: time.Now, Minute: minute, Day: day,
	})
	scanWait := func(now time.Time, meta cluster.JobMetadata) time.Duration {
		minutes := store.DefaultWatch().ScanMinutes
		if policy, err := p.store.GetPolicy(); err == nil {
			minutes = policy.Watch.ScanMinutes
		}
		// Checked again every minute at most, so a changed interval counts within one.
		return min(max(time.Duration(minutes)*minute-now.Sub(meta.LastFinished), 0), minute)
	}
	// One job scans and then posts the digest when its period is due: every run of a job writes to
	// KV (its lock and when it last finished), so one job is half the writes of two.
	if p.watchJob, err = cluster.Schedule(p.API, "watch", scanWait, p.watcher.Run); err != nil {
		return fmt.Errorf("schedule the scan: %w", err)
	}
	if p.campaignJob, err = cluster.Schedule(p.API, "campaigns", cluster.MakeWaitForInterval(minute), p.watcher.Campaigns); err != nil {
		return fmt.Errorf("schedule the campaigns: %w", err)
	}
	return nil
}

func (p *Plugin) UserHasBeenDeactivated(_ *plugin.Context, user *model.User) {
	if p.watcher != nil {
		p.watcher.UserDeactivated(user)
	}
}

// serveButton answers clicks on the bot's buttons, which non-admins can make too: the watch refuses
// them itself, in words, rather than with the API's 403.
func (p *Plugin) serveButton(w http.ResponseWriter, r *http.Request) bool {
	if p.watcher == nil {
		return false
	}
	switch r.URL.Path {
	case watch.ButtonPath:
		p.watcher.ServeButton(w, r)
	case watch.CampaignButtonPath:
		p.watcher.ServeCampaignButton(w, r)
	default:
		return false
	}
	return true
}
