package source

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Token is a personal access token as the engine judges it. It has no field for the secret, and
// no query here names the column that holds it.
type Token struct {
	ID          string `json:"id"`
	UserID      string `json:"user_id"`
	Description string `json:"description"`
	IsActive    bool   `json:"is_active"`

	// Nil on servers without token expiry (before Mattermost 11.9); 0 means never.
	ExpiresAt *int64 `json:"expires_at,omitempty"`
}

// tokenColumns are the columns of UserAccessTokens the queries read (migration 000030, and
// expiresat from Mattermost 11.9).
var tokenColumns = []column{
	{name: "id", types: []string{"character varying", "text"}},
	{name: "userid", types: []string{"character varying", "text"}},
	{name: "description", types: []string{"character varying", "text"}},
	{name: "isactive", types: []string{"boolean"}},
	{name: "expiresat", types: []string{"bigint"}, optional: true},
}

// Ids per statement of ByIDs, so that a long list never makes one statement with thousands of parameters.
const idsPerQuery = 100

// Tokens reads personal access tokens from a database whose UserAccessTokens table OpenTokens has checked.
type Tokens struct {
	db *sql.DB

	// selectAll is the query of every token, to which a WHERE clause may be appended.
	selectAll string
	expiry    bool
}

// OpenTokens returns a reader on db once it has checked that the UserAccessTokens table has the
// columns this package reads.
func OpenTokens(ctx context.Context, db *sql.DB) (*Tokens, error) {
	present, err := checkColumns(ctx, db, "useraccesstokens", tokenColumns)
	if err != nil {
		return nil, err
	}
	return &Tokens{db: db, selectAll: tokenQuery(present["expiresat"]), expiry: present["expiresat"]}, nil
}

func tokenQuery(expiry bool) string {
	fields := `'id', id, 'user_id', userid, 'description', COALESCE(description, ''), 'is_active', COALESCE(isactive, false)`
	if expiry {
		fields += `, 'expires_at', COALESCE(expiresat, 0)`
	}
	return `SELECT COALESCE(json_agg(json_build_object(` + fields + `) ORDER BY id), '[]')::text FROM useraccesstokens`
}

// Expiry reports whether the server's tokens have an expiry (Mattermost 11.9 and later).
func (r *Tokens) Expiry() bool {
	return r.expiry
}

// All is every token on the server, read in one statement and so one consistent snapshot.
func (r *Tokens) All(ctx context.Context) ([]Token, error) {
	return r.query(ctx, "")
}

// OfUser is every token of one user.
func (r *Tokens) OfUser(ctx context.Context, userID string) ([]Token, error) {
	return r.query(ctx, " WHERE userid = $1", userID)
}

// ByIDs is the tokens among ids that exist.
func (r *Tokens) ByIDs(ctx context.Context, ids []string) ([]Token, error) {
	found := []Token{}
	for start := 0; start < len(ids); start += idsPerQuery {
		batch := ids[start:min(start+idsPerQuery, len(ids))]
		placeholders := make([]string, len(batch))
		args := make([]any, len(batch))
		for i, id := range batch {
			placeholders[i] = fmt.Sprintf("$%d", i+1)
			args[i] = id
		}
		tokens, err := r.query(ctx, " WHERE id IN ("+strings.Join(placeholders, ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		found = append(found, tokens...)
	}
	return found, nil
}

func (r *Tokens) query(ctx context.Context, where string, args ...any) ([]Token, error) {
	tokens := []Token{}
	if err := queryJSON(ctx, r.db, &tokens, r.selectAll+where, args...); err != nil {
		return nil, fmt.Errorf("query tokens: %w", err)
	}
	return tokens, nil
}
