package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/tokenaudit/token-audit/server/engine/enginetest"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

func TestRetentionDays(t *testing.T) {
	tests := []struct {
		in      any
		want    int
		wantErr bool
	}{
		{nil, 365, false},
		{"", 365, false},
		{float64(30), 30, false},
		{" 90 ", 90, false},
		{float64(1), 1, false},
		{float64(3650), 3650, false},
		{float64(0), 1, true},
		{float64(-5), 1, true},
		{float64(5000), 3650, true},
		{"5000", 3650, true},
		{float64(1.5), 365, true},
		{"a year", 365, true},
		{true, 365, true},
	}
	for _, tt := range tests {
		got, err := retentionDays(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("retentionDays(%#v) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// fakeAPI implements what the plugin calls on plugin.API over an in-memory KV store; any other
// call panics on the nil embedded interface.
type fakeAPI struct {
	plugin.API
	kv       *storetest.MemKV
	settings map[string]any
	bundle   string

	mu       sync.Mutex
	commands []*model.Command
	logged   []string
}

func (f *fakeAPI) LoadPluginConfiguration(dest any) error {
	data, err := json.Marshal(f.settings)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, dest)
}

// Personal access tokens on, as on the e2e server.
func (f *fakeAPI) GetConfig() *model.Config {
	cfg := &model.Config{}
	cfg.ServiceSettings.EnableUserAccessTokens = model.NewPointer(true)
	return cfg
}

func (f *fakeAPI) RegisterCommand(c *model.Command) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, c)
	return nil
}

func (f *fakeAPI) KVGet(key string) ([]byte, *model.AppError) {
	v, _ := f.kv.Get(key)
	return v, nil
}

func (f *fakeAPI) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	if !o.Atomic {
		f.kv.Set(key, value)
		return true, nil
	}
	ok, err := f.kv.CompareAndSet(key, o.OldValue, value)
	if err != nil {
		return false, model.NewAppError("KVSetWithOptions", "kv", nil, err.Error(), 500)
	}
	return ok, nil
}

// No SqlSettings.DataSourceReplicas; the plugin then asks for the master database, which a test has none of.
func (f *fakeAPI) GetUnsanitizedConfig() *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	return cfg
}

func (f *fakeAPI) GetServerVersion() string { return "11.4.0" }

// The bot exists once EnsureBot made it; its id is what every later activation gets.
func (f *fakeAPI) EnsureBotUser(bot *model.Bot) (string, error) {
	return botID, nil
}

const botID = "botbbbbbbbbbbbbbbbbbbbbbbb"

func (f *fakeAPI) HasPermissionTo(userID string, _ *model.Permission) bool { return userID == admin }

// The repository's root holds plugin.json, as the unpacked bundle does.
func (f *fakeAPI) GetBundlePath() (string, error) {
	if f.bundle == "" {
		return "..", nil
	}
	return f.bundle, nil
}

func (f *fakeAPI) GetUser(userID string) (*model.User, *model.AppError) {
	return &model.User{Id: userID, Username: "root", Roles: "system_admin system_user"}, nil
}

func (f *fakeAPI) log(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logged = append(f.logged, msg)
}

func (f *fakeAPI) LogError(msg string, _ ...any) { f.log(msg) }
func (f *fakeAPI) LogWarn(msg string, _ ...any)  { f.log(msg) }
func (f *fakeAPI) LogInfo(msg string, _ ...any)  { f.log(msg) }
func (f *fakeAPI) LogDebug(msg string, _ ...any) { f.log(msg) }

const admin = "adminaaaaaaaaaaaaaaaaaaaaa"

func TestPluginLifecycle(t *testing.T) {
	kv := storetest.NewMemKV()
	api := &fakeAPI{kv: kv, settings: map[string]any{"trailretentiondays": "30"}}

	// One record from before the retention window, one from now.
	old := store.New(kv, func() time.Time { return time.Now().AddDate(0, 0, -40) })
	now := store.New(kv, time.Now)
	for _, s := range []*store.Store{old, now} {
		_, err := s.AppendTrail([]store.TrailRecord{{TrailInput: store.TrailInput{
			ActionID: admin, Phase: "intent", Action: "revoke", TokenID: admin, Source: "console",
		}}})
		if err != nil {
			t.Fatal(err)
		}
	}

	p := &Plugin{}
	p.SetAPI(api)
	if err := p.OnConfigurationChange(); err != nil {
		t.Fatal(err)
	}
	if got := p.retentionDays.Load(); got != 30 {
		t.Fatalf("retention = %d", got)
	}
	if err := p.OnActivate(); err != nil {
		t.Fatal(err)
	}
	if len(api.commands) != 1 || api.commands[0].Trigger != "tokens" {
		t.Fatalf("registered %+v", api.commands)
	}
	left, _, err := now.ListTrail(store.TrailQuery{Limit: 10})
	if err != nil || len(left) != 1 || time.Since(time.UnixMilli(left[0].At)) > time.Hour {
		t.Fatalf("after activation the trail holds %+v, %v", left, err)
	}

	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/api/v1/policy", nil)
	r.Header.Set("Mattermost-User-Id", admin)
	p.ServeHTTP(&plugin.Context{}, w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"version":0`) {
		t.Fatalf("GET /policy = %d %s", w.Code, w.Body)
	}

	// Without database access, usage is left to the webapp's REST fallback.
	w = httptest.NewRecorder()
	r = httptest.NewRequest("GET", "/api/v1/usage", nil)
	r.Header.Set("Mattermost-User-Id", admin)
	p.ServeHTTP(&plugin.Context{}, w, r)
	if w.Code != 501 || !strings.Contains(w.Body.String(), `"usage_unavailable"`) {
		t.Fatalf("GET /usage = %d %s", w.Code, w.Body)
	}

	// The command is registered as the engine describes it, under the manifest's name, and its
	// answers link to the console page of the manifest's id.
	var manifest model.Manifest
	raw, err := os.ReadFile("../plugin.json")
	if err != nil || json.Unmarshal(raw, &manifest) != nil {
		t.Fatalf("plugin.json: %v", err)
	}
	if api.commands[0].DisplayName != manifest.Name || len(api.commands[0].AutocompleteData.SubCommands) != 12 {
		t.Fatalf("registered %+v", api.commands[0])
	}
	consoleLink := "https://chat.example.com/admin_console/plugins/plugin_" + manifest.Id
	resp, appErr := p.ExecuteCommand(&plugin.Context{}, &model.CommandArgs{UserId: admin, Command: "/tokens help", SiteURL: "https://chat.example.com"})
	if appErr != nil || !strings.Contains(resp.Text, "/tokens list") || !strings.Contains(resp.Text, consoleLink) {
		t.Fatalf("/tokens help = %+v, %v", resp, appErr)
	}

	// Without database access the server path cannot list, and says so with the way on.
	resp, appErr = p.ExecuteCommand(&plugin.Context{}, &model.CommandArgs{UserId: admin, Command: "/tokens list", SiteURL: "https://chat.example.com"})
	if appErr != nil || !strings.HasPrefix(resp.Text, enginetest.Message(t, "en", "token_audit.command.error.cannot_list")) || !strings.Contains(resp.Text, consoleLink) {
		t.Fatalf("/tokens list = %+v, %v", resp, appErr)
	}

	if err := p.OnDeactivate(); err != nil {
		t.Fatal(err)
	}
}

func TestActivationFailsWithoutTheManifest(t *testing.T) {
	api := &fakeAPI{kv: storetest.NewMemKV(), bundle: t.TempDir()}
	p := &Plugin{}
	p.SetAPI(api)
	if err := p.OnActivate(); err == nil || !strings.Contains(err.Error(), "read the plugin's manifest") {
		t.Fatalf("OnActivate = %v", err)
	}
	if len(api.commands) != 0 {
		t.Fatalf("registered %+v", api.commands)
	}
}
