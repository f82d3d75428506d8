package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/engine/enginetest"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

var testEngine = sync.OnceValues(func() (*engine.Engine, error) { return engine.New(engine.Options{}) })

const (
	adminID = "adminaaaaaaaaaaaaaaaaaaaaa"
	userID  = "useruuuuuuuuuuuuuuuuuuuuuu"
	erinID  = "erineeeeeeeeeeeeeeeeeeeeee"
	botID   = "botbbbbbbbbbbbbbbbbbbbbbbb"
	tokA    = "tokenaaaaaaaaaaaaaaaaaaaaa"
	tokB    = "tokenbbbbbbbbbbbbbbbbbbbbb"
	dmID    = "dmdddddddddddddddddddddddd"
)

// fakeAPI is the plugin API over in-memory users and posts; any other call panics on the nil
// embedded interface.
type fakeAPI struct {
	plugin.API
	mu      sync.Mutex
	users   map[string]*model.User
	posts   []*model.Post
	revoked []string
	infos   []map[string]any
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{users: map[string]*model.User{
		adminID: {Id: adminID, Username: "root", Roles: "system_admin system_user"},
		userID:  {Id: userID, Username: "alice", Roles: "system_user"},
		erinID:  {Id: erinID, Username: "erin", Roles: "system_user", DeleteAt: 1},
	}}
}

func (f *fakeAPI) HasPermissionTo(id string, _ *model.Permission) bool { return id == adminID }

func (f *fakeAPI) GetUser(id string) (*model.User, *model.AppError) {
	if u, ok := f.users[id]; ok {
		return u, nil
	}
	return nil, model.NewAppError("GetUser", "not_found", nil, "", http.StatusNotFound)
}

func (f *fakeAPI) GetUsers(o *model.UserGetOptions) ([]*model.User, *model.AppError) {
	if o.Role != model.SystemAdminRoleId || o.Page > 0 {
		return nil, nil
	}
	return []*model.User{f.users[adminID]}, nil
}

func (f *fakeAPI) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	var out []*model.User
	for _, id := range ids {
		if u, ok := f.users[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}

func (f *fakeAPI) GetDirectChannel(_, _ string) (*model.Channel, *model.AppError) {
	return &model.Channel{Id: dmID}, nil
}

func (f *fakeAPI) CreatePost(p *model.Post) (*model.Post, *model.AppError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p.Id = model.NewId()
	f.posts = append(f.posts, p)
	return p, nil
}

func (f *fakeAPI) RevokeUserAccessToken(id string) *model.AppError {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = append(f.revoked, id)
	return nil
}

func (f *fakeAPI) GetConfig() *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	cfg.ServiceSettings.SiteURL = model.NewPointer("https://chat.example.com")
	return cfg
}

func (f *fakeAPI) LogError(string, ...any) {}
func (f *fakeAPI) LogInfo(_ string, keyValuePairs ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fields := map[string]any{}
	for i := 0; i+1 < len(keyValuePairs); i += 2 {
		fields[keyValuePairs[i].(string)] = keyValuePairs[i+1]
	}
	f.infos = append(f.infos, fields)
}
func (f *fakeAPI) LogWarn(string, ...any) {}

type fakeTokens struct{ tokens []source.Token }

func (f *fakeTokens) All(context.Context) ([]source.Token, error) { return f.tokens, nil }
func (f *fakeTokens) OfUser(_ context.Context, id string) ([]source.Token, error) {
	var out []source.Token
	for _, t := range f.tokens {
		if t.UserID == id {
			out = append(out, t)
		}
	}
	return out, nil
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

// node is one server's watcher; nodes made from one KV share it as the nodes of a cluster do.
func node(t testing.TB, kv *storetest.MemKV, api *fakeAPI, tokens *fakeTokens, c *clock) *Watcher {
	t.Helper()
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{API: api, Store: store.New(kv, c.Now), Engine: eng, Tokens: tokens, PluginID: "token-audit", BotID: botID, Now: c.Now})
}

func TestEachNewRiskyTokenIsAlertedOnceAcrossNodes(t *testing.T) {
	kv, api, c := storetest.NewMemKV(), newFakeAPI(), &clock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	tokens := &fakeTokens{tokens: []source.Token{{ID: tokA, UserID: adminID, Description: "seeded", IsActive: true}}}
	a, b := node(t, kv, api, tokens, c), node(t, kv, api, tokens, c)
	ctx := context.Background()

	if r, err := a.ScanOnce(ctx); err != nil || r.Alerted != 0 || r.Tokens != 1 {
		t.Fatalf("first scan: %+v, %v", r, err)
	}
	tokens.tokens = append(tokens.tokens, source.Token{ID: tokB, UserID: adminID, Description: "new", IsActive: true})
	var wg sync.WaitGroup
	reports := make([]ScanReport, 2)
	for i, w := range []*Watcher{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if reports[i], err = w.ScanOnce(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if reports[0].Alerted+reports[1].Alerted != 1 || len(api.posts) != 1 {
		t.Fatalf("alerted %+v, posts %d", reports, len(api.posts))
	}
	post := api.posts[0]
	if post.ChannelId != dmID || post.UserId != botID || !bytes.Contains([]byte(post.Message), []byte(tokB)) {
		t.Fatalf("post %+v", post)
	}
	if r, _ := a.ScanOnce(ctx); r.Alerted != 0 || len(api.posts) != 1 {
		t.Fatalf("a later scan alerted again: %+v", r)
	}
}

// What a scheduled scan logs is what admins and `make bench` know of it: its KV writes must be all
// of them, on a first scan, a rescan and a scan that alerts.
func TestTheScanLogsEveryKVWriteItMakes(t *testing.T) {
	kv, api, c := storetest.NewMemKV(), newFakeAPI(), &clock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	tokens := &fakeTokens{tokens: []source.Token{{ID: tokA, UserID: userID, Description: "seeded", IsActive: true}}}
	w := node(t, kv, api, tokens, c)
	for _, scan := range []struct {
		name    string
		add     []source.Token
		tokens  int
		alerted int
	}{
		{name: "first", tokens: 1},
		{name: "rescan", tokens: 1},
		{name: "a new admin's token", add: []source.Token{{ID: tokB, UserID: adminID, Description: "new", IsActive: true}}, tokens: 2, alerted: 1},
	} {
		tokens.tokens = append(tokens.tokens, scan.add...)
		before := kv.Writes()
		w.Run()
		last := api.infos[len(api.infos)-1]
		if last["kv_writes"] != kv.Writes()-before || last["tokens"] != scan.tokens || last["alerted"] != scan.alerted {
			t.Fatalf("%s: logged %v, the store saw %d writes", scan.name, last, kv.Writes()-before)
		}
		if _, ok := last["took_ms"].(int64); !ok {
			t.Fatalf("%s: took_ms %v", scan.name, last["took_ms"])
		}
	}
}

// click posts what Mattermost posts to the button route.
func click(w *Watcher, header string, req model.PostActionIntegrationRequest) model.PostActionIntegrationResponse {
	body, _ := json.Marshal(req)
	r := httptest.NewRequest(http.MethodPost, ButtonPath, bytes.NewReader(body))
	if header != "" {
		r.Header.Set(userIDHeader, header)
	}
	rec := httptest.NewRecorder()
	w.ServeButton(rec, r)
	var out model.PostActionIntegrationResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

func TestGuardButtonsAreCheckedOnTheServer(t *testing.T) {
	kv, api, c := storetest.NewMemKV(), newFakeAPI(), &clock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	tokens := &fakeTokens{tokens: []source.Token{
		{ID: tokA, UserID: erinID, Description: "a", IsActive: true},
		{ID: tokB, UserID: erinID, Description: "b", IsActive: false},
	}}
	w := node(t, kv, api, tokens, c)
	w.UserDeactivated(api.users[erinID])
	w.UserDeactivated(api.users[erinID])
	if len(api.posts) != 1 {
		t.Fatalf("guard posts: %d", len(api.posts))
	}
	guard := api.posts[0]
	if !bytes.HasPrefix([]byte(guard.Message), []byte("@erin was deactivated and holds 1 active token;")) {
		t.Fatalf("guard %q", guard.Message)
	}
	actions := guard.Attachments()[0].Actions
	context := actions[0].Integration.Context
	refusal := func(id string) string { return enginetest.Message(t, "en", "token_audit.watch.click."+id) }

	cases := []struct {
		name   string
		header string
		req    model.PostActionIntegrationRequest
		want   string
	}{
		{"no user", "", model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: context}, refusal("forged")},
		{"another user's id in the body", userID, model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: context}, refusal("forged")},
		{"a regular user", userID, model.PostActionIntegrationRequest{UserId: userID, PostId: guard.Id, Context: context}, refusal("refused")},
		{"another post", adminID, model.PostActionIntegrationRequest{UserId: adminID, PostId: tokA, Context: context}, refusal("forged")},
		{"unknown buttons", adminID, model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: map[string]any{"buttons": tokA, "button": "keep"}}, refusal("forged")},
		{"a button the guard has not", adminID, model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: map[string]any{"buttons": context["buttons"], "button": "confirm"}}, refusal("forged")},
	}
	for _, tc := range cases {
		if got := click(w, tc.header, tc.req); got.EphemeralText != tc.want || got.Update != nil {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
	if len(api.revoked) != 0 {
		t.Fatalf("refused clicks revoked %v", api.revoked)
	}

	done := click(w, adminID, model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: context})
	if done.Update == nil || !reflect.DeepEqual(api.revoked, []string{tokA}) || done.Update.Message != guard.Message+"\n\n> Revoked by @root." {
		t.Fatalf("revoke them: %+v, revoked %v", done, api.revoked)
	}
	if replay := click(w, adminID, model.PostActionIntegrationRequest{UserId: adminID, PostId: guard.Id, Context: context}); replay.EphemeralText != refusal("stale") {
		t.Fatalf("replay: %+v", replay)
	}
	trail, _, err := w.Store.ListTrail(store.TrailQuery{Limit: 10})
	if err != nil || len(trail) != 2 || trail[0].Source != store.SourceButton || trail[0].ActorID != adminID {
		t.Fatalf("trail %+v, %v", trail, err)
	}
}

func TestDuePeriod(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 30, 0, 0, time.UTC) } // 2026-03-02 is a Monday
	cases := []struct {
		name   string
		now    time.Time
		digest store.Digest
		want   time.Time
		due    bool
	}{
		{"off", at(2, 10), store.Digest{Schedule: "off", HourUTC: 9}, time.Time{}, false},
		{"daily, after the hour", at(2, 10), store.Digest{Schedule: "daily", HourUTC: 9}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), true},
		{"daily, before the hour", at(2, 8), store.Digest{Schedule: "daily", HourUTC: 9}, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), true},
		{"weekly, the day itself", at(2, 10), store.Digest{Schedule: "weekly", HourUTC: 9, Weekday: 1}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), true},
		{"weekly, the day before the hour", at(2, 8), store.Digest{Schedule: "weekly", HourUTC: 9, Weekday: 1}, time.Date(2026, 2, 23, 9, 0, 0, 0, time.UTC), true},
		{"weekly, later in the week", at(5, 8), store.Digest{Schedule: "weekly", HourUTC: 9, Weekday: 0}, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), true},
	}
	for _, tc := range cases {
		got, due := duePeriod(tc.now, tc.digest)
		if !got.Equal(tc.want) || due != tc.due {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, due, tc.want, tc.due)
		}
	}
}

// The bot's posts of the shared corpus (webapp/src/engine/corpus/posts/posts.json), as goja writes them.
func TestThePostsCorpusAnswersAlikeInGoja(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "webapp", "src", "engine", "corpus", "posts", "posts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Cases []struct {
			Name   string          `json:"name"`
			Method string          `json:"method"`
			Input  json.RawMessage `json:"input"`
			Output json.RawMessage `json:"output"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &corpus); err != nil || len(corpus.Cases) == 0 {
		t.Fatalf("corpus: %v", err)
	}
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range corpus.Cases {
		var got, want any
		if err := eng.Call(context.Background(), c.Method, c.Input, &got); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if err := json.Unmarshal(c.Output, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs\n got: %v\nwant: %v", c.Name, got, want)
		}
	}
}
