package command

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/engine/enginetest"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

const (
	adminID  = "adminaaaaaaaaaaaaaaaaaaaaa"
	aliceID  = "aliceaaaaaaaaaaaaaaaaaaaaa"
	bobID    = "bobaaaaaaaaaaaaaaaaaaaaaaa"
	tokA     = "tokenaaaaaaaaaaaaaaaaaaaaa"
	tokB     = "tokenbbbbbbbbbbbbbbbbbbbbb"
	tokC     = "tokenccccccccccccccccccccc"
	siteURL  = "https://chat.example.com/"
	pluginID = "token-audit"
	console  = "https://chat.example.com/admin_console/plugins/plugin_token-audit"
)

var testEngine = sync.OnceValues(func() (*engine.Engine, error) { return engine.New(engine.Options{}) })

// fakeTokens is the token table.
type fakeTokens struct {
	mu     sync.Mutex
	tokens []source.Token
	err    error
	reads  []string
}

func (f *fakeTokens) read(what string, keep func(source.Token) bool) ([]source.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads = append(f.reads, what)
	if f.err != nil {
		return nil, f.err
	}
	found := []source.Token{}
	for _, t := range f.tokens {
		if keep(t) {
			found = append(found, t)
		}
	}
	return found, nil
}

func (f *fakeTokens) All(context.Context) ([]source.Token, error) {
	return f.read("all", func(source.Token) bool { return true })
}

func (f *fakeTokens) OfUser(_ context.Context, userID string) ([]source.Token, error) {
	return f.read("user "+userID, func(t source.Token) bool { return t.UserID == userID })
}

func (f *fakeTokens) ByIDs(_ context.Context, ids []string) ([]source.Token, error) {
	return f.read("ids "+strings.Join(ids, " "), func(t source.Token) bool { return slices.Contains(ids, t.ID) })
}

func (f *fakeTokens) remove(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.IndexFunc(f.tokens, func(t source.Token) bool { return t.ID == id })
	if i < 0 {
		return false
	}
	f.tokens = slices.Delete(f.tokens, i, i+1)
	return true
}

type fakeUsage struct {
	usage map[string]source.Usage
	err   error
}

func (f fakeUsage) TokenUsage(context.Context) (map[string]source.Usage, error) {
	return f.usage, f.err
}

// fakePlugin is the plugin API over a handful of users and the token table.
type fakePlugin struct {
	users      map[string]*model.User
	tokens     *fakeTokens
	config     *model.Config
	usersErr   *model.AppError
	revokeErrs map[string]*model.AppError

	mu      sync.Mutex
	revoked []string
	logged  []string
}

func (f *fakePlugin) HasPermissionTo(userID string, permission *model.Permission) bool {
	return userID == adminID && permission.Id == model.PermissionManageSystem.Id
}

func (f *fakePlugin) RevokeUserAccessToken(tokenID string) *model.AppError {
	if appErr := f.revokeErrs[tokenID]; appErr != nil {
		return appErr
	}
	if !f.tokens.remove(tokenID) {
		return model.NewAppError("RevokeUserAccessToken", "app.user_access_token.get_by_user.app_error", nil, "", http.StatusNotFound)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = append(f.revoked, tokenID)
	return nil
}

func (f *fakePlugin) GetConfig() *model.Config {
	return f.config
}

func (f *fakePlugin) GetUser(userID string) (*model.User, *model.AppError) {
	if u, ok := f.users[userID]; ok {
		return u, nil
	}
	return nil, model.NewAppError("GetUser", "app.user.missing_account.const", nil, "", http.StatusNotFound)
}

func (f *fakePlugin) GetUserByUsername(name string) (*model.User, *model.AppError) {
	for _, u := range f.users {
		if u.Username == name {
			return u, nil
		}
	}
	return nil, model.NewAppError("GetUserByUsername", "app.user.get_by_username.app_error", nil, "", http.StatusNotFound)
}

func (f *fakePlugin) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	if f.usersErr != nil {
		return nil, f.usersErr
	}
	var found []*model.User
	for _, id := range ids {
		if u, ok := f.users[id]; ok {
			found = append(found, u)
		}
	}
	return found, nil
}

func (f *fakePlugin) LogError(msg string, _ ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logged = append(f.logged, msg)
}

type harness struct {
	handler *Handler
	api     *fakePlugin
	tokens  *fakeTokens
	store   *store.Store
	clock   *storetest.Clock
}

func tokensOn() *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	cfg.ServiceSettings.EnableUserAccessTokens = model.NewPointer(true)
	return cfg
}

func newHarness(t *testing.T, kv store.KV) *harness {
	t.Helper()
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	tokens := &fakeTokens{tokens: []source.Token{
		{ID: tokA, UserID: bobID, Description: "laptop", IsActive: true},
		{ID: tokB, UserID: aliceID, Description: "ci runner", IsActive: false},
	}}
	api := &fakePlugin{
		users: map[string]*model.User{
			adminID: {Id: adminID, Username: "root", Roles: "system_user system_admin"},
			aliceID: {Id: aliceID, Username: "alice", Roles: "system_user", Locale: "de"},
			bobID:   {Id: bobID, Username: "bob", Roles: "system_user", FirstName: "Bob", LastName: "Builder"},
		},
		tokens: tokens,
		config: tokensOn(),
	}
	clock := storetest.NewClock(time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC))
	s := store.New(kv, clock.Now)
	h := New(Options{
		Engine: eng, Store: s, API: api, Tokens: tokens,
		Usage:    fakeUsage{usage: map[string]source.Usage{tokA: {FirstActive: 1000, LastActive: 2000}}},
		PluginID: pluginID, Now: clock.Now,
	})
	return &harness{handler: h, api: api, tokens: tokens, store: s, clock: clock}
}

func (hs *harness) run(t *testing.T, user, line string) string {
	t.Helper()
	resp, appErr := hs.handler.Execute(&model.CommandArgs{UserId: user, Command: line, SiteURL: siteURL})
	if appErr != nil {
		t.Fatalf("%s: %v", line, appErr)
	}
	if resp.ResponseType != model.CommandResponseTypeEphemeral {
		t.Fatalf("%s: not ephemeral", line)
	}
	return resp.Text
}

// message is the engine's catalogue entry up to its first placeholder.
func message(t *testing.T, locale, id string) string {
	t.Helper()
	before, _, _ := strings.Cut(enginetest.Message(t, locale, "token_audit.command."+id), "{")
	return before
}

func contains(t *testing.T, what, text string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("%s lacks %q:\n%s", what, f, text)
		}
	}
}

func lacks(t *testing.T, what, text string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(text, f) {
			t.Errorf("%s has %q:\n%s", what, f, text)
		}
	}
}

func TestNonAdminsAreRefusedInTheirLanguageAndNothingIsRead(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	for _, line := range []string{"/tokens", "/tokens list", "/tokens policy", "/tokens revoke " + tokA + " --yes", "/tokens list --bad", "/tokens nope", "/tokens campaign", "/tokens campaign disable --yes"} {
		if got, want := hs.run(t, aliceID, line), message(t, "de", "error.refused"); got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
	if len(hs.api.revoked) != 0 || len(hs.tokens.reads) != 0 {
		t.Fatalf("revoked %v, read %v", hs.api.revoked, hs.tokens.reads)
	}
}

func TestEveryReadSubcommandAnswersFromTheDatabase(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	tests := []struct {
		line  string
		reads []string
		has   []string
		lacks []string
	}{
		{"/tokens list", []string{"all"}, []string{tokA, tokB, "@alice", "@bob", "laptop", console}, nil},
		{"/tokens list --inactive", []string{"all"}, []string{tokB}, []string{tokA}},
		{"/tokens list --finding disabled", []string{"all"}, []string{tokB}, []string{tokA}},
		{"/tokens user @bob", []string{"user " + bobID}, []string{tokA, "@bob"}, []string{tokB}},
		{"/tokens search laptop", []string{"all"}, []string{tokA}, []string{tokB}},
		{"/tokens show " + tokA, []string{"ids " + tokA}, []string{tokA, "@bob", "Bob Builder", "laptop"}, []string{tokB}},
		{"/tokens audit", []string{"all"}, []string{message(t, "en", "audit.title"), tokB}, nil},
		{"/tokens help", nil, []string{"/tokens list", "/tokens revoke", console}, nil},
		{"/tokens policy", nil, []string{message(t, "en", "policy.title"), message(t, "en", "policy.default")}, nil},
		{"/tokens list --page x", nil, []string{"`x`", "/tokens list [--active|--inactive]"}, []string{tokA}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			hs.tokens.reads = nil
			got := hs.run(t, adminID, tt.line)
			contains(t, tt.line, got, tt.has...)
			lacks(t, tt.line, got, tt.lacks...)
			if !slices.Equal(hs.tokens.reads, tt.reads) {
				t.Errorf("reads %v, want %v", hs.tokens.reads, tt.reads)
			}
		})
	}
	if len(hs.api.logged) != 0 {
		t.Fatalf("logged %v", hs.api.logged)
	}
}

func TestAnswersFollowTheReadersLocale(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	// A German-speaking admin.
	hs.api.users[adminID].Locale = "de"
	contains(t, "own locale", hs.run(t, adminID, "/tokens help"), message(t, "de", "help.title"))

	// No locale of their own: the server's default for clients.
	hs.api.users[adminID].Locale = ""
	hs.api.config.LocalizationSettings.DefaultClientLocale = model.NewPointer("es")
	contains(t, "server default", hs.run(t, adminID, "/tokens help"), message(t, "es", "help.title"))

	// Neither, and no config: English.
	hs.api.config = nil
	contains(t, "neither", hs.run(t, adminID, "/tokens help"), message(t, "en", "help.title"))
}

func TestFirstSeenIsRecordedAsCompleteOnlyForTheWholeTable(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	gone := "goneaaaaaaaaaaaaaaaaaaaaaa"
	if _, err := hs.store.RecordSeen([]string{gone, tokA}, false); err != nil {
		t.Fatal(err)
	}
	hs.clock.Advance(2 * time.Hour)

	// A subset says nothing about other tokens.
	hs.run(t, adminID, "/tokens show "+tokB)
	seen, err := hs.store.LookupSeen([]string{gone, tokA, tokB})
	if err != nil || seen[gone].RemovedAt != 0 || seen[tokB].FirstSeen == 0 {
		t.Fatalf("after show: %+v, %v", seen, err)
	}

	// The whole table does: what is not in it is gone.
	hs.run(t, adminID, "/tokens list")
	seen, err = hs.store.LookupSeen([]string{gone, tokA, tokB})
	if err != nil || seen[gone].RemovedAt == 0 || seen[tokA].RemovedAt != 0 || seen[tokB].RemovedAt != 0 {
		t.Fatalf("after list: %+v, %v", seen, err)
	}
}

func TestWithoutTheTokenTableTheServerSaysItCannotList(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	hs.handler.Tokens = nil
	for _, line := range []string{"/tokens list", "/tokens user @bob", "/tokens show " + tokA, "/tokens revoke " + tokA + " --yes", "/tokens audit"} {
		got := hs.run(t, adminID, line)
		if !strings.HasPrefix(got, message(t, "en", "error.cannot_list")) {
			t.Errorf("%s: %q", line, got)
		}
		contains(t, line, got, console)
	}
	contains(t, "help", hs.run(t, adminID, "/tokens help"), "/tokens list")
	contains(t, "policy", hs.run(t, adminID, "/tokens policy"), message(t, "en", "policy.title"))
	if len(hs.api.revoked) != 0 {
		t.Fatalf("revoked %v", hs.api.revoked)
	}
}

func TestPartsThatCannotBeReadAreNamedInTheAnswer(t *testing.T) {
	partial := message(t, "en", "note.partial")

	hs := newHarness(t, storetest.NewMemKV())
	hs.handler.Usage = nil
	got := hs.run(t, adminID, "/tokens show "+tokA)
	contains(t, "no sessions reader", got, partial+"usage", message(t, "en", "show.activity_unknown"))
	if len(hs.api.logged) != 0 {
		t.Fatalf("the missing reader, known since activation, was logged again: %v", hs.api.logged)
	}

	hs = newHarness(t, storetest.NewMemKV())
	hs.handler.Usage = fakeUsage{err: errors.New("connection reset")}
	hs.api.usersErr = model.NewAppError("GetUsersByIds", "app.user.get_profiles.app_error", nil, "", http.StatusInternalServerError)
	got = hs.run(t, adminID, "/tokens list")
	contains(t, "failed reads", got, partial+"owners, usage", tokA, message(t, "en", "owner.unknown"))
	if len(hs.api.logged) != 2 {
		t.Fatalf("logged %v", hs.api.logged)
	}
}

func TestAFailedTokenReadIsExplained(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	hs.tokens.err = errors.New("query tokens: connection refused")
	got := hs.run(t, adminID, "/tokens list")
	if want := message(t, "en", "error.failed") + "query tokens: connection refused"; got != want {
		t.Fatalf("answer %q, want %q", got, want)
	}
	if len(hs.api.logged) != 1 {
		t.Fatalf("logged %v", hs.api.logged)
	}
}

func TestUnknownUsersAndTokensAreSaidToBeUnknown(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	contains(t, "user", hs.run(t, adminID, "/tokens user @nobody"), message(t, "en", "user.not_found"), "nobody")
	contains(t, "show", hs.run(t, adminID, "/tokens show "+tokC), message(t, "en", "show.not_found")+"`"+tokC+"`")
}

func TestTokensSwitchedOffAreNotedInEveryAnswer(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	note := message(t, "en", "note.tokens_disabled")
	// Over the plugin RPC a false setting arrives as a nil pointer.
	hs.api.config.ServiceSettings.EnableUserAccessTokens = nil
	for _, line := range []string{"/tokens help", "/tokens list", "/tokens policy", "/tokens show " + tokA} {
		contains(t, line, hs.run(t, adminID, line), note)
	}
	hs.api.config = tokensOn()
	lacks(t, "switched on", hs.run(t, adminID, "/tokens list"), note)
	hs.api.config = nil
	lacks(t, "config unknown", hs.run(t, adminID, "/tokens list"), note)
}

func TestThePolicyAnswerNamesItsAuthor(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	d := store.DefaultPolicy()
	d.Findings.Stale = false
	if _, _, err := hs.store.PutPolicy(adminID, store.PolicyInput{StaleAfterDays: 30, ExpiringWithinDays: 7, Findings: d.Findings}); err != nil {
		t.Fatal(err)
	}
	contains(t, "policy", hs.run(t, adminID, "/tokens policy"), "@root", "30", "`stale`")
}

func trail(t *testing.T, s *store.Store) []store.TrailRecord {
	t.Helper()
	records, _, err := s.ListTrail(store.TrailQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return records
}

func TestRevokeAsksFirstThenRevokesWhatExistsWithTheTrail(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	asked := hs.run(t, adminID, "/tokens revoke "+tokA+" "+tokB)
	contains(t, "without --yes", asked, "/tokens revoke "+tokA+" "+tokB+" --yes")
	if len(hs.api.revoked) != 0 || len(trail(t, hs.store)) != 0 {
		t.Fatalf("without --yes: revoked %v", hs.api.revoked)
	}

	done := hs.run(t, adminID, "/tokens revoke "+tokA+" "+tokC+" "+tokB+" --yes")
	contains(t, "with --yes", done, tokA, tokB, tokC, message(t, "en", "action.missing"))
	if !slices.Equal(hs.api.revoked, []string{tokA, tokB}) {
		t.Fatalf("revoked %v", hs.api.revoked)
	}
	records := trail(t, hs.store)
	if len(records) != 4 {
		t.Fatalf("%d trail records: %+v", len(records), records)
	}
	owners := map[string]string{tokA: bobID, tokB: aliceID}
	intents := map[string]store.TrailRecord{}
	for _, r := range records {
		if r.Source != store.SourceCommand || r.Action != store.ActionRevoke || r.ActorID != adminID || r.OwnerID != owners[r.TokenID] {
			t.Fatalf("record %+v", r)
		}
		if r.Phase == store.PhaseIntent {
			intents[r.ActionID] = r
		}
	}
	for _, r := range records {
		if r.Phase != store.PhaseOutcome {
			continue
		}
		if intent, ok := intents[r.ActionID]; !ok || intent.TokenID != r.TokenID || intent.ID >= r.ID || r.Outcome != store.OutcomeOK {
			t.Fatalf("outcome %+v without an earlier intent", r)
		}
	}
}

func TestARevokeTheServerRefusesIsReportedAndRecorded(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	hs.api.revokeErrs = map[string]*model.AppError{tokA: model.NewAppError("RevokeUserAccessToken", "app.user_access_token.revoke.app_error", nil, "database is read-only", http.StatusInternalServerError)}
	got := hs.run(t, adminID, "/tokens revoke "+tokA+" --yes")
	contains(t, "answer", got, message(t, "en", "action.failed")+"RevokeUserAccessToken")
	var outcome store.TrailRecord
	for _, r := range trail(t, hs.store) {
		if r.Phase == store.PhaseOutcome {
			outcome = r
		}
	}
	if outcome.Outcome != store.OutcomeError || !strings.Contains(outcome.Error, "database is read-only") {
		t.Fatalf("outcome %+v", outcome)
	}
}

// refusingKV refuses every write.
type refusingKV struct{ store.KV }

func (refusingKV) CompareAndSet(string, []byte, []byte) (bool, error) {
	return false, errors.New("database is down")
}

func TestNothingIsRevokedWhenTheIntentCannotBeRecorded(t *testing.T) {
	hs := newHarness(t, refusingKV{storetest.NewMemKV()})
	got := hs.run(t, adminID, "/tokens revoke "+tokA+" --yes")
	if want := message(t, "en", "error.not_recorded"); !strings.HasPrefix(got, want) || !strings.Contains(got, "database is down") {
		t.Fatalf("answer %q, want %q…", got, want)
	}
	if len(hs.api.revoked) != 0 {
		t.Fatalf("revoked %v", hs.api.revoked)
	}
}

func TestDisableAndEnableNeedTheWebApp(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	for _, line := range []string{"/tokens disable " + tokA + " --yes", "/tokens enable " + tokB, "/tokens disable " + tokA} {
		got := hs.run(t, adminID, line)
		if !strings.HasPrefix(got, message(t, "en", "host.needs_webapp")) {
			t.Errorf("%s: %q", line, got)
		}
		contains(t, line, got, console)
	}
	if len(hs.api.revoked) != 0 || len(trail(t, hs.store)) != 0 {
		t.Fatalf("revoked %v", hs.api.revoked)
	}
}

// failingEngine is the real engine, but one method fails.
type failingEngine struct {
	Engine
	method string
}

func (f failingEngine) Call(ctx context.Context, method string, in, out any) error {
	if method == f.method {
		return &engine.Error{Method: method, Reason: "broken on purpose"}
	}
	return f.Engine.Call(ctx, method, in, out)
}

func TestWhenTheEngineFailsMattermostSaysTheCommandFailed(t *testing.T) {
	for _, method := range []string{methodPlan, methodAnswer, methodExplain} {
		hs := newHarness(t, storetest.NewMemKV())
		hs.handler.Engine = failingEngine{Engine: hs.handler.Engine, method: method}
		// A non-admin's refusal is explained, so that every method is on the way somewhere.
		user := adminID
		if method == methodExplain {
			user = aliceID
		}
		resp, appErr := hs.handler.Execute(&model.CommandArgs{UserId: user, Command: "/tokens list", SiteURL: siteURL})
		if resp != nil || appErr == nil || appErr.Id != "api.command.execute_command.failed.app_error" || !strings.Contains(appErr.DetailedError, "broken on purpose") {
			t.Fatalf("%s broken: %+v, %v", method, resp, appErr)
		}
		var params any
		appErr.Translate(func(_ string, args ...any) string {
			params = args[0]
			return ""
		})
		if trigger := params.(map[string]any)["Trigger"]; trigger != "/tokens" {
			t.Fatalf("%s broken: trigger %v", method, trigger)
		}
		if len(hs.api.logged) != 1 {
			t.Fatalf("%s broken: logged %v", method, hs.api.logged)
		}
	}
}

func TestDefinitionIsTheEnginesGrammar(t *testing.T) {
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := Definition(context.Background(), eng, "Token Audit")
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Trigger != "tokens" || !cmd.AutoComplete || cmd.DisplayName != "Token Audit" || cmd.AutocompleteData.RoleID != model.SystemAdminRoleId {
		t.Fatalf("command = %+v", cmd)
	}
	if cmd.AutoCompleteDesc != message(t, "en", "autocomplete.description") {
		t.Fatalf("description %q", cmd.AutoCompleteDesc)
	}
	var names []string
	for _, sub := range cmd.AutocompleteData.SubCommands {
		names = append(names, sub.Trigger)
	}
	if want := []string{"help", "list", "user", "search", "show", "revoke", "disable", "enable", "audit", "policy", "digest", "campaign"}; !slices.Equal(names, want) {
		t.Fatalf("subcommands %v", names)
	}
	list := cmd.AutocompleteData.SubCommands[1]
	if !strings.HasPrefix(list.HelpText, message(t, "en", "help.list")+"20 ") {
		t.Fatalf("list help %q", list.HelpText)
	}
	if len(list.Arguments) != 3 || list.Arguments[1].Name != "finding" || list.Arguments[2].Name != "page" {
		t.Fatalf("list arguments %+v", list.Arguments)
	}
	findings := list.Arguments[1].Data.(*model.AutocompleteStaticListArg).PossibleArguments
	if len(findings) != 11 || !slices.ContainsFunc(findings, func(i model.AutocompleteListItem) bool { return i.Item == "never_expires" }) {
		t.Fatalf("findings %+v", findings)
	}
	if state := list.Arguments[0].Data.(*model.AutocompleteStaticListArg).PossibleArguments; state[0].Item != "--active" || state[0].HelpText != message(t, "en", "arg.active") {
		t.Fatalf("state %+v", state)
	}
	if user := cmd.AutocompleteData.SubCommands[2]; user.Arguments[0].Data.(*model.AutocompleteTextArg).Hint != "@username" {
		t.Fatalf("user argument %+v", user.Arguments[0].Data)
	}
}

func TestCampaignListsFromKVAndDisablingPointsToTheWebApp(t *testing.T) {
	hs := newHarness(t, storetest.NewMemKV())
	now := hs.clock.Now().UnixMilli()
	c := store.Campaign{
		ID: "campaignaaaaaaaaaaaaaaaaaa", CreatedBy: adminID, CreatedAt: now, Note: "spring", GraceDays: 1, UndoDays: 1, KeepDays: 1, DayMillis: 1000,
		Tokens: []store.CampaignToken{{ID: tokA, UserID: bobID, OwnerID: bobID, Stage: store.CampaignDue, ChangedAt: now, ChangedBy: adminID}},
	}
	if err := hs.store.CreateCampaign(c); err != nil {
		t.Fatal(err)
	}
	list := hs.run(t, adminID, "/tokens campaign")
	contains(t, "/tokens campaign", list, "@root", "`"+tokA+"` @bob", "`/tokens campaign disable --yes`")

	disable := hs.run(t, adminID, "/tokens campaign disable --yes")
	want, _, _ := strings.Cut(enginetest.Message(t, "en", "token_audit.campaign.command.needs_webapp"), "{count")
	contains(t, "/tokens campaign disable --yes", disable, want, "the 1 due token needs an admin")
	after, err := hs.store.GetCampaign(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Tokens[0].Stage != store.CampaignDue || len(hs.api.revoked) != 0 {
		t.Fatalf("stage %s, revoked %v", after.Tokens[0].Stage, hs.api.revoked)
	}
	if len(hs.tokens.reads) != 0 {
		t.Fatalf("campaigns need no token read, read %v", hs.tokens.reads)
	}
}
