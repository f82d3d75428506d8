package source

import (
	"context"
	"errors"
	"sync"
)

// ErrNoUsage is the usage of a server whose Sessions table cannot be read as this package knows it.
var ErrNoUsage = errors.New("the Sessions table cannot be read")

// TokenLister reads every token (Tokens).
type TokenLister interface {
	All(ctx context.Context) ([]Token, error)
}

// UsageReader reads the usage of every token that has a session (Sessions).
type UsageReader interface {
	TokenUsage(ctx context.Context) (map[string]Usage, error)
}

// WholeReaders are what ReadWhole reads from. Usage is nil when the Sessions table cannot be read.
type WholeReaders struct {
	Tokens TokenLister
	Usage  UsageReader
	Users  UserAPI
}

// Whole is every token on the server with what is judged beside it. A part that failed is empty
// and its error set; the tokens themselves cannot fail without failing the whole read.
type Whole struct {
	Tokens []Token

	// OwnerIDs are the distinct owners of the tokens, in the order the tokens name them.
	OwnerIDs  []string
	Owners    map[string]Owner
	OwnersErr error

	// Usage of the tokens that have a session.
	Usage    map[string]Usage
	UsageErr error
}

// ReadWhole reads every token in one statement and then their owners. The sessions, which do not
// depend on the tokens, are read from the start, and withIDs (the first-seen registry's update) gets
// the token ids while the owners are read: on a large server each part takes a second or more, and
// the Mattermost server and its database do the work, not this process.
func ReadWhole(ctx context.Context, from WholeReaders, withIDs func(ids []string)) (Whole, error) {
	var usage map[string]Usage
	usageErr := ErrNoUsage
	var usageRead sync.WaitGroup
	if from.Usage != nil {
		usageRead.Go(func() { usage, usageErr = from.Usage.TokenUsage(ctx) })
	}
	tokens, err := from.Tokens.All(ctx)
	if err != nil {
		usageRead.Wait()
		return Whole{}, err
	}
	whole := Whole{Tokens: tokens, OwnerIDs: distinctOwners(tokens), Usage: map[string]Usage{}}
	ids := make([]string, len(tokens))
	for i, t := range tokens {
		ids[i] = t.ID
	}
	var registry sync.WaitGroup
	registry.Go(func() { withIDs(ids) })
	whole.Owners, whole.OwnersErr = Owners(from.Users, whole.OwnerIDs)
	registry.Wait()
	usageRead.Wait()
	if usageErr != nil {
		whole.UsageErr = usageErr
		return whole, nil
	}
	for _, t := range tokens {
		if u, ok := usage[t.ID]; ok {
			whole.Usage[t.ID] = u
		}
	}
	return whole, nil
}

func distinctOwners(tokens []Token) []string {
	var ids []string
	known := map[string]bool{}
	for _, t := range tokens {
		if !known[t.UserID] {
			known[t.UserID] = true
			ids = append(ids, t.UserID)
		}
	}
	return ids
}
