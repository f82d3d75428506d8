package source

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// waitingTokens answers only once the usage read has begun, so a ReadWhole that read the parts one
// after another would never get its tokens.
type waitingTokens struct {
	usageBegun chan struct{}
	tokens     []Token
	err        error
}

func (w waitingTokens) All(context.Context) ([]Token, error) {
	select {
	case <-w.usageBegun:
		return w.tokens, w.err
	case <-time.After(10 * time.Second):
		return nil, errors.New("the usage read never began while the tokens were read")
	}
}

type signallingUsage struct {
	usageBegun chan struct{}
	usage      map[string]Usage
}

func (s signallingUsage) TokenUsage(context.Context) (map[string]Usage, error) {
	close(s.usageBegun)
	return s.usage, nil
}

func TestReadWholeReadsUsageBesideTheTokens(t *testing.T) {
	begun := make(chan struct{})
	tokens := []Token{{ID: "t1", UserID: "u1"}, {ID: "t2", UserID: "u2"}, {ID: "t3", UserID: "u1"}}
	users := &fakeUsers{users: map[string]*model.User{"u1": {Id: "u1", Username: "ann"}, "u2": {Id: "u2", Username: "bo"}}}
	usage := map[string]Usage{"t1": {FirstActive: 1, LastActive: 2}, "gone": {FirstActive: 3, LastActive: 4}}
	var handed []string
	whole, err := ReadWhole(context.Background(), WholeReaders{
		Tokens: waitingTokens{usageBegun: begun, tokens: tokens},
		Usage:  signallingUsage{usageBegun: begun, usage: usage},
		Users:  users,
	}, func(ids []string) { handed = ids })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(handed, []string{"t1", "t2", "t3"}) || len(whole.Tokens) != 3 {
		t.Fatalf("handed %v to the registry, read %d tokens", handed, len(whole.Tokens))
	}
	if len(whole.OwnerIDs) != 2 || whole.Owners["u2"].Username != "bo" || whole.OwnersErr != nil {
		t.Fatalf("owners %v of %v, err %v", whole.Owners, whole.OwnerIDs, whole.OwnersErr)
	}
	if !maps.Equal(whole.Usage, map[string]Usage{"t1": usage["t1"]}) || whole.UsageErr != nil {
		t.Fatalf("usage %v (only the read tokens' expected), err %v", whole.Usage, whole.UsageErr)
	}
}

func TestReadWholeSaysWhichPartFailed(t *testing.T) {
	begun := make(chan struct{})
	close(begun)
	tokens := waitingTokens{usageBegun: begun, tokens: []Token{{ID: "t1", UserID: "u1"}}}
	whole, err := ReadWhole(context.Background(), WholeReaders{Tokens: tokens, Users: &fakeUsers{fail: true}}, func([]string) {})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(whole.UsageErr, ErrNoUsage) || whole.OwnersErr == nil || len(whole.Tokens) != 1 {
		t.Fatalf("usage err %v, owners err %v, %d tokens", whole.UsageErr, whole.OwnersErr, len(whole.Tokens))
	}
	failing := waitingTokens{usageBegun: begun, err: errors.New("no table")}
	if _, err := ReadWhole(context.Background(), WholeReaders{Tokens: failing, Users: &fakeUsers{}}, func([]string) {
		t.Error("the registry was handed tokens that were not read")
	}); err == nil {
		t.Fatal("a failed token read did not fail the whole read")
	}
}
