package command

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

const (
	admin  = "adminaaaaaaaaaaaaaaaaaaaaa"
	member = "memberaaaaaaaaaaaaaaaaaaaa"
	tokA   = "tokenaaaaaaaaaaaaaaaaaaaaa"
	tokB   = "tokenbbbbbbbbbbbbbbbbbbbbb"
	tokC   = "tokenccccccccccccccccccccc"
)

type fakePlugin struct {
	tokens  map[string]bool
	revoked []string
	errors  []string
	// Nil: GetConfig returns nil. As over the plugin RPC, a false setting arrives as a nil pointer.
	tokensEnabled *bool
}

func (f *fakePlugin) GetConfig() *model.Config {
	if f.tokensEnabled == nil {
		return nil
	}
	cfg := &model.Config{}
	if *f.tokensEnabled {
		cfg.ServiceSettings.EnableUserAccessTokens = f.tokensEnabled
	}
	return cfg
}

func (f *fakePlugin) HasPermissionTo(userID string, permission *model.Permission) bool {
	return userID == admin && permission.Id == model.PermissionManageSystem.Id
}

func (f *fakePlugin) RevokeUserAccessToken(tokenID string) *model.AppError {
	if !f.tokens[tokenID] {
		return model.NewAppError("GetUserAccessToken", "app.user_access_token.get_by_user.app_error", nil, "", http.StatusNotFound)
	}
	delete(f.tokens, tokenID)
	f.revoked = append(f.revoked, tokenID)
	return nil
}

func (f *fakePlugin) LogError(msg string, _ ...any) {
	f.errors = append(f.errors, msg)
}

// brokenKV refuses every write.
type brokenKV struct{ store.KV }

func (brokenKV) CompareAndSet(string, []byte, []byte) (bool, error) {
	return false, errors.New("database is down")
}

func newHandler(kv store.KV) (*Handler, *fakePlugin, *store.Store) {
	p := &fakePlugin{tokens: map[string]bool{tokA: true, tokB: true}, tokensEnabled: model.NewPointer(true)}
	s := store.New(kv, storetest.NewClock(time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC)).Now)
	return New(s, p), p, s
}

func run(h *Handler, user, line string) string {
	resp := h.Execute(&model.CommandArgs{UserId: user, Command: line, SiteURL: "https://chat.example.com/"})
	if resp.ResponseType != model.CommandResponseTypeEphemeral {
		return "NOT EPHEMERAL: " + resp.Text
	}
	return resp.Text
}

// distinctIDs returns n different well-formed ids, the same n each time.
func distinctIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("token%021d", i)
	}
	return ids
}

func TestParse(t *testing.T) {
	tests := []struct {
		line    string
		want    invocation
		problem string // a fragment of the error; "" when the line is valid
		usage   string
	}{
		{line: "/tokens", want: invocation{name: "help"}},
		{line: "/tokens help", want: invocation{name: "help"}},
		{line: "/tokens HELP", want: invocation{name: "help"}},
		{line: "/tokens help me", problem: "takes no arguments", usage: "/tokens help"},
		{line: "/tokens list", want: invocation{name: "list"}},
		{line: "/tokens list --inactive --finding stale --page 3", want: invocation{name: "list"}},
		{line: "/tokens list --active --inactive", problem: "only one of --active and --inactive", usage: "/tokens list"},
		{line: "/tokens list --finding", problem: "--finding needs a value", usage: "/tokens list"},
		{line: "/tokens list --finding risky", problem: "Unknown finding `risky`", usage: "/tokens list"},
		{line: "/tokens list --page 0", problem: "--page must be a whole number", usage: "/tokens list"},
		{line: "/tokens list --page 1 --page 2", problem: "Give --page once", usage: "/tokens list"},
		{line: "/tokens list --all", problem: "Unknown argument `--all`", usage: "/tokens list"},
		{line: "/tokens user @alice", want: invocation{name: "user"}},
		{line: "/tokens user alice", want: invocation{name: "user"}},
		{line: "/tokens user", problem: "Name one user", usage: "/tokens user @username"},
		{line: "/tokens user @alice @bob", problem: "Name one user", usage: "/tokens user @username"},
		{line: "/tokens search ci bot", want: invocation{name: "search"}},
		{line: "/tokens search", problem: "to search for", usage: "/tokens search"},
		{line: "/tokens show " + tokA, want: invocation{name: "show"}},
		{line: "/tokens show abc", problem: "one token id", usage: "/tokens show"},
		{line: "/tokens revoke " + tokA + " " + tokB + " " + tokA, want: invocation{name: "revoke", ids: []string{tokA, tokB}}},
		{line: "/tokens revoke --yes " + tokA, want: invocation{name: "revoke", ids: []string{tokA}, yes: true}},
		{line: "/tokens disable " + tokA + " --yes", want: invocation{name: "disable", ids: []string{tokA}, yes: true}},
		{line: "/tokens enable " + tokA, want: invocation{name: "enable", ids: []string{tokA}}},
		{line: "/tokens revoke", problem: "at least one token id", usage: "/tokens revoke"},
		{line: "/tokens revoke --yes", problem: "at least one token id", usage: "/tokens revoke"},
		{line: "/tokens revoke " + tokA + " --force", problem: "`--force` is not a token id", usage: "/tokens revoke"},
		{line: "/tokens revoke " + strings.Join(distinctIDs(100), " ") + " " + strings.Join(distinctIDs(3), " "), want: invocation{name: "revoke", ids: distinctIDs(100)}},
		{line: "/tokens revoke " + strings.Join(distinctIDs(101), " "), problem: "At most 100 tokens", usage: "/tokens revoke"},
		{line: "/tokens list " + strings.Repeat("x", 3995), problem: "Unknown argument", usage: "/tokens list"},
		{line: "/tokens list " + strings.Repeat("x", 3996), problem: "too long (more than 4000", usage: rootUsage},
		{line: "/tokens audit", want: invocation{name: "audit"}},
		{line: "/tokens policy now", problem: "takes no arguments", usage: "/tokens policy"},
		{line: "/tokens purge", problem: "Unknown subcommand `purge`", usage: rootUsage},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := parse(tt.line)
			if tt.problem == "" {
				if err != nil || got.name != tt.want.name || got.yes != tt.want.yes || !slices.Equal(got.ids, tt.want.ids) {
					t.Fatalf("parse = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("parse = %+v, want an error", got)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != 2 || !strings.Contains(lines[0], tt.problem) || !strings.HasPrefix(lines[1], "Usage: `"+tt.usage) {
				t.Fatalf("error %q, want %q then usage %q", err, tt.problem, tt.usage)
			}
		})
	}
}

func TestNonAdminsAreRefusedEverything(t *testing.T) {
	h, p, _ := newHandler(storetest.NewMemKV())
	for _, line := range []string{"/tokens", "/tokens help", "/tokens policy", "/tokens revoke " + tokA + " --yes", "/tokens list --bad", "/tokens nope"} {
		if got := run(h, member, line); got != "Only system admins can use /tokens." {
			t.Errorf("%s: %q", line, got)
		}
	}
	if len(p.revoked) != 0 {
		t.Fatalf("revoked %v", p.revoked)
	}
}

func TestEveryAnswerSaysWhenTokensAreSwitchedOff(t *testing.T) {
	h, p, _ := newHandler(storetest.NewMemKV())
	lines := []string{"/tokens help", "/tokens list", "/tokens policy", "/tokens revoke " + tokA, "/tokens nope"}
	for _, enabled := range []*bool{nil, model.NewPointer(true), model.NewPointer(false)} {
		p.tokensEnabled = enabled
		off := enabled != nil && !*enabled
		for _, line := range lines {
			if got := strings.HasSuffix(run(h, admin, line), "\n\n"+tokensDisabledNote); got != off {
				t.Errorf("%s with EnableUserAccessTokens=%v: note shown %v", line, enabled, got)
			}
		}
		if got := run(h, member, "/tokens help"); got != "Only system admins can use /tokens." {
			t.Errorf("non-admin: %q", got)
		}
	}
}

func TestAnswers(t *testing.T) {
	h, _, _ := newHandler(storetest.NewMemKV())
	tests := []struct {
		line string
		want []string
	}{
		{"/tokens", []string{"/tokens list [--active|--inactive]", "`revoke ... --yes` run here"}},
		{"/tokens policy", []string{"The default policy", "| Stale after | 90 days", "`owner_bot`", "No exemptions."}},
		{"/tokens list --active", []string{"`/tokens list` runs in the Mattermost web and desktop apps", "https://chat.example.com/admin_console/plugins/plugin_token-audit"}},
		{"/tokens disable " + tokA + " --yes", []string{"`/tokens disable` runs in the Mattermost web"}},
		{"/tokens audit", []string{"/admin_console/plugins/plugin_token-audit"}},
		{"/tokens revoke " + tokA, []string{"would revoke 1 token(s): `" + tokA + "`", "`/tokens revoke " + tokA + " --yes`"}},
		{"/tokens list --page x", []string{"--page must be a whole number", "Usage: `/tokens list"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got := run(h, admin, tt.line)
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("answer lacks %q:\n%s", want, got)
				}
			}
		})
	}
}

func TestPolicyAnswerShowsChanges(t *testing.T) {
	h, _, s := newHandler(storetest.NewMemKV())
	d := store.DefaultPolicy()
	d.Findings.Stale = false
	_, _, err := s.PutPolicy(admin, store.PolicyInput{
		StaleAfterDays: 30, ExpiringWithinDays: 7, Findings: d.Findings,
		Exemptions: []store.ExemptionInput{{Kind: "token", ID: tokA, Reason: "CI\nrunner"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := run(h, admin, "/tokens policy")
	for _, want := range []string{
		"Version 1, last changed 2026-01-14 12:00 UTC by user `" + admin + "`",
		"| Stale after | 30 days", "| Findings off | `stale` |",
		"**Exemptions (1)**", "- token `" + tokA + "`: CI runner (added 2026-01-14 12:00 UTC",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %q:\n%s", want, got)
		}
	}
}

func TestRevoke(t *testing.T) {
	h, p, s := newHandler(storetest.NewMemKV())

	if got := run(h, admin, "/tokens revoke "+tokA+" "+tokB); !strings.Contains(got, "--yes") || len(p.revoked) != 0 {
		t.Fatalf("without --yes: %q, revoked %v", got, p.revoked)
	}

	got := run(h, admin, "/tokens revoke "+tokA+" "+tokC+" "+tokB+" --yes")
	want := "- `" + tokA + "`: revoked.\n- `" + tokC + "`: not revoked, no token has this id.\n- `" + tokB + "`: revoked."
	if got != want {
		t.Fatalf("answer:\n%s\nwant:\n%s", got, want)
	}
	if !slices.Equal(p.revoked, []string{tokA, tokB}) {
		t.Fatalf("revoked %v", p.revoked)
	}

	records, _, err := s.ListTrail(store.TrailQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 6 {
		t.Fatalf("%d trail records", len(records))
	}
	intents := map[string]store.TrailRecord{}
	for _, r := range records {
		if r.Source != "command" || r.Action != "revoke" || r.ActorID != admin {
			t.Fatalf("record %+v", r)
		}
		if r.Phase == "intent" {
			intents[r.ActionID] = r
		}
	}
	for _, r := range records {
		if r.Phase != "outcome" {
			continue
		}
		intent, ok := intents[r.ActionID]
		if !ok || intent.TokenID != r.TokenID || intent.ID >= r.ID {
			t.Fatalf("outcome %+v has no earlier intent", r)
		}
		if wantOutcome := map[bool]string{true: "error", false: "ok"}[r.TokenID == tokC]; r.Outcome != wantOutcome {
			t.Fatalf("outcome of %s = %s (%s)", r.TokenID, r.Outcome, r.Error)
		}
	}
}

func TestRevokeRefusedWithoutTrail(t *testing.T) {
	h, p, _ := newHandler(brokenKV{storetest.NewMemKV()})
	got := run(h, admin, "/tokens revoke "+tokA+" --yes")
	if !strings.HasPrefix(got, "Nothing was revoked") || len(p.revoked) != 0 || len(p.errors) != 1 {
		t.Fatalf("answer %q, revoked %v, logged %v", got, p.revoked, p.errors)
	}
}

func TestDefinition(t *testing.T) {
	cmd := Definition()
	if cmd.Trigger != "tokens" || !cmd.AutoComplete {
		t.Fatalf("command = %+v", cmd)
	}
	if err := cmd.AutocompleteData.IsValid(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sub := range cmd.AutocompleteData.SubCommands {
		names = append(names, sub.Trigger)
	}
	want := []string{"help", "list", "user", "search", "show", "revoke", "disable", "enable", "audit", "policy"}
	if !slices.Equal(names, want) {
		t.Fatalf("subcommands %v", names)
	}
	list := cmd.AutocompleteData.SubCommands[1]
	if len(list.Arguments) != 3 || list.Arguments[1].Name != "finding" || list.Arguments[2].Name != "page" {
		t.Fatalf("list arguments %+v", list.Arguments)
	}
	if user := cmd.AutocompleteData.SubCommands[2]; user.Arguments[0].Data.(*model.AutocompleteTextArg).Hint != "@username" {
		t.Fatalf("user argument %+v", user.Arguments[0].Data)
	}
}
