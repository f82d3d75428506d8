// Package watch is Token Audit at work with nobody at the page: a scan every few minutes that keeps
// the first-seen registry and alerts on newly seen risky tokens, the offboarding guard when a user
// holding tokens is deactivated, the digest, and the buttons on the bot's posts. The engine writes
// every word; this package reads, claims, posts and acts.
//
// Every node of a cluster runs it. Jobs run under cluster.Schedule, and each thing that must happen
// once (an alert per token, a digest per period, a guard per deactivation, a click) is claimed in KV
// by compare-and-set before it is done, so two nodes never both do it.
package watch

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// PluginAPI is the part of plugin.API the watch uses.
type PluginAPI interface {
	HasPermissionTo(userID string, permission *model.Permission) bool
	GetUser(userID string) (*model.User, *model.AppError)
	GetBot(botUserID string, includeDeleted bool) (*model.Bot, *model.AppError)
	GetPost(postID string) (*model.Post, *model.AppError)
	GetUsers(options *model.UserGetOptions) ([]*model.User, *model.AppError)
	GetUsersByIds(userIDs []string) ([]*model.User, *model.AppError)
	GetDirectChannel(userID1, userID2 string) (*model.Channel, *model.AppError)
	CreatePost(post *model.Post) (*model.Post, *model.AppError)
	RevokeUserAccessToken(tokenID string) *model.AppError
	GetConfig() *model.Config
	LogError(msg string, keyValuePairs ...any)
	LogInfo(msg string, keyValuePairs ...any)
	LogWarn(msg string, keyValuePairs ...any)
}

// Engine runs the engine's methods (package engine).
type Engine interface {
	Call(ctx context.Context, method string, in, out any) error
}

// TokenSource reads tokens (package source).
type TokenSource interface {
	All(ctx context.Context) ([]source.Token, error)
	OfUser(ctx context.Context, userID string) ([]source.Token, error)
}

// UsageSource reads the activity of every token's sessions (package source).
type UsageSource interface {
	TokenUsage(ctx context.Context) (map[string]source.Usage, error)
}

// Options are what a Watcher works with.
type Options struct {
	API    PluginAPI
	Store  *store.Store
	Engine Engine

	// Nil when the database cannot be read as package source knows it: then nothing is scanned.
	Tokens TokenSource
	Usage  UsageSource

	PluginID string
	// BotID is the Token Audit bot, who posts and who is the actor of automatic actions.
	BotID string
	Now   func() time.Time

	// Minute is how long one of the policy's scan minutes lasts: a minute, shorter only in tests.
	Minute time.Duration

	// Day is how long one of a campaign's days lasts: a day, shorter only in tests.
	Day time.Duration
}

// Watcher does the watching.
type Watcher struct {
	Options
}

// New returns a Watcher working with opts.
func New(opts Options) *Watcher {
	if opts.Minute <= 0 {
		opts.Minute = time.Minute
	}
	opts.Day = dayOr(opts.Day)
	return &Watcher{Options: opts}
}

// A scan reads the whole inventory; the same bound as a /tokens answer of a large server.
const jobTimeout = 2 * time.Minute

// The engine's methods for the bot's posts (webapp/src/engine/watch/watch.ts).
const (
	methodAlerts     = "alerts"
	methodDigest     = "digest"
	methodGuard      = "guard"
	methodResolution = "resolution"
	methodButtons    = "buttons"
	methodClick      = "click"
)

// watchContext is the engine's WatchContext.
type watchContext struct {
	SiteURL  string `json:"siteURL"`
	PluginID string `json:"pluginId"`
	Now      int64  `json:"now"`
	Locale   string `json:"locale,omitempty"`
}

func (w *Watcher) context(locale string) watchContext {
	siteURL := ""
	if cfg := w.API.GetConfig(); cfg != nil {
		siteURL = model.SafeDereference(cfg.ServiceSettings.SiteURL)
	}
	return watchContext{SiteURL: siteURL, PluginID: w.PluginID, Now: w.Now().UnixMilli(), Locale: locale}
}
