package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/store/storetest"
	"github.com/tokenaudit/token-audit/server/watch"
)

// campaignPlugin adds to fakePlugin what the real campaign code (package watch) calls; nothing here
// posts or revokes, so those calls fail loudly if a refused request ever reaches them.
type campaignPlugin struct {
	*fakePlugin
}

func (campaignPlugin) GetUser(id string) (*model.User, *model.AppError) {
	return &model.User{Id: id, Username: "u" + id[:5]}, nil
}

func (campaignPlugin) GetBot(string, bool) (*model.Bot, *model.AppError) {
	return nil, model.NewAppError("GetBot", "not_found", nil, "", http.StatusNotFound)
}

func (campaignPlugin) GetUsers(*model.UserGetOptions) ([]*model.User, *model.AppError) {
	return nil, nil
}

func (campaignPlugin) GetUsersByIds([]string) ([]*model.User, *model.AppError) {
	return nil, nil
}

func (campaignPlugin) GetDirectChannel(string, string) (*model.Channel, *model.AppError) {
	return nil, model.NewAppError("GetDirectChannel", "unexpected", nil, "", http.StatusInternalServerError)
}

func (campaignPlugin) CreatePost(*model.Post) (*model.Post, *model.AppError) {
	return nil, model.NewAppError("CreatePost", "unexpected", nil, "", http.StatusInternalServerError)
}

func (campaignPlugin) RevokeUserAccessToken(string) *model.AppError {
	return model.NewAppError("RevokeUserAccessToken", "unexpected", nil, "", http.StatusInternalServerError)
}

func (campaignPlugin) GetConfig() *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	return cfg
}

func (campaignPlugin) LogWarn(string, ...any) {}
func (campaignPlugin) LogInfo(string, ...any) {}

// oneToken is the database as the campaign code reads it: one active token of member.
type oneToken struct{}

func (oneToken) All(context.Context) ([]source.Token, error) {
	return []source.Token{{ID: tokenID, UserID: member, Description: "laptop", IsActive: true}}, nil
}

func (oneToken) OfUser(context.Context, string) ([]source.Token, error) {
	return nil, nil
}

// campaignFixture is the API over the real campaign code and engine, on one KV.
func campaignFixture(t *testing.T) (fixture, *store.Store) {
	t.Helper()
	kv := storetest.NewMemKV()
	p := &fakePlugin{}
	clock := storetest.NewClock(time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC))
	s := store.New(kv, clock.Now)
	eng, err := engine.New(engine.Options{Runtimes: 1})
	if err != nil {
		t.Fatal(err)
	}
	w := watch.New(watch.Options{API: campaignPlugin{p}, Store: s, Engine: eng, Tokens: oneToken{}, PluginID: "token-audit", BotID: "botaaaaaaaaaaaaaaaaaaaaaaa", Now: clock.Now})
	return fixture{api: New(Options{Store: s, Plugin: p, Limits: engineLimits(t), Campaigns: w}), plugin: p, kv: kv}, s
}

const goodCampaign = `{"token_ids":["` + tokenID + `"],"grace_days":14,"undo_days":7,"keep_days":90,"note":"spring","filter":"all"}`

// withField is goodCampaign with one field's JSON value replaced (or the field removed when value is "").
func withField(field, value string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(goodCampaign), &m); err != nil {
		panic(err)
	}
	if value == "" {
		delete(m, field)
	} else {
		m[field] = json.RawMessage(value)
	}
	out, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// nothingStored fails unless the KV holds no campaign and the trail no record.
func nothingStored(t *testing.T, s *store.Store) {
	t.Helper()
	campaigns, err := s.ListCampaigns()
	if err != nil || len(campaigns) != 0 {
		t.Fatalf("campaigns %v, %v", campaigns, err)
	}
	records, _, err := s.ListTrail(store.TrailQuery{Limit: 10})
	if err != nil || len(records) != 0 {
		t.Fatalf("trail %+v, %v", records, err)
	}
}

func TestStartCampaignRefusesBadInputAndStoresNothing(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		body   string
		status int
		detail string
	}{
		{"no user", "", goodCampaign, 401, ""},
		{"not an admin", member, goodCampaign, 403, ""},
		{"not JSON", admin, `{"token_ids": [`, 400, ""},
		{"not UTF-8", admin, "{\"note\":\"\xff\"}", 400, "UTF-8"},
		{"two values", admin, goodCampaign + goodCampaign, 400, "single JSON value"},
		{"an array", admin, `[]`, 400, ""},
		{"token_ids a string", admin, withField("token_ids", `"`+tokenID+`"`), 400, ""},
		{"grace_days a string", admin, withField("grace_days", `"14"`), 400, ""},
		{"undo_days a fraction", admin, withField("undo_days", `1.5`), 400, ""},
		{"keep_days null", admin, withField("keep_days", `null`), 400, "keep_days is required"},
		{"note a number", admin, withField("note", `5`), 400, ""},
		{"grace_days missing", admin, withField("grace_days", ""), 400, "grace_days is required"},
		{"token_ids missing", admin, withField("token_ids", ""), 400, "token_ids is required"},
		{"unknown field", admin, withField("extra", `1`), 400, ""},
		{"no tokens", admin, withField("token_ids", `[]`), 400, "token_ids"},
		{"not an id", admin, withField("token_ids", `["nope"]`), 400, "token_ids"},
		{"an id twice", admin, withField("token_ids", `["`+tokenID+`","`+tokenID+`"]`), 400, "token_ids"},
		{"unknown token", admin, withField("token_ids", `["`+tokenID+`","tokenzzzzzzzzzzzzzzzzzzzzz"]`), 400, "tokenzzzzzzzzzzzzzzzzzzzzz"},
		{"grace_days 0", admin, withField("grace_days", `0`), 400, "grace_days"},
		{"undo_days over the limit", admin, withField("undo_days", `91`), 400, "undo_days"},
		{"keep_days negative", admin, withField("keep_days", `-1`), 400, "keep_days"},
		{"note too long", admin, withField("note", `"`+strings.Repeat("x", 1001)+`"`), 400, "note"},
		{"over 1 MiB", admin, withField("note", `"`+strings.Repeat("x", 1<<20)+`"`), 413, ""},
		{"over 1 MiB, unsized", admin, withField("filter", `"`+strings.Repeat("x", 1<<20)+`"`), 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := campaignFixture(t)
			var body io.Reader = strings.NewReader(tt.body)
			if strings.HasSuffix(tt.name, "unsized") {
				body = unsized{body}
			}
			w := f.call(http.MethodPost, prefix+"/campaigns", tt.user, body)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.detail) || !strings.Contains(w.Body.String(), `"error"`) {
				t.Fatalf("%d %s, want %d with %q", w.Code, w.Body, tt.status, tt.detail)
			}
			nothingStored(t, s)
		})
	}
}

func TestCampaignRoutes(t *testing.T) {
	f, s := campaignFixture(t)
	var started store.Campaign
	f.json(t, http.MethodPost, "/campaigns", goodCampaign, http.StatusCreated, &started)
	if len(started.Tokens) != 1 || started.Tokens[0].Stage != store.CampaignPicked || started.CreatedBy != admin {
		t.Fatalf("started %+v", started)
	}
	var list campaignList
	f.json(t, http.MethodGet, "/campaigns", "", http.StatusOK, &list)
	if len(list.Campaigns) != 1 || list.Campaigns[0].ID != started.ID {
		t.Fatalf("list %+v", list)
	}
	unknown := "campaignzzzzzzzzzzzzzzzzzz"
	disabled := func(id string) string { return "/campaigns/" + id + "/disabled" }
	tests := []struct {
		name         string
		method, path string
		user         string
		body         string
		status       int
	}{
		{"list, not an admin", "GET", "/campaigns", member, "", 403},
		{"list, no user", "GET", "/campaigns", "", "", 401},
		{"list, wrong method", "DELETE", "/campaigns", admin, "", 405},
		{"cancel, not an admin", "POST", "/campaigns/" + started.ID + "/cancel", member, "", 403},
		{"cancel, not an id", "POST", "/campaigns/nope/cancel", admin, "", 400},
		{"cancel, unknown", "POST", "/campaigns/" + unknown + "/cancel", admin, "", 404},
		{"cancel, wrong method", "GET", "/campaigns/" + started.ID + "/cancel", admin, "", 405},
		{"disabled, not an admin", "POST", disabled(started.ID), member, reported(tokenID, `"command"`), 403},
		{"disabled, not JSON", "POST", disabled(started.ID), admin, `{"token_id":`, 400},
		{"disabled, token_id a number", "POST", disabled(started.ID), admin, `{"token_id":5,"source":"command"}`, 400},
		{"disabled, token_id not an id", "POST", disabled(started.ID), admin, reported("nope", `"command"`), 400},
		{"disabled, no token_id", "POST", disabled(started.ID), admin, `{"source":"command"}`, 400},
		{"disabled, no source", "POST", disabled(started.ID), admin, `{"token_id":"` + tokenID + `"}`, 400},
		{"disabled, source a number", "POST", disabled(started.ID), admin, reported(tokenID, `5`), 400},
		{"disabled, source unknown", "POST", disabled(started.ID), admin, reported(tokenID, `"mobile"`), 400},
		{"disabled, source the server's own", "POST", disabled(started.ID), admin, reported(tokenID, `"job"`), 400},
		{"disabled, unknown field", "POST", disabled(started.ID), admin, `{"token_id":"` + tokenID + `","source":"command","stage":"disabled"}`, 400},
		{"disabled, over 1 MiB", "POST", disabled(started.ID), admin, `{"token_id":"` + tokenID + `","source":"command"` + strings.Repeat(" ", 1<<20) + `}`, 413},
		{"disabled, campaign not an id", "POST", disabled("nope"), admin, reported(tokenID, `"command"`), 400},
		{"disabled, unknown campaign", "POST", disabled(unknown), admin, reported(tokenID, `"command"`), 404},
		{"disabled, token not in the campaign", "POST", disabled(started.ID), admin, reported("tokenzzzzzzzzzzzzzzzzzzzzz", `"command"`), 409},
		{"disabled, token not due", "POST", disabled(started.ID), admin, reported(tokenID, `"command"`), 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := s.GetCampaign(started.ID)
			if err != nil {
				t.Fatal(err)
			}
			trailBefore := trailLength(t, s)
			w := f.call(tt.method, prefix+tt.path, tt.user, strings.NewReader(tt.body))
			if w.Code != tt.status || !strings.Contains(w.Body.String(), `"error"`) {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, tt.status)
			}
			after, err := s.GetCampaign(started.ID)
			if err != nil || !sameCampaign(before, after) {
				t.Fatalf("changed: %+v -> %+v (%v)", before, after, err)
			}
			// A refused cancel is itself recorded (an intent that failed); a refused report is not.
			if n := trailLength(t, s); strings.HasSuffix(tt.path, "/disabled") && n != trailBefore {
				t.Fatalf("the trail grew from %d to %d records", trailBefore, n)
			}
		})
	}

	var cancelled store.Campaign
	f.json(t, http.MethodPost, "/campaigns/"+started.ID+"/cancel", "", http.StatusOK, &cancelled)
	if cancelled.CancelledAt == 0 || cancelled.CancelledBy != admin {
		t.Fatalf("cancelled %+v", cancelled)
	}
	var again store.Campaign
	f.json(t, http.MethodPost, "/campaigns/"+started.ID+"/cancel", "", http.StatusOK, &again)
	if again.CancelledAt != cancelled.CancelledAt || again.CancelledBy != admin {
		t.Fatalf("cancelled twice %+v", again)
	}
}

// TestCampaignDisabledRecordsTheCallersSource: the stage move of a reported token is in the trail
// with the source the caller gave, the console's or /tokens campaign disable's.
func TestCampaignDisabledRecordsTheCallersSource(t *testing.T) {
	for _, source := range []string{store.SourceConsole, store.SourceCommand} {
		t.Run(source, func(t *testing.T) {
			f, s := campaignFixture(t)
			var started store.Campaign
			f.json(t, http.MethodPost, "/campaigns", goodCampaign, http.StatusCreated, &started)
			// The DM and the grace period are the campaign job's (package watch); here the token is
			// simply made due.
			if _, moved, err := s.MoveCampaignToken(store.StageMove{CampaignID: started.ID, TokenID: tokenID, From: store.CampaignPicked, To: store.CampaignDue, By: admin}); err != nil || !moved {
				t.Fatalf("made due: %v %v", moved, err)
			}
			var after store.Campaign
			f.json(t, http.MethodPost, "/campaigns/"+started.ID+"/disabled", reported(tokenID, `"`+source+`"`), http.StatusOK, &after)
			if got := after.Token(tokenID).Stage; got != store.CampaignDisabled {
				t.Fatalf("stage %s", got)
			}
			records, _, err := s.ListTrail(store.TrailQuery{Limit: 10, Action: store.ActionCampaignStage})
			if err != nil || len(records) != 2 {
				t.Fatalf("stage records %+v, %v", records, err)
			}
			for _, r := range records {
				if r.Source != source || r.ActorID != admin || r.TokenID != tokenID {
					t.Fatalf("recorded %+v, want source %s by %s", r, source, admin)
				}
			}
		})
	}
}

// reported is the body of POST /campaigns/{id}/disabled, source given as its JSON value.
func reported(tokenID, source string) string {
	return `{"token_id":"` + tokenID + `","source":` + source + `}`
}

func trailLength(t *testing.T, s *store.Store) int {
	t.Helper()
	records, _, err := s.ListTrail(store.TrailQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(records)
}

func TestCampaignRoutesWithoutTheWatchAre501(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/campaigns", "/campaigns/campaignzzzzzzzzzzzzzzzzzz/cancel", "/campaigns/campaignzzzzzzzzzzzzzzzzzz/disabled"} {
		w := f.call(http.MethodPost, prefix+path, admin, strings.NewReader(goodCampaign))
		if w.Code != http.StatusNotImplemented {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
}

func sameCampaign(a, b store.Campaign) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
