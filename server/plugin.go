package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"

	"github.com/tokenaudit/token-audit/server/api"
	"github.com/tokenaudit/token-audit/server/command"
	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/watch"
)

const (
	defaultRetentionDays = 365
	minRetentionDays     = 1
	maxRetentionDays     = 3650
)

// Plugin wires Mattermost's hooks to the api, command and store packages.
type Plugin struct {
	plugin.MattermostPlugin

	retentionDays atomic.Int64

	store    *store.Store
	router   *api.API
	commands *command.Handler
	pruneJob *cluster.Job
	database *pluginapi.StoreService

	watcher     *watch.Watcher
	watchJob    *cluster.Job
	campaignJob *cluster.Job
}

// configuration mirrors settings_schema in plugin.json. The System Console may save a number
// setting as a JSON number or a string, so it is decoded loosely and checked here.
type configuration struct {
	TrailRetentionDays any
}

func (p *Plugin) OnConfigurationChange() error {
	var cfg configuration
	if err := p.API.LoadPluginConfiguration(&cfg); err != nil {
		return fmt.Errorf("load configuration: %w", err)
	}
	days, err := retentionDays(cfg.TrailRetentionDays)
	if err != nil {
		p.API.LogWarn("TrailRetentionDays is not usable, using the nearest valid value", "err", err.Error(), "days", days)
	}
	p.retentionDays.Store(int64(days))
	return nil
}

// retentionDays reads the setting, falling back to the default when it is missing or not a number
// and clamping it to the allowed range. The error says why the value was not taken as given.
func retentionDays(v any) (int, error) {
	var f float64
	switch v := v.(type) {
	case nil:
		return defaultRetentionDays, nil
	case float64:
		f = v
	case string:
		if strings.TrimSpace(v) == "" {
			return defaultRetentionDays, nil
		}
		parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return defaultRetentionDays, fmt.Errorf("%q is not a number", v)
		}
		f = parsed
	default:
		return defaultRetentionDays, fmt.Errorf("unexpected type %T", v)
	}
	switch {
	case math.IsNaN(f) || f != math.Trunc(f):
		return defaultRetentionDays, fmt.Errorf("%v is not a whole number of days", f)
	case f < minRetentionDays:
		return minRetentionDays, fmt.Errorf("%v is below %d", f, minRetentionDays)
	case f > maxRetentionDays:
		return maxRetentionDays, fmt.Errorf("%v is above %d", f, maxRetentionDays)
	}
	return int(f), nil
}

func (p *Plugin) OnActivate() error {
	manifest, err := p.manifest()
	if err != nil {
		return err
	}
	tokens, usage := p.openDatabase()
	p.store = store.New(store.NewPluginKV(p.API), time.Now)

	eng, err := engine.New(engine.Options{})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	limits, err := api.LoadLimits(ctx, eng)
	if err != nil {
		return fmt.Errorf("read the policy limits: %w", err)
	}
	definition, err := command.Definition(ctx, eng, manifest.Name)
	if err != nil {
		return fmt.Errorf("describe /tokens: %w", err)
	}
	if err := p.startWatching(manifest, tokens, usage, eng); err != nil {
		return err
	}
	p.router = api.New(api.Options{Store: p.store, Plugin: p.API, Usage: usage, Limits: limits, Campaigns: p.watcher})
	p.commands = command.New(command.Options{
		Engine: eng, Store: p.store, API: p.API, Tokens: tokens, Usage: usage, PluginID: manifest.Id, Now: time.Now,
		Digests: p.watcher,
	})
	if err := p.API.RegisterCommand(definition); err != nil {
		return fmt.Errorf("register /%s: %w", definition.Trigger, err)
	}

	// Every node schedules the job; cluster.Schedule runs it on one node at a time.
	job, err := cluster.Schedule(p.API, "trail_prune", cluster.MakeWaitForInterval(24*time.Hour), p.pruneTrail)
	if err != nil {
		return fmt.Errorf("schedule trail pruning: %w", err)
	}
	p.pruneJob = job
	// A retention setting lowered while the plugin was off takes effect now, not a day later.
	p.pruneTrail()
	return nil
}

// manifest is plugin.json as the server unpacked it with the plugin, so that the id and name are
// written once, there.
func (p *Plugin) manifest() (*model.Manifest, error) {
	dir, err := p.API.GetBundlePath()
	if err != nil {
		return nil, fmt.Errorf("find the plugin's bundle: %w", err)
	}
	manifest, _, err := model.FindManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("read the plugin's manifest: %w", err)
	}
	return manifest, nil
}

// openDatabase checks once that Mattermost's tokens and sessions can be read as package source
// expects. What cannot be read is nil, and the log says why: /tokens on the mobile apps and for API
// callers then says it cannot list tokens, and the webapp reads sessions through the REST API.
// usageReader serves GET /usage a page at a time and /tokens the whole of it (source.Sessions).
type usageReader interface {
	api.UsageSource
	command.UsageSource
}

func (p *Plugin) openDatabase() (command.TokenSource, usageReader) {
	p.database = pluginapi.NewClient(p.API, p.Driver).Store
	db, err := p.database.GetReplicaDB()
	if err != nil {
		p.API.LogWarn("Tokens and their sessions will not be read from the database: no database access", "err", err.Error())
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var tokens command.TokenSource
	if reader, err := source.OpenTokens(ctx, db); err != nil {
		p.API.LogWarn("/tokens outside the web and desktop apps cannot list tokens: unexpected UserAccessTokens table", "err", err.Error())
	} else {
		tokens = reader
	}
	var usage usageReader
	if reader, err := source.OpenSessions(ctx, db); err != nil {
		p.API.LogWarn("Token usage will be read through the REST API: unexpected Sessions table", "err", err.Error())
	} else {
		usage = reader
	}
	return tokens, usage
}

func (p *Plugin) OnDeactivate() error {
	var errs []error
	for _, job := range []*cluster.Job{p.pruneJob, p.watchJob, p.campaignJob} {
		if job != nil {
			errs = append(errs, job.Close())
		}
	}
	if p.database != nil {
		errs = append(errs, p.database.Close())
	}
	return errors.Join(errs...)
}

func (p *Plugin) pruneTrail() {
	days := int(p.retentionDays.Load())
	pruned, err := p.store.PruneTrail(days)
	if err != nil {
		p.API.LogError("Pruning the audit trail failed", "err", err.Error())
	}
	if pruned > 0 {
		p.API.LogInfo("Pruned the audit trail", "records", pruned, "retention_days", days)
	}
}

func (p *Plugin) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if p.serveButton(w, r) {
		return
	}
	p.router.ServeHTTP(w, r)
}

func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	return p.commands.Execute(args)
}
