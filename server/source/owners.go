package source

import (
	"slices"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
)

// Owner is a token's owner as the engine judges it: no more of the user than that, so that nothing
// else the plugin API hands over (the password hash among it) outlives the read.
type Owner struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Email       string `json:"email"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Deactivated bool   `json:"deactivated"`
	Bot         bool   `json:"bot"`
	SystemAdmin bool   `json:"system_admin"`
}

// OwnerOf keeps what the engine needs of u.
func OwnerOf(u *model.User) Owner {
	return Owner{
		ID:          u.Id,
		Username:    u.Username,
		Email:       u.Email,
		FirstName:   u.FirstName,
		LastName:    u.LastName,
		Deactivated: u.DeleteAt > 0,
		Bot:         u.IsBot,
		SystemAdmin: slices.Contains(strings.Fields(u.Roles), model.SystemAdminRoleId),
	}
}

// UserAPI is the plugin API call Owners makes.
type UserAPI interface {
	GetUsersByIds(userIDs []string) ([]*model.User, *model.AppError)
}

// Users per GetUsersByIds call, as many as the webapp asks /users/ids for at once.
const ownersPerCall = 100

// GetUsersByIds calls in flight at once: each is a round trip to the Mattermost server and one
// query there, so a few overlap well; more would only queue on a small server's cores.
const ownerCallsInFlight = 4

// Owners reads the users with the given ids; ids of no user are left out. The first failed call
// fails the read.
func Owners(api UserAPI, ids []string) (map[string]Owner, error) {
	owners := make(map[string]Owner, len(ids))
	var mu sync.Mutex
	var failed error
	var calls sync.WaitGroup
	inFlight := make(chan struct{}, ownerCallsInFlight)
	for start := 0; start < len(ids); start += ownersPerCall {
		batch := ids[start:min(start+ownersPerCall, len(ids))]
		inFlight <- struct{}{}
		calls.Go(func() {
			defer func() { <-inFlight }()
			users, appErr := api.GetUsersByIds(batch)
			mu.Lock()
			defer mu.Unlock()
			if appErr != nil {
				if failed == nil {
					failed = appErr
				}
				return
			}
			for _, u := range users {
				owners[u.Id] = OwnerOf(u)
			}
		})
	}
	calls.Wait()
	if failed != nil {
		return nil, failed
	}
	return owners, nil
}
