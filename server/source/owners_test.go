package source

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

type fakeUsers struct {
	users map[string]*model.User
	fail  bool

	mu    sync.Mutex
	calls [][]string
}

func (f *fakeUsers) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	f.mu.Lock()
	f.calls = append(f.calls, ids)
	f.mu.Unlock()
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
	sizes := make([]int, len(api.calls))
	for i, call := range api.calls {
		sizes[i] = len(call)
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{50, 100, 100}) {
		t.Fatalf("calls of %v ids", sizes)
	}
}

// overlappingUsers answers no call until `want` calls wait at once, and counts the most in flight.
type overlappingUsers struct {
	want     int
	mu       sync.Mutex
	inFlight int
	most     int
	release  chan struct{}
}

func (f *overlappingUsers) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	f.mu.Lock()
	f.inFlight++
	if f.inFlight == f.want && f.most < f.want {
		close(f.release)
	}
	f.most = max(f.most, f.inFlight)
	f.mu.Unlock()
	select {
	case <-f.release:
	case <-time.After(10 * time.Second):
		return nil, model.NewAppError("GetUsersByIds", "test.only_one_call_at_a_time", nil, "", http.StatusInternalServerError)
	}
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
	users := make([]*model.User, len(ids))
	for i, id := range ids {
		users[i] = &model.User{Id: id}
	}
	return users, nil
}

func TestOwnerBatchesOverlapUpToTheLimit(t *testing.T) {
	api := &overlappingUsers{want: ownerCallsInFlight, release: make(chan struct{})}
	ids := make([]string, 10*ownersPerCall)
	for i := range ids {
		ids[i] = fmt.Sprintf("user%022d", i)
	}
	owners, err := Owners(api, ids)
	if err != nil || len(owners) != len(ids) {
		t.Fatalf("%d owners, %v", len(owners), err)
	}
	if api.most != ownerCallsInFlight {
		t.Fatalf("at most %d calls in flight, want %d", api.most, ownerCallsInFlight)
	}
}

func TestAFailedBatchFailsTheRead(t *testing.T) {
	if _, err := Owners(&fakeUsers{fail: true}, []string{"a"}); err == nil || !strings.Contains(err.Error(), "app.user.get_profiles.app_error") {
		t.Fatalf("err = %v", err)
	}
}
