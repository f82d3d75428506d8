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
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/usage"
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
	p.store = store.New(store.NewPluginKV(p.API), time.Now)
	p.router = api.New(p.store, p.API, p.openUsage())
	p.commands = command.New(p.store, p.API)

	if err := p.API.RegisterCommand(command.Definition()); err != nil {
		return fmt.Errorf("register /%s: %w", command.Trigger, err)
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

// openUsage checks once that Mattermost's sessions can be read as package usage expects. When they
// cannot, it says why in the log and returns nil, and the webapp reads sessions per token owner
// through the REST API instead.
func (p *Plugin) openUsage() api.UsageSource {
	p.database = pluginapi.NewClient(p.API, p.Driver).Store
	db, err := p.database.GetReplicaDB()
	if err != nil {
		p.API.LogWarn("Token usage will be read through the REST API: no database access", "err", err.Error())
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reader, err := usage.Open(ctx, db)
	if err != nil {
		p.API.LogWarn("Token usage will be read through the REST API: unexpected sessions table", "err", err.Error())
		return nil
	}
	return reader
}

func (p *Plugin) OnDeactivate() error {
	var errs []error
	if p.pruneJob != nil {
		errs = append(errs, p.pruneJob.Close())
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
	p.router.ServeHTTP(w, r)
}

func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	return p.commands.Execute(args), nil
}
