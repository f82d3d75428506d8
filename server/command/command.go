// Package command registers /tokens and answers it for clients without the Token Audit webapp
// plugin (the mobile apps, API callers). The webapp intercepts /tokens and answers it itself.
package command

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

// Trigger is the slash command's name.
const Trigger = "tokens"

const consolePath = "/admin_console/plugins/plugin_token-audit"

// PluginAPI is the part of plugin.API the command uses.
type PluginAPI interface {
	HasPermissionTo(userID string, permission *model.Permission) bool
	RevokeUserAccessToken(tokenID string) *model.AppError
	GetConfig() *model.Config
	LogError(msg string, keyValuePairs ...any)
}

// The webapp's footer note (webapp/src/command/messages.ts), so both paths say it alike.
const tokensDisabledNote = "> Personal access tokens are switched off on this server: existing tokens cannot be used until they are switched on again."

// Handler answers /tokens.
type Handler struct {
	store  *store.Store
	plugin PluginAPI
}

// New returns a Handler on s.
func New(s *store.Store, p PluginAPI) *Handler {
	return &Handler{store: s, plugin: p}
}

// Definition is /tokens with its autocomplete tree.
func Definition() *model.Command {
	root := model.NewAutocompleteData(Trigger, "[subcommand]", "Audit Personal Access Tokens")
	// Only admins may use it, so only admins are offered it.
	root.RoleID = model.SystemAdminRoleId

	findings := make([]model.AutocompleteListItem, len(store.FindingNames))
	for i, f := range store.FindingNames {
		findings[i] = model.AutocompleteListItem{Item: f}
	}
	for _, s := range subcommands {
		hint := strings.TrimSpace(strings.TrimPrefix(s.usage, "/tokens "+s.name))
		data := model.NewAutocompleteData(s.name, hint, s.description)
		switch s.name {
		case "list":
			data.AddStaticListArgument("Token state", false, []model.AutocompleteListItem{
				{Item: "--active", HelpText: "Only active tokens"},
				{Item: "--inactive", HelpText: "Only disabled tokens"},
			})
			data.AddNamedStaticListArgument("finding", "Only tokens with this finding", false, findings)
			data.AddNamedTextArgument("page", "Page of results", "N", `^[1-9][0-9]*$`, false)
		case "user":
			data.AddTextArgument("Owner of the tokens", "@username", "")
		case "search":
			data.AddTextArgument("Token id, user id or username", "<term>", "")
		case "show":
			data.AddTextArgument("Token id", "<token-id>", "")
		case "revoke", "disable", "enable":
			data.AddTextArgument("Token ids; add --yes to confirm", hint, "")
		}
		root.AddCommand(data)
	}

	return &model.Command{
		Trigger:          Trigger,
		DisplayName:      "Token Audit",
		Description:      "Audit the Personal Access Tokens on this server.",
		AutoComplete:     true,
		AutoCompleteDesc: root.HelpText,
		AutoCompleteHint: root.Hint,
		AutocompleteData: root,
	}
}

// Execute answers one /tokens command; every answer is ephemeral.
func (h *Handler) Execute(args *model.CommandArgs) *model.CommandResponse {
	if !h.plugin.HasPermissionTo(args.UserId, model.PermissionManageSystem) {
		return reply("Only system admins can use /tokens.")
	}
	text := h.answer(args)
	if !h.tokensEnabled() {
		text += "\n\n" + tokensDisabledNote
	}
	return reply(text)
}

func (h *Handler) answer(args *model.CommandArgs) string {
	inv, err := parse(args.Command)
	if err != nil {
		return err.Error()
	}
	switch {
	case inv.name == "help":
		return help()
	case inv.name == "policy":
		p, err := h.store.GetPolicy()
		if err != nil {
			h.plugin.LogError("Reading the audit policy failed", "err", err.Error())
			return "The policy could not be read; see the server log."
		}
		return policyMarkdown(p)
	case inv.name == "revoke" && inv.yes:
		return h.revoke(args.UserId, inv.ids)
	case inv.name == "revoke":
		return fmt.Sprintf(
			"This would revoke %d token(s): %s. Revoking deletes a token and ends its sessions at once, and cannot be undone.\nTo go ahead, run `/tokens revoke %s --yes`.",
			len(inv.ids), codeList(inv.ids), strings.Join(inv.ids, " "))
	}
	return fmt.Sprintf(
		"`/tokens %s` runs in the Mattermost web and desktop apps. Run it there, or open the token inventory: %s",
		inv.name, strings.TrimSuffix(args.SiteURL, "/")+consolePath)
}

// tokensEnabled reads ServiceSettings.EnableUserAccessTokens. The plugin RPC encodes with gob,
// which drops a *bool pointing at false, so an absent value means off; only a config that did not
// arrive at all counts as on, so that a failed read never raises a false alarm.
func (h *Handler) tokensEnabled() bool {
	cfg := h.plugin.GetConfig()
	return cfg == nil || model.SafeDereference(cfg.ServiceSettings.EnableUserAccessTokens)
}

// revoke records the intent for every token before acting, so that the trail never misses an
// action, then revokes each token and records each outcome.
func (h *Handler) revoke(actorID string, tokenIDs []string) string {
	record := func(actionID, tokenID, phase, outcome, failure string) store.TrailRecord {
		return store.TrailRecord{
			TrailInput: store.TrailInput{
				ActionID: actionID, Phase: phase, Action: store.ActionRevoke, TokenID: tokenID,
				Outcome: outcome, Error: failure, Source: store.SourceCommand,
			},
			ActorID: actorID,
		}
	}

	actionIDs := make([]string, len(tokenIDs))
	intents := make([]store.TrailRecord, len(tokenIDs))
	for i, tokenID := range tokenIDs {
		actionIDs[i] = model.NewId()
		intents[i] = record(actionIDs[i], tokenID, store.PhaseIntent, "", "")
	}
	if _, err := h.store.AppendTrail(intents); err != nil {
		h.plugin.LogError("Recording revoke intents in the audit trail failed", "err", err.Error())
		return "Nothing was revoked: the audit trail could not record the request. Try again; if it keeps failing, see the server log."
	}

	lines := make([]string, 0, len(tokenIDs)+1)
	outcomes := make([]store.TrailRecord, len(tokenIDs))
	for i, tokenID := range tokenIDs {
		if appErr := h.plugin.RevokeUserAccessToken(tokenID); appErr != nil {
			failure := revokeFailure(appErr)
			outcomes[i] = record(actionIDs[i], tokenID, store.PhaseOutcome, store.OutcomeError, failure)
			lines = append(lines, fmt.Sprintf("- `%s`: not revoked, %s.", tokenID, failure))
			continue
		}
		outcomes[i] = record(actionIDs[i], tokenID, store.PhaseOutcome, store.OutcomeOK, "")
		lines = append(lines, fmt.Sprintf("- `%s`: revoked.", tokenID))
	}
	if _, err := h.store.AppendTrail(outcomes); err != nil {
		h.plugin.LogError("Recording revoke outcomes in the audit trail failed", "err", err.Error())
		lines = append(lines, "The audit trail could not record these results; see the server log.")
	}
	return strings.Join(lines, "\n")
}

// revokeFailure says why a revoke failed. Plugin API errors arrive untranslated, so the message
// is chosen here from the status.
func revokeFailure(appErr *model.AppError) string {
	if appErr.StatusCode == http.StatusNotFound {
		return "no token has this id"
	}
	return fmt.Sprintf("the server failed (%s)", appErr.Id)
}

func help() string {
	var b strings.Builder
	b.WriteString("#### /tokens: audit Personal Access Tokens\n")
	for _, s := range subcommands {
		fmt.Fprintf(&b, "- `%s`: %s\n", s.usage, s.description)
	}
	b.WriteString("\nEvery subcommand runs in the Mattermost web and desktop apps. Elsewhere, such as the mobile apps, " +
		"`help`, `policy` and `revoke ... --yes` run here, and the rest point you to the web app.")
	return b.String()
}

func policyMarkdown(p store.Policy) string {
	var b strings.Builder
	b.WriteString("#### Token Audit policy\n")
	if p.Version == 0 {
		b.WriteString("The default policy; no one has changed it yet.\n\n")
	} else {
		fmt.Fprintf(&b, "Version %d, last changed %s by user `%s`.\n\n", p.Version, formatTime(p.UpdatedAt), p.UpdatedBy)
	}
	var on, off []string
	for _, f := range p.Findings.Named() {
		if f.On {
			on = append(on, f.Name)
		} else {
			off = append(off, f.Name)
		}
	}
	b.WriteString("| Setting | Value |\n|:--|:--|\n")
	fmt.Fprintf(&b, "| Stale after | %d days without activity |\n", p.StaleAfterDays)
	fmt.Fprintf(&b, "| Expiring soon | within %d days |\n", p.ExpiringWithinDays)
	fmt.Fprintf(&b, "| Findings on | %s |\n", orNone(codeList(on)))
	fmt.Fprintf(&b, "| Findings off | %s |\n", orNone(codeList(off)))

	if len(p.Exemptions) == 0 {
		b.WriteString("\nNo exemptions.")
		return b.String()
	}
	fmt.Fprintf(&b, "\n**Exemptions (%d)**\n", len(p.Exemptions))
	for _, e := range p.Exemptions {
		fmt.Fprintf(&b, "- %s `%s`: %s (added %s by user `%s`)\n",
			e.Kind, e.ID, strings.Join(strings.Fields(e.Reason), " "), formatTime(e.AddedAt), e.AddedBy)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func formatTime(millis int64) string {
	return time.UnixMilli(millis).UTC().Format("2006-01-02 15:04 UTC")
}

func codeList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "`" + s + "`"
	}
	return strings.Join(quoted, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func reply(text string) *model.CommandResponse {
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
}
