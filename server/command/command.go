// Package command registers /tokens and answers it for clients without the Token Audit webapp
// plugin (the mobile apps, API callers); the webapp intercepts /tokens and answers it itself. Both
// run the same engine: it parses the command and says what it needs, this package reads that from
// the database and the plugin API, and the engine writes the answer. No word of it is Go's.
package command

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// PluginAPI is the part of plugin.API the command uses.
type PluginAPI interface {
	HasPermissionTo(userID string, permission *model.Permission) bool
	RevokeUserAccessToken(tokenID string) *model.AppError
	GetConfig() *model.Config
	GetUser(userID string) (*model.User, *model.AppError)
	GetUserByUsername(name string) (*model.User, *model.AppError)
	GetUsersByIds(userIDs []string) ([]*model.User, *model.AppError)
	LogError(msg string, keyValuePairs ...any)
}

// TokenSource reads tokens (package source).
type TokenSource interface {
	All(ctx context.Context) ([]source.Token, error)
	OfUser(ctx context.Context, userID string) ([]source.Token, error)
	ByIDs(ctx context.Context, ids []string) ([]source.Token, error)
}

// UsageSource reads the activity of every token's sessions (package source).
type UsageSource interface {
	TokenUsage(ctx context.Context) (map[string]source.Usage, error)
}

// Digests posts the digest as the bot where it goes (package watch).
type Digests interface {
	LastDigestAt() (int64, error)
	PostDigest(markdown string) error
}

// Options are what a Handler works with.
type Options struct {
	Engine Engine
	Store  *store.Store
	API    PluginAPI

	// Nil when the database cannot be read as package source knows it: then commands that need
	// tokens say so, and the usage of tokens is unknown.
	Tokens TokenSource
	Usage  UsageSource

	// Nil until the bot exists: /tokens digest then says it could not post.
	Digests Digests

	// PluginID is the manifest's id, for the link to the plugin's System Console page.
	PluginID string
	Now      func() time.Time
}

// Handler answers /tokens.
type Handler struct {
	Options
}

// New returns a Handler working with opts.
func New(opts Options) *Handler {
	return &Handler{Options: opts}
}

// Long enough for a full read of a large server (about a second for 10,000 tokens), short enough
// that a stuck read does not keep a runtime busy forever.
const commandTimeout = 60 * time.Second

// An explanation is written from what is at hand, so it needs little time of its own, and gets it
// even when the command ran out of time.
const explainTimeout = 10 * time.Second

// Execute answers one /tokens command; every answer is ephemeral. An error means the engine could
// not write an answer at all.
func (h *Handler) Execute(args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	reader := answerContext{
		SiteURL:  args.SiteURL,
		PluginID: h.PluginID,
		Now:      h.Now().UnixMilli(),
		Locale:   h.locale(args.UserId),
		Actions:  serverActions,
	}
	markdown, err := h.respond(ctx, args, reader)
	var failure *failed
	if errors.As(err, &failure) {
		markdown, err = h.explain(failure, reader)
	}
	if err != nil {
		h.API.LogError("/tokens could not be answered", "command", args.Command, "err", err.Error())
		// Mattermost's own message, in the caller's language: the engine that writes ours failed.
		return nil, model.NewAppError("ExecuteCommand", "api.command.execute_command.failed.app_error",
			map[string]any{"Trigger": trigger(args.Command)}, err.Error(), http.StatusInternalServerError)
	}
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: markdown}, nil
}

// trigger is the command as typed up to its first space, as Mattermost names it in its own messages.
func trigger(line string) string {
	if words := strings.Fields(line); len(words) > 0 {
		return words[0]
	}
	return ""
}

// failed is a reason the engine puts into words for the reader.
type failed struct {
	code   failureCode
	detail string
}

func (f *failed) Error() string {
	return fmt.Sprintf("%s: %s", f.code, f.detail)
}

func (h *Handler) respond(ctx context.Context, args *model.CommandArgs, reader answerContext) (string, error) {
	if !h.API.HasPermissionTo(args.UserId, model.PermissionManageSystem) {
		return "", &failed{code: failureRefused}
	}
	need, err := plan(ctx, h.Engine, args.Command)
	if err != nil {
		return "", err
	}
	data, err := h.gather(ctx, need, args.UserId)
	if err != nil {
		return "", err
	}
	in := answerInput{Line: args.Command, Context: reader, Data: data}
	next, err := answer(ctx, h.Engine, in)
	if err != nil {
		return "", err
	}
	if next.Kind == stepAct {
		result, err := h.act(args.UserId, next)
		if err != nil {
			return "", err
		}
		in.Outcome = &result
		if next, err = answer(ctx, h.Engine, in); err != nil {
			return "", err
		}
	}
	if next.Kind == stepPost {
		in.Outcome = &outcome{Results: []actionResult{}, Posted: h.postDigest(next.Markdown)}
		if next, err = answer(ctx, h.Engine, in); err != nil {
			return "", err
		}
	}
	if next.Kind != stepReply {
		return "", fmt.Errorf("the engine answered a step of kind %q", next.Kind)
	}
	return next.Markdown, nil
}

func (h *Handler) explain(f *failed, reader answerContext) (string, error) {
	if f.code != failureRefused {
		h.API.LogError("/tokens could not be answered in full", "reason", string(f.code), "err", f.detail)
	}
	ctx, cancel := context.WithTimeout(context.Background(), explainTimeout)
	defer cancel()
	return explain(ctx, h.Engine, explainInput{Code: f.code, Detail: f.detail, Context: reader})
}

// locale is the caller's language: their own setting, else the server's default for clients.
// The engine answers in English for any it does not know.
func (h *Handler) locale(userID string) string {
	if user, appErr := h.API.GetUser(userID); appErr == nil && user.Locale != "" {
		return user.Locale
	}
	if cfg := h.API.GetConfig(); cfg != nil {
		if locale := model.SafeDereference(cfg.LocalizationSettings.DefaultClientLocale); locale != "" {
			return locale
		}
	}
	return "en"
}

func (h *Handler) postDigest(markdown string) *posted {
	if h.Digests == nil {
		return &posted{Error: errNoBot.Error()}
	}
	if err := h.Digests.PostDigest(markdown); err != nil {
		h.API.LogError("/tokens digest could not post the digest", "err", err.Error())
		return &posted{Error: err.Error()}
	}
	return &posted{OK: true}
}

var errNoBot = errors.New("the Token Audit bot is not available")
