package source

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

type fakeUsers struct {
	users map[string]*model.User
	calls [][]string
	fail  bool
}

func (f *fakeUsers) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	f.calls = append(f.calls, ids)
	if f.fail {
		return nil, model.NewAppError("GetUsersByIds", "app.user.get_profiles.app_error", nil, "", http.StatusInternalServerError)
	}
	var found []*model.User
	for _, id := range ids {
		if u, ok := f.users[id]; ok {
			found = append(found, u)
		}
	}
	return found, nil
}

const passwordHash = "$2a$10$secretsecretsecretsecretsecretsecretsecretsecret"

func TestOwnersKeepWhatTheEngineJudgesAndNothingElse(t *testing.T) {
	users := map[string]*model.User{
		"admin": {Id: "admin", Username: "root", Email: "root@example.com", FirstName: "Ro", LastName: "Ot", Roles: "system_user system_admin", Password: passwordHash},
		"bot":   {Id: "bot", Username: "ci-bot", IsBot: true, Roles: "system_user", Password: passwordHash},
		"gone":  {Id: "gone", Username: "erin", DeleteAt: 1, Roles: "system_user_manager system_user", Password: passwordHash},
	}
	owners, err := Owners(&fakeUsers{users: users}, []string{"admin", "bot", "gone", "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Owner{
		"admin": {ID: "admin", Username: "root", Email: "root@example.com", FirstName: "Ro", LastName: "Ot", SystemAdmin: true},
		"bot":   {ID: "bot", Username: "ci-bot", Bot: true},
		"gone":  {ID: "gone", Username: "erin", Deactivated: true},
	}
	if fmt.Sprint(owners) != fmt.Sprint(want) {
		t.Fatalf("owners %+v, want %+v", owners, want)
	}
	encoded, _ := json.Marshal(owners)
	if strings.Contains(string(encoded), "$2a$") {
		t.Fatalf("the password hash came along: %s", encoded)
	}
}

func TestOwnersAreReadInBatches(t *testing.T) {
	api := &fakeUsers{users: map[string]*model.User{}}
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("user%022d", i)
		api.users[ids[i]] = &model.User{Id: ids[i]}
	}
	owners, err := Owners(api, ids)
	if err != nil || len(owners) != 250 {
		t.Fatalf("%d owners, %v", len(owners), err)
	}
	if len(api.calls) != 3 || len(api.calls[0]) != 100 || len(api.calls[2]) != 50 {
		t.Fatalf("calls of %d, %d, %d ids", len(api.calls[0]), len(api.calls[1]), len(api.calls[2]))
	}
}

func TestAFailedBatchFailsTheRead(t *testing.T) {
	if _, err := Owners(&fakeUsers{fail: true}, []string{"a"}); err == nil || !strings.Contains(err.Error(), "app.user.get_profiles.app_error") {
		t.Fatalf("err = %v", err)
	}
}
