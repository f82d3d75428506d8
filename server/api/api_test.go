package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

const (
	admin   = "adminaaaaaaaaaaaaaaaaaaaaa"
	admin2  = "adminbbbbbbbbbbbbbbbbbbbbb"
	member  = "memberaaaaaaaaaaaaaaaaaaaa"
	tokenID = "tokenaaaaaaaaaaaaaaaaaaaaa"
	channel = "channelaaaaaaaaaaaaaaaaaaa"
	// A channel the admins cannot read, and posts in the readable one and elsewhere.
	secretChannel = "channelsecretaaaaaaaaaaaaa"
	rootPost      = "rootpostaaaaaaaaaaaaaaaaaa"
	// Channels that exist but cannot take the plugin's alerts.
	archivedChannel = "channelarchivedaaaaaaaaaaa"
	dmChannel       = "channeldmaaaaaaaaaaaaaaaaa"
	otherRootPost   = "rootpostotheraaaaaaaaaaaaa"
)

type fakePlugin struct {
	mu      sync.Mutex
	posts   []*model.Post
	updates []*model.Post
	errors  []string
}

func (f *fakePlugin) HasPermissionToChannel(userID, channelID string, permission *model.Permission) bool {
	return permission.Id == model.PermissionReadChannel.Id && channelID == channel
}

func (f *fakePlugin) GetPost(postID string) (*model.Post, *model.AppError) {
	switch postID {
	case rootPost:
		return &model.Post{Id: postID, ChannelId: channel}, nil
	case otherRootPost:
		return &model.Post{Id: postID, ChannelId: secretChannel}, nil
	}
	return nil, model.NewAppError("GetPost", "app.post.get.app_error", nil, "", http.StatusNotFound)
}

func (f *fakePlugin) GetChannel(channelID string) (*model.Channel, *model.AppError) {
	switch channelID {
	case channel:
		return &model.Channel{Id: channelID, Type: model.ChannelTypeOpen}, nil
	case secretChannel:
		return &model.Channel{Id: channelID, Type: model.ChannelTypePrivate}, nil
	case archivedChannel:
		return &model.Channel{Id: channelID, Type: model.ChannelTypeOpen, DeleteAt: 1}, nil
	case dmChannel:
		return &model.Channel{Id: channelID, Type: model.ChannelTypeDirect}, nil
	}
	return nil, model.NewAppError("GetChannel", "app.channel.get.existing.app_error", nil, "", http.StatusNotFound)
}

func (f *fakePlugin) UpdateEphemeralPost(userID string, post *model.Post) *model.Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, post)
	return post
}

func (f *fakePlugin) HasPermissionTo(userID string, permission *model.Permission) bool {
	return permission.Id == model.PermissionManageSystem.Id && (userID == admin || userID == admin2)
}

func (f *fakePlugin) SendEphemeralPost(userID string, post *model.Post) *model.Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	post.Id = model.NewId()
	f.posts = append(f.posts, post)
	return post
}

func (f *fakePlugin) LogError(msg string, _ ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, msg)
}

type fixture struct {
	api    *API
	plugin *fakePlugin
	kv     *storetest.MemKV
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	kv := storetest.NewMemKV()
	p := &fakePlugin{}
	clock := storetest.NewClock(time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC))
	return fixture{api: New(Options{Store: store.New(kv, clock.Now), Plugin: p, Limits: engineLimits(t)}), plugin: p, kv: kv}
}

// The limits come from the real engine.js, as at activation, so these tests hold Go to the engine.
var (
	limitsOnce   sync.Once
	limitsLoaded Limits
	limitsErr    error
)

func engineLimits(t testing.TB) Limits {
	t.Helper()
	limitsOnce.Do(func() {
		eng, err := engine.New(engine.Options{Runtimes: 1})
		if err != nil {
			limitsErr = err
			return
		}
		limitsLoaded, limitsErr = LoadLimits(context.Background(), eng)
	})
	if limitsErr != nil {
		t.Fatal(limitsErr)
	}
	return limitsLoaded
}

func (f fixture) call(method, path, user string, body io.Reader) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, body)
	if user != "" {
		r.Header.Set(userIDHeader, user)
	}
	w := httptest.NewRecorder()
	f.api.ServeHTTP(w, r)
	return w
}

func (f fixture) json(t *testing.T, method, path, body string, wantStatus int, out any) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	w := f.call(method, prefix+path, admin, reader)
	if w.Code != wantStatus {
		t.Fatalf("%s %s = %d %s, want %d", method, path, w.Code, w.Body, wantStatus)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, w.Body)
		}
	}
}

const validPolicy = `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[]}`

const validWatch = `{"scan_minutes":5,"alert_channel_id":"","alert_findings":["owner_system_admin"],` +
	`"digest":{"schedule":"off","hour_utc":9,"weekday":1,"channel_id":""},"offboarding":"alert"}`

// policyWithWatch is a valid policy whose watch preferences have old replaced by new.
func policyWithWatch(old, new string) string {
	watch := strings.Replace(validWatch, old, new, 1)
	return strings.TrimSuffix(validPolicy, "}") + `,"watch":` + watch + `}`
}

// exemptionEnding is a valid policy with one exemption whose expires_at is the JSON value given.
func exemptionEnding(expiresAt string) string {
	return `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"x","expires_at":` + expiresAt + `}]}`
}

func validView(name string) string {
	return `{"name":"` + name + `","query":"","filters":{"state":"all","findings":[],"owner_kinds":[]},` +
		`"sort":{"column":"owner","direction":"asc"},"columns":["owner"],"page_size":50}`
}

func trailInput(fields string) string {
	return `{"records":[{"action_id":"actionaaaaaaaaaaaaaaaaaaaa","action":"revoke","source":"console",` + fields + `}]}`
}

func TestErrors(t *testing.T) {
	limits := engineLimits(t)
	tests := []struct {
		name         string
		method, path string
		user         string
		body         string
		status       int
		code         string
	}{
		{"no user", "GET", "/policy", "", "", 401, "unauthorized"},
		{"not an admin", "GET", "/policy", member, "", 403, "forbidden"},
		{"not an admin, unknown route", "GET", "/nope", member, "", 403, "forbidden"},
		{"unknown route", "GET", "/nope", admin, "", 404, "not_found"},
		{"unknown subroute", "POST", "/trail/x", admin, "{}", 404, "not_found"},
		{"wrong method", "DELETE", "/policy", admin, "", 405, "method_not_allowed"},
		{"GET on a POST route", "GET", "/seen", admin, "", 405, "method_not_allowed"},

		{"empty body", "PUT", "/policy", admin, "", 400, "invalid_json"},
		{"malformed JSON", "PUT", "/policy", admin, `{"version":`, 400, "invalid_json"},
		{"trailing data", "PUT", "/policy", admin, validPolicy + ` {}`, 400, "invalid_json"},
		{"trailing garbage", "PUT", "/policy", admin, validPolicy + `x`, 400, "invalid_json"},
		{"unknown field", "PUT", "/policy", admin, `{"version":0,"extra":1}`, 400, "invalid_json"},
		{"unknown nested field", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[],"findings":{"expired":true}}`, 400, "invalid_json"},
		{"wrong type", "PUT", "/policy", admin, `{"version":"1"}`, 400, "invalid_json"},
		{"missing version", "PUT", "/policy", admin, `{"stale_after_days":30,"expiring_within_days":7,"exemptions":[]}`, 400, "invalid_value"},
		{"stale_after_days 0", "PUT", "/policy", admin, `{"version":0,"stale_after_days":0,"expiring_within_days":7,"exemptions":[]}`, 400, "invalid_value"},
		{"stale_after_days 3651", "PUT", "/policy", admin, `{"version":0,"stale_after_days":3651,"expiring_within_days":7,"exemptions":[]}`, 400, "invalid_value"},
		{"expiring_within_days 366", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":366,"exemptions":[]}`, 400, "invalid_value"},
		{"missing exemptions", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7}`, 400, "invalid_value"},
		{"bad exemption kind", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"team","id":"` + tokenID + `","reason":"x"}]}`, 400, "invalid_value"},
		{"bad exemption id", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"ABC","reason":"x"}]}`, 400, "invalid_value"},
		{"blank reason", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":" "}]}`, 400, "invalid_value"},
		{"long reason", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"` + strings.Repeat("é", 501) + `"}]}`, 400, "invalid_value"},
		{"reason with an escape sequence", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"ok\u001b[31m"}]}`, 400, "invalid_value"},
		{"reason with a bidi override", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"approved \u202edenied"}]}`, 400, "invalid_value"},
		{"reason not UTF-8", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"ok` + "\xff\xfe" + `"}]}`, 400, "invalid_json"},
		{"exemption added_by", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"x","added_by":"` + admin + `"}]}`, 400, "invalid_json"},
		{"watch not an object", "PUT", "/policy", admin, strings.TrimSuffix(validPolicy, "}") + `,"watch":5}`, 400, "invalid_json"},
		{"watch scan_minutes text", "PUT", "/policy", admin, policyWithWatch(`"scan_minutes":5`, `"scan_minutes":"5"`), 400, "invalid_json"},
		{"watch scan_minutes fraction", "PUT", "/policy", admin, policyWithWatch(`"scan_minutes":5`, `"scan_minutes":2.5`), 400, "invalid_json"},
		{"watch scan_minutes 0", "PUT", "/policy", admin, policyWithWatch(`"scan_minutes":5`, `"scan_minutes":0`), 400, "invalid_value"},
		{"watch scan_minutes 1441", "PUT", "/policy", admin, policyWithWatch(`"scan_minutes":5`, `"scan_minutes":1441`), 400, "invalid_value"},
		{"watch scan_minutes missing", "PUT", "/policy", admin, policyWithWatch(`"scan_minutes":5,`, ``), 400, "invalid_value"},
		{"watch alert channel malformed", "PUT", "/policy", admin, policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"town-square"`), 400, "invalid_value"},
		{"watch alert channel missing", "PUT", "/policy", admin, policyWithWatch(`"alert_channel_id":"",`, ``), 400, "invalid_value"},
		{"watch alert findings missing", "PUT", "/policy", admin, policyWithWatch(`"alert_findings":["owner_system_admin"],`, ``), 400, "invalid_value"},
		{"watch alert finding unknown", "PUT", "/policy", admin, policyWithWatch(`["owner_system_admin"]`, `["expired"]`), 400, "invalid_value"},
		{"watch alert finding twice", "PUT", "/policy", admin, policyWithWatch(`["owner_system_admin"]`, `["stale","stale"]`), 400, "invalid_value"},
		{"watch alert findings not a list", "PUT", "/policy", admin, policyWithWatch(`["owner_system_admin"]`, `"stale"`), 400, "invalid_json"},
		{"watch digest missing", "PUT", "/policy", admin, policyWithWatch(`"digest":{"schedule":"off","hour_utc":9,"weekday":1,"channel_id":""},`, ``), 400, "invalid_value"},
		{"watch digest schedule unknown", "PUT", "/policy", admin, policyWithWatch(`"schedule":"off"`, `"schedule":"hourly"`), 400, "invalid_value"},
		{"watch digest hour 24", "PUT", "/policy", admin, policyWithWatch(`"hour_utc":9`, `"hour_utc":24`), 400, "invalid_value"},
		{"watch digest hour negative", "PUT", "/policy", admin, policyWithWatch(`"hour_utc":9`, `"hour_utc":-1`), 400, "invalid_value"},
		{"watch digest hour missing", "PUT", "/policy", admin, policyWithWatch(`"hour_utc":9,`, ``), 400, "invalid_value"},
		{"watch digest weekday 7", "PUT", "/policy", admin, policyWithWatch(`"weekday":1`, `"weekday":7`), 400, "invalid_value"},
		{"watch digest channel malformed", "PUT", "/policy", admin, policyWithWatch(`"channel_id":""`, `"channel_id":"ABCDEFGHIJKLMNOPQRSTUVWXYZ"`), 400, "invalid_value"},
		{"watch alert channel unknown", "PUT", "/policy", admin, policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"`+tokenID+`"`), 400, "invalid_value"},
		{"watch alert channel archived", "PUT", "/policy", admin, policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"`+archivedChannel+`"`), 400, "invalid_value"},
		{"watch alert channel a DM", "PUT", "/policy", admin, policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"`+dmChannel+`"`), 400, "invalid_value"},
		{"watch digest channel unknown", "PUT", "/policy", admin, policyWithWatch(`"channel_id":""`, `"channel_id":"`+tokenID+`"`), 400, "invalid_value"},
		{"watch digest unknown field", "PUT", "/policy", admin, policyWithWatch(`"weekday":1`, `"weekday":1,"minute":5`), 400, "invalid_json"},
		{"watch offboarding unknown", "PUT", "/policy", admin, policyWithWatch(`"offboarding":"alert"`, `"offboarding":"delete"`), 400, "invalid_value"},
		{"watch unknown field", "PUT", "/policy", admin, policyWithWatch(`"offboarding":"alert"`, `"offboarding":"alert","mute":true`), 400, "invalid_json"},
		{"exemption end negative", "PUT", "/policy", admin, exemptionEnding("-1"), 400, "invalid_value"},
		{"exemption end in the past", "PUT", "/policy", admin, exemptionEnding("1768391999999"), 400, "invalid_value"},
		{"exemption end now", "PUT", "/policy", admin, exemptionEnding("1768392000000"), 400, "invalid_value"},
		{"exemption end over ten years ahead", "PUT", "/policy", admin, exemptionEnding("2083752000001"), 400, "invalid_value"},
		{"exemption end absurd", "PUT", "/policy", admin, exemptionEnding("9223372036854775807"), 400, "invalid_value"},
		{"exemption end too big for a number", "PUT", "/policy", admin, exemptionEnding("1e30"), 400, "invalid_json"},
		{"exemption end as text", "PUT", "/policy", admin, exemptionEnding(`"2027-01-01"`), 400, "invalid_json"},
		{"exemption end fraction", "PUT", "/policy", admin, exemptionEnding("1768392000000.5"), 400, "invalid_json"},
		{"duplicate exemption", "PUT", "/policy", admin, `{"version":0,"stale_after_days":30,"expiring_within_days":7,"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"a"},{"kind":"token","id":"` + tokenID + `","reason":"b"}]}`, 400, "invalid_value"},

		{"views missing", "PUT", "/views", admin, `{}`, 400, "invalid_value"},
		{"view bad state", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"all"`, `"some"`, 1) + `]}`, 400, "invalid_value"},
		{"view bad finding", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"findings":[]`, `"findings":["risky"]`, 1) + `]}`, 400, "invalid_value"},
		{"view bad owner kind", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"owner_kinds":[]`, `"owner_kinds":["guest"]`, 1) + `]}`, 400, "invalid_value"},
		{"view bad column", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `["owner"]`, `["secret"]`, 1) + `]}`, 400, "invalid_value"},
		{"view bad direction", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"asc"`, `"up"`, 1) + `]}`, 400, "invalid_value"},
		{"view page_size 9", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"page_size":50`, `"page_size":9`, 1) + `]}`, 400, "invalid_value"},
		{"view page_size 501", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"page_size":50`, `"page_size":501`, 1) + `]}`, 400, "invalid_value"},
		{"view empty name", "PUT", "/views", admin, `{"views":[` + validView("") + `]}`, 400, "invalid_value"},
		{"view long name", "PUT", "/views", admin, `{"views":[` + validView(strings.Repeat("n", 65)) + `]}`, 400, "invalid_value"},
		{"view long query", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"query":""`, `"query":"`+strings.Repeat("q", 201)+`"`, 1) + `]}`, 400, "invalid_value"},
		{"view name with a NUL", "PUT", "/views", admin, `{"views":[` + validView(`a\u0000`) + `]}`, 400, "invalid_value"},
		{"view query with an isolate", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"query":""`, `"query":"\u2067x"`, 1) + `]}`, 400, "invalid_value"},
		{"view names repeat", "PUT", "/views", admin, `{"views":[` + validView("a") + `,` + validView("a") + `]}`, 400, "invalid_value"},
		{"view unknown field", "PUT", "/views", admin, `{"views":[` + strings.Replace(validView("a"), `"query"`, `"color":1,"query"`, 1) + `]}`, 400, "invalid_json"},
		{"too many views", "PUT", "/views", admin, `{"views":[` + manyViews(51) + `]}`, 400, "invalid_value"},

		{"seen without ids", "POST", "/seen", admin, `{"complete":true}`, 400, "invalid_value"},
		{"seen bad id", "POST", "/seen", admin, `{"token_ids":["short"]}`, 400, "invalid_value"},
		{"seen complete not bool", "POST", "/seen", admin, `{"token_ids":[],"complete":"yes"}`, 400, "invalid_json"},
		{"lookup unknown field", "POST", "/seen/lookup", admin, `{"token_ids":[],"complete":true}`, 400, "invalid_json"},
		{"seen range without complete", "POST", "/seen", admin, `{"token_ids":[],"through":"` + tokenID + `"}`, 400, "invalid_value"},
		{"seen range bound not an id", "POST", "/seen", admin, `{"token_ids":[],"complete":true,"after":"short"}`, 400, "invalid_value"},
		{"seen range backwards", "POST", "/seen", admin, `{"token_ids":[],"complete":true,"after":"` + tokenID + `","through":"` + tokenID + `"}`, 400, "invalid_value"},
		{"seen id outside its range", "POST", "/seen", admin, `{"token_ids":["` + tokenID + `"],"complete":true,"after":"` + tokenID + `"}`, 400, "invalid_value"},
		{"seen over the engine's ids per request", "POST", "/seen", admin, `{"token_ids":[` + strings.TrimSuffix(strings.Repeat(`"`+tokenID+`",`, limits.SeenIDsPerRequest+1), ",") + `]}`, 400, "invalid_value"},

		{"no records", "POST", "/trail", admin, `{"records":[]}`, 400, "invalid_value"},
		{"bad phase", "POST", "/trail", admin, trailInput(`"phase":"plan","token_id":"` + tokenID + `"`), 400, "invalid_value"},
		{"outcome on intent", "POST", "/trail", admin, trailInput(`"phase":"intent","token_id":"` + tokenID + `","outcome":"ok"`), 400, "invalid_value"},
		{"outcome missing", "POST", "/trail", admin, trailInput(`"phase":"outcome","token_id":"` + tokenID + `"`), 400, "invalid_value"},
		{"error with ok", "POST", "/trail", admin, trailInput(`"phase":"outcome","token_id":"` + tokenID + `","outcome":"ok","error":"x"`), 400, "invalid_value"},
		{"long error", "POST", "/trail", admin, trailInput(`"phase":"outcome","token_id":"` + tokenID + `","outcome":"error","error":"` + strings.Repeat("e", 1001) + `"`), 400, "invalid_value"},
		{"single without token", "POST", "/trail", admin, trailInput(`"phase":"intent"`), 400, "invalid_value"},
		{"bad owner", "POST", "/trail", admin, trailInput(`"phase":"intent","token_id":"` + tokenID + `","owner_id":"x"`), 400, "invalid_value"},
		{"negative count", "POST", "/trail", admin, trailInput(`"phase":"intent","token_id":"` + tokenID + `","count":-1`), 400, "invalid_value"},
		{"client policy_update", "POST", "/trail", admin, strings.Replace(trailInput(`"phase":"intent","token_id":"`+tokenID+`"`), `"revoke"`, `"policy_update"`, 1), 400, "invalid_value"},
		{"bad source", "POST", "/trail", admin, strings.Replace(trailInput(`"phase":"intent","token_id":"`+tokenID+`"`), `"console"`, `"cli"`, 1), 400, "invalid_value"},
		{"client sets detail", "POST", "/trail", admin, trailInput(`"phase":"intent","token_id":"` + tokenID + `","detail":"x"`), 400, "invalid_json"},
		{"client sets id", "POST", "/trail", admin, trailInput(`"phase":"intent","token_id":"` + tokenID + `","id":"x"`), 400, "invalid_json"},

		{"limit 0", "GET", "/trail?limit=0", admin, "", 400, "invalid_value"},
		{"limit 201", "GET", "/trail?limit=201", admin, "", 400, "invalid_value"},
		{"limit text", "GET", "/trail?limit=ten", admin, "", 400, "invalid_value"},
		{"bad before", "GET", "/trail?before=" + tokenID, admin, "", 400, "invalid_value"},
		{"bad actor", "GET", "/trail?actor=me", admin, "", 400, "invalid_value"},
		{"bad action", "GET", "/trail?action=delete", admin, "", 400, "invalid_value"},
		{"unknown parameter", "GET", "/trail?sort=asc", admin, "", 400, "invalid_value"},
		{"repeated parameter", "GET", "/trail?limit=1&limit=2", admin, "", 400, "invalid_value"},

		{"ephemeral bad channel", "POST", "/ephemeral", admin, `{"channel_id":"town-square","message":"hi"}`, 400, "invalid_value"},
		{"ephemeral empty message", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","message":""}`, 400, "invalid_value"},
		{"ephemeral long message", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","message":"` + strings.Repeat("m", limits.MaxMessageLength+1) + `"}`, 400, "invalid_value"},
		{"ephemeral unreadable channel", "POST", "/ephemeral", admin, `{"channel_id":"` + secretChannel + `","message":"hi"}`, 403, "channel_forbidden"},
		{"ephemeral bad root", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","root_id":"thread-1","message":"hi"}`, 400, "invalid_value"},
		{"ephemeral unknown root", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","root_id":"` + tokenID + `","message":"hi"}`, 400, "invalid_value"},
		{"ephemeral root in another channel", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","root_id":"` + otherRootPost + `","message":"hi"}`, 400, "invalid_value"},
		{"ephemeral root not a string", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","root_id":1,"message":"hi"}`, 400, "invalid_json"},
		{"ephemeral chooses the recipient", "POST", "/ephemeral", admin, `{"channel_id":"` + channel + `","user_id":"` + admin2 + `","message":"hi"}`, 400, "invalid_json"},
		{"replace bad id", "PUT", "/ephemeral/not-an-id", admin, `{"message":"hi"}`, 400, "invalid_value"},
		{"replace unknown post", "PUT", "/ephemeral/" + tokenID, admin, `{"message":"hi"}`, 404, "not_found"},
		{"replace empty message", "PUT", "/ephemeral/" + tokenID, admin, `{"message":""}`, 400, "invalid_value"},
		{"replace blank message", "PUT", "/ephemeral/" + tokenID, admin, `{"message":" \n "}`, 400, "invalid_value"},
		{"replace long message", "PUT", "/ephemeral/" + tokenID, admin, `{"message":"` + strings.Repeat("m", limits.MaxMessageLength+1) + `"}`, 400, "invalid_value"},
		{"replace moves channel", "PUT", "/ephemeral/" + tokenID, admin, `{"message":"hi","channel_id":"` + channel + `"}`, 400, "invalid_json"},
		{"replace without id", "PUT", "/ephemeral", admin, `{"message":"hi"}`, 405, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			w := f.call(tt.method, prefix+tt.path, tt.user, body)
			if w.Code != tt.status {
				t.Fatalf("status %d %s, want %d", w.Code, w.Body, tt.status)
			}
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("%v in %q", err, w.Body)
			}
			if e.Error != tt.code || e.Detail == "" {
				t.Fatalf("body %s, want error %q with a detail", w.Body, tt.code)
			}
			if tt.status == 405 && w.Header().Get("Allow") == "" {
				t.Fatalf("Allow = %q", w.Header().Get("Allow"))
			}
			if f.kv.Writes() != 0 {
				t.Fatalf("a refused request wrote %d keys", f.kv.Writes())
			}
		})
	}
}

func manyViews(n int) string {
	views := make([]string, n)
	for i := range views {
		views[i] = validView(fmt.Sprint("v", i))
	}
	return strings.Join(views, ",")
}

// unsized hides the length of a body, as a chunked upload does.
type unsized struct{ io.Reader }

func TestBodyLimits(t *testing.T) {
	seenBody := func(pad int) string {
		return `{"token_ids":[]` + strings.Repeat(" ", pad) + `}`
	}
	tests := []struct {
		name   string
		path   string
		body   string
		sized  bool
		status int
	}{
		{"policy over 1 MiB", "/policy", validPolicy + strings.Repeat(" ", 1<<20), true, 413},
		{"policy over 1 MiB, unsized", "/policy", validPolicy + strings.Repeat(" ", 1<<20), false, 413},
		{"seen under 1 MiB", "/seen", seenBody(1<<20 - 100), true, 200},
		{"seen over 1 MiB", "/seen", seenBody(1 << 20), true, 413},
		{"seen over 1 MiB, unsized", "/seen/lookup", seenBody(1 << 20), false, 413},
		{"the largest seen part a client sends", "/seen", largestSeenPart(t), true, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			method := http.MethodPost
			if tt.path == "/policy" {
				method = http.MethodPut
			}
			var body io.Reader = strings.NewReader(tt.body)
			if !tt.sized {
				body = unsized{body}
			}
			w := f.call(method, prefix+tt.path, admin, body)
			if w.Code != tt.status {
				t.Fatalf("status %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if tt.status == 413 && !strings.Contains(w.Body.String(), `"too_large"`) {
				t.Fatalf("body %s", w.Body)
			}
		})
	}
}

// largestSeenPart is a complete report's middle part of the most ids the engine lets a client
// send at once, as webapp/src/client/plugin.ts writes it: it must fit the body limit.
func largestSeenPart(t *testing.T) string {
	ids := make([]string, engineLimits(t).SeenIDsPerRequest)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%025d", i+1)
	}
	body, _ := json.Marshal(map[string]any{"token_ids": ids, "complete": true, "after": fmt.Sprintf("t%025d", 0), "through": ids[len(ids)-1]})
	return string(body)
}

func TestPolicyRoutes(t *testing.T) {
	f := newFixture(t)
	var p store.Policy
	f.json(t, "GET", "/policy", "", 200, &p)
	if p.Version != 0 || p.StaleAfterDays != 90 || !p.Findings.Disabled || p.Exemptions == nil {
		t.Fatalf("default = %+v", p)
	}

	body := `{"version":0,"stale_after_days":30,"expiring_within_days":7,"findings":{"stale":false},` +
		`"exemptions":[{"kind":"token","id":"` + tokenID + `","reason":"CI runner"}]}`
	f.json(t, "PUT", "/policy", body, 200, &p)
	if p.Version != 1 || p.StaleAfterDays != 30 || p.Findings.Stale || !p.Findings.OwnerBot || p.UpdatedBy != admin ||
		len(p.Exemptions) != 1 || p.Exemptions[0].AddedBy != admin {
		t.Fatalf("after PUT = %+v", p)
	}

	// A second admin editing version 0 loses, and is shown what is current.
	var conflict struct {
		Error   string       `json:"error"`
		Detail  string       `json:"detail"`
		Current store.Policy `json:"current"`
	}
	f.json(t, "PUT", "/policy", body, 409, &conflict)
	if conflict.Error != "conflict" || conflict.Current.Version != 1 || conflict.Current.StaleAfterDays != 30 {
		t.Fatalf("conflict = %+v", conflict)
	}

	var trail struct {
		Records []store.TrailRecord `json:"records"`
	}
	f.json(t, "GET", "/trail", "", 200, &trail)
	if len(trail.Records) != 1 {
		t.Fatalf("trail = %+v", trail.Records)
	}
	r := trail.Records[0]
	if r.Action != "policy_update" || r.ActorID != admin || !strings.Contains(r.Detail, "exemption added: token "+tokenID) ||
		!strings.Contains(r.Detail, "stale_after_days 90 → 30") {
		t.Fatalf("policy record = %+v", r)
	}
}

func TestViewsRoutes(t *testing.T) {
	f := newFixture(t)
	var doc store.ViewsDoc
	f.json(t, "GET", "/views", "", 200, &doc)
	if doc.Views == nil || len(doc.Views) != 0 || doc.LastReviewedAt != 0 {
		t.Fatalf("initial = %+v", doc)
	}

	// Lists left out come back as empty lists.
	sparse := `{"views":[{"name":"bots","filters":{"state":"active"},"sort":{"column":"owner","direction":"desc"},"page_size":100}]}`
	f.json(t, "PUT", "/views", sparse, 200, &doc)
	if len(doc.Views) != 1 || doc.Views[0].Columns == nil || doc.Views[0].Filters.Findings == nil {
		t.Fatalf("after PUT = %+v", doc)
	}
	f.json(t, "POST", "/views/reviewed", "", 200, &doc)
	if doc.LastReviewedAt == 0 || len(doc.Views) != 1 {
		t.Fatalf("after review = %+v", doc)
	}

	w := f.call("GET", prefix+"/views", admin2, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"views":[]`) {
		t.Fatalf("another admin sees %s", w.Body)
	}
}

func TestSeenRoutes(t *testing.T) {
	f := newFixture(t)
	ids := []string{tokenID, "tokenbbbbbbbbbbbbbbbbbbbbb", tokenID}
	body, _ := json.Marshal(map[string]any{"token_ids": ids, "complete": true})
	var res store.SeenResult
	f.json(t, "POST", "/seen", string(body), 200, &res)
	if len(res.Tokens) != 2 || res.KVWrites < 1 || res.KVWrites > 16 || res.Removed == nil {
		t.Fatalf("seen = %+v", res)
	}

	f.json(t, "POST", "/seen", `{"token_ids":["`+tokenID+`"],"complete":true}`, 200, &res)
	if len(res.Removed) != 1 || res.Removed["tokenbbbbbbbbbbbbbbbbbbbbb"].RemovedAt == 0 {
		t.Fatalf("complete scan = %+v", res)
	}

	var found struct {
		Tokens map[string]store.SeenEntry `json:"tokens"`
	}
	f.json(t, "POST", "/seen/lookup", `{"token_ids":["`+tokenID+`","unknownaaaaaaaaaaaaaaaaaaa"]}`, 200, &found)
	if len(found.Tokens) != 1 || found.Tokens[tokenID].FirstSeen == 0 {
		t.Fatalf("lookup = %+v", found)
	}
}

func TestTrailRoutes(t *testing.T) {
	f := newFixture(t)
	var records []string
	for i := range 5 {
		records = append(records,
			`{"action_id":"actionaaaaaaaaaaaaaaaaaaa`+fmt.Sprint(i)+`","phase":"intent","action":"revoke","token_id":"`+tokenID+`","source":"console"}`,
			`{"action_id":"actionaaaaaaaaaaaaaaaaaaa`+fmt.Sprint(i)+`","phase":"outcome","action":"revoke","token_id":"`+tokenID+`","outcome":"error","error":"gone","source":"console"}`)
	}
	records = append(records, `{"action_id":"bulkaaaaaaaaaaaaaaaaaaaaaa","phase":"outcome","action":"bulk_disable","outcome":"ok","count":5,"source":"command"}`)
	var created struct {
		Records []store.TrailRecord `json:"records"`
	}
	f.json(t, "POST", "/trail", `{"records":[`+strings.Join(records, ",")+`]}`, 201, &created)
	if len(created.Records) != 11 || created.Records[0].ActorID != admin || created.Records[0].At == 0 {
		t.Fatalf("created = %+v", created.Records)
	}

	type page struct {
		Records []store.TrailRecord `json:"records"`
		Next    string              `json:"next"`
	}
	var p page
	f.json(t, "GET", "/trail?limit=4", "", 200, &p)
	if len(p.Records) != 4 || p.Records[0].Action != "bulk_disable" || p.Next != p.Records[3].ID {
		t.Fatalf("first page = %+v", p)
	}
	f.json(t, "GET", "/trail?limit=10&before="+p.Next, "", 200, &p)
	if len(p.Records) != 7 || p.Next != "" {
		t.Fatalf("second page: %d records, next %q", len(p.Records), p.Next)
	}
	f.json(t, "GET", "/trail?action=bulk_disable&actor="+admin+"&token=&before=", "", 200, &p)
	if len(p.Records) != 1 {
		t.Fatalf("filtered: %d records", len(p.Records))
	}
	f.json(t, "GET", "/trail?owner="+admin, "", 200, &p)
	if p.Records == nil || len(p.Records) != 0 {
		t.Fatalf("no match = %+v", p)
	}
}

func TestEphemeral(t *testing.T) {
	f := newFixture(t)
	var sent struct{ ID string }
	f.json(t, "POST", "/ephemeral", `{"channel_id":"`+channel+`","message":"**3** tokens"}`, 201, &sent)
	if len(f.plugin.posts) != 1 {
		t.Fatalf("%d posts sent", len(f.plugin.posts))
	}
	if p := f.plugin.posts[0]; p.UserId != admin || p.ChannelId != channel || p.RootId != "" || p.Message != "**3** tokens" || p.Id != sent.ID {
		t.Fatalf("post = %+v, answered id %q", p, sent.ID)
	}
	if ttl := f.kv.TTL("placeholder_" + sent.ID); ttl != store.PlaceholderTTL {
		t.Fatalf("placeholder kept for %v", ttl)
	}
}

func TestEphemeralInThreadIsReplacedInPlace(t *testing.T) {
	f := newFixture(t)
	var sent struct{ ID string }
	f.json(t, "POST", "/ephemeral", `{"channel_id":"`+channel+`","root_id":"`+rootPost+`","message":"Working on /tokens list…"}`, 201, &sent)
	if p := f.plugin.posts[0]; p.RootId != rootPost {
		t.Fatalf("post = %+v", p)
	}
	// Replaced twice: a retried PUT whose first answer was lost does no harm.
	for range 2 {
		f.json(t, "PUT", "/ephemeral/"+sent.ID, `{"message":"**3** tokens"}`, 204, nil)
	}
	if len(f.plugin.updates) != 2 {
		t.Fatalf("%d updates", len(f.plugin.updates))
	}
	if u := f.plugin.updates[1]; u.Id != sent.ID || u.UserId != admin || u.ChannelId != channel || u.RootId != rootPost || u.Message != "**3** tokens" {
		t.Fatalf("update = %+v", u)
	}
	if len(f.plugin.posts) != 1 {
		t.Fatalf("replacing sent %d new posts", len(f.plugin.posts)-1)
	}
}

func TestEphemeralOfAnotherAdminCannotBeReplaced(t *testing.T) {
	f := newFixture(t)
	var sent struct{ ID string }
	f.json(t, "POST", "/ephemeral", `{"channel_id":"`+channel+`","message":"Working on /tokens audit…"}`, 201, &sent)
	w := f.call("PUT", prefix+"/ephemeral/"+sent.ID, admin2, strings.NewReader(`{"message":"spoofed"}`))
	if w.Code != 404 || len(f.plugin.updates) != 0 {
		t.Fatalf("status %d %s, %d updates", w.Code, w.Body, len(f.plugin.updates))
	}
}

func TestStoreFailureIs500(t *testing.T) {
	f := newFixture(t)
	f.kv.Set("policy", []byte("not json"))
	w := f.call("GET", prefix+"/policy", admin, nil)
	if w.Code != 500 || !strings.Contains(w.Body.String(), `"internal"`) || len(f.plugin.errors) != 1 {
		t.Fatalf("status %d %s, logged %v", w.Code, w.Body, f.plugin.errors)
	}
}

func TestPolicyWatchRoutes(t *testing.T) {
	f := newFixture(t)
	chosen := `{"scan_minutes":1440,"alert_channel_id":"` + channel + `","alert_findings":["stale","owner_bot"],` +
		`"digest":{"schedule":"weekly","hour_utc":0,"weekday":0,"channel_id":"` + channel + `"},"offboarding":"revoke"}`
	want := store.Watch{
		ScanMinutes: 1440, AlertChannelID: channel, AlertFindings: []string{"stale", "owner_bot"},
		Digest:      store.Digest{Schedule: "weekly", HourUTC: 0, Weekday: 0, ChannelID: channel},
		Offboarding: "revoke",
	}
	var p store.Policy
	f.json(t, "PUT", "/policy", strings.TrimSuffix(validPolicy, "}")+`,"watch":`+chosen+`}`, 200, &p)
	if !reflect.DeepEqual(p.Watch, want) {
		t.Fatalf("watch after PUT = %+v", p.Watch)
	}

	// A policy sent without watch preferences keeps the stored ones.
	f.json(t, "PUT", "/policy", strings.Replace(validPolicy, `"version":0`, `"version":1`, 1), 200, &p)
	f.json(t, "GET", "/policy", "", 200, &p)
	if p.Version != 2 || !reflect.DeepEqual(p.Watch, want) {
		t.Fatalf("after a PUT without watch = %+v", p)
	}

	var trail struct {
		Records []store.TrailRecord `json:"records"`
	}
	f.json(t, "GET", "/trail", "", 200, &trail)
	if len(trail.Records) != 2 || !strings.Contains(trail.Records[1].Detail, "watch.offboarding alert → revoke") {
		t.Fatalf("trail = %+v", trail.Records)
	}

	// A refusal names the field and its bounds.
	writes := f.kv.Writes()
	w := f.call("PUT", prefix+"/policy", admin, strings.NewReader(strings.Replace(policyWithWatch(`"hour_utc":9`, `"hour_utc":24`), `"version":0`, `"version":2`, 1)))
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 400 || e.Detail != "watch.digest.hour_utc must be a whole number from 0 to 23." {
		t.Fatalf("refusal = %d %s", w.Code, w.Body)
	}
	if f.kv.Writes() != writes {
		t.Fatal("a refused policy was written")
	}
}

func TestPolicyExemptionEnds(t *testing.T) {
	f := newFixture(t)
	// The fixture's clock stands at 2026-01-14T12:00:00Z; ten years ahead is still accepted.
	var p store.Policy
	f.json(t, "PUT", "/policy", exemptionEnding("2083752000000"), 200, &p)
	if len(p.Exemptions) != 1 || p.Exemptions[0].ExpiresAt != 2083752000000 {
		t.Fatalf("after PUT = %+v", p.Exemptions)
	}
	var trail struct {
		Records []store.TrailRecord `json:"records"`
	}
	f.json(t, "GET", "/trail", "", 200, &trail)
	if !strings.Contains(trail.Records[0].Detail, "until 2036-01-12T12:00:00Z") {
		t.Fatalf("trail detail = %q", trail.Records[0].Detail)
	}

	w := f.call("PUT", prefix+"/policy", admin, strings.NewReader(strings.Replace(exemptionEnding("1768391000000"), `"version":0`, `"version":1`, 1)))
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 400 ||
		e.Detail != "exemptions[0].expires_at (1768391000000) has passed: a new or changed end must be in the future." {
		t.Fatalf("a past end = %d %s", w.Code, w.Body)
	}
	f.json(t, "GET", "/policy", "", 200, &p)
	if p.Version != 1 || p.Exemptions[0].ExpiresAt != 2083752000000 {
		t.Fatalf("a refused end changed the policy: %+v", p)
	}
}

func TestPolicyWatchChannelStoredBeforeItWasArchived(t *testing.T) {
	f := newFixture(t)
	// Saved while the channel was live; archived since.
	f.kv.Set("policy", []byte(`{"version":1,"stale_after_days":30,"expiring_within_days":7,"exemptions":[],`+
		`"watch":{"scan_minutes":5,"alert_channel_id":"`+archivedChannel+`","alert_findings":[],"digest":{"schedule":"off","hour_utc":9,"weekday":1,"channel_id":""},"offboarding":"alert"}}`))
	body := strings.Replace(policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"`+archivedChannel+`"`), `"version":0`, `"version":1`, 1)
	var p store.Policy
	f.json(t, "PUT", "/policy", body, 200, &p)

	// A private channel may be chosen; the archived one may not be chosen again once left.
	private := strings.Replace(policyWithWatch(`"alert_channel_id":""`, `"alert_channel_id":"`+secretChannel+`"`), `"version":0`, `"version":2`, 1)
	f.json(t, "PUT", "/policy", private, 200, &p)
	if p.Watch.AlertChannelID != secretChannel {
		t.Fatalf("watch = %+v", p.Watch)
	}
	f.json(t, "PUT", "/policy", strings.Replace(body, `"version":1`, `"version":3`, 1), 400, nil)
}
