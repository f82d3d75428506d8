package source

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Usage is the activity of one token's sessions, in Unix milliseconds. Using a token opens a
// session tagged with the token's id; the REST API lists sessions one user at a time, which on a
// large server costs a request per token owner.
type Usage struct {
	FirstActive int64 `json:"first_active"`
	LastActive  int64 `json:"last_active"`
}

// sessionColumns are what the query reads from Sessions: props is jsonb since Mattermost 6.0
// (migration 000071), the times are bigint milliseconds.
var sessionColumns = []column{
	{name: "props", types: []string{"jsonb"}},
	{name: "createat", types: []string{"bigint"}},
	{name: "lastactivityat", types: []string{"bigint"}},
}

// The same rules the webapp applies to GET /users/{id}/sessions: a token was first active when its
// oldest session was created, and last active at the latest creation or activity of any of them.
// Tokens come in id order (byte order, as Go compares strings) after $1, at most $2 of them (all
// when $2 is NULL), so that a large answer can be read in pages; the last id is the next page's $1.
const usageQuery = `SELECT COALESCE(json_object_agg(id, json_build_object('first_active', first_active, 'last_active', last_active)), '{}')::text
	FROM (
		SELECT props->>'user_access_token_id' COLLATE "C" AS id,
			MIN(COALESCE(createat, 0)) AS first_active,
			MAX(GREATEST(COALESCE(createat, 0), COALESCE(lastactivityat, 0))) AS last_active
		FROM sessions
		WHERE props->>'type' = 'UserAccessToken' AND COALESCE(props->>'user_access_token_id', '') <> ''
			AND props->>'user_access_token_id' COLLATE "C" > $1
		GROUP BY 1
		ORDER BY 1
		LIMIT $2
	) AS tokens`

// Sessions reads token usage from a database whose Sessions table OpenSessions has checked.
type Sessions struct {
	db *sql.DB
}

// OpenSessions returns a reader on db once it has checked that the Sessions table is the one this
// package knows.
func OpenSessions(ctx context.Context, db *sql.DB) (*Sessions, error) {
	if _, err := checkColumns(ctx, db, "sessions", sessionColumns); err != nil {
		return nil, err
	}
	return &Sessions{db: db}, nil
}

// TokenUsage is the usage of every token that has a session, keyed by token id.
func (r *Sessions) TokenUsage(ctx context.Context) (map[string]Usage, error) {
	page, err := r.usage(ctx, "", nil)
	return page.Usage, err
}

// UsagePage is one page of TokenUsagePage: Next is the After of the following page, empty after
// the last one.
type UsagePage struct {
	Usage map[string]Usage
	Next  string
}

// TokenUsagePage is the usage of at most limit tokens, those with the smallest ids after after.
func (r *Sessions) TokenUsagePage(ctx context.Context, after string, limit int) (UsagePage, error) {
	return r.usage(ctx, after, &limit)
}

func (r *Sessions) usage(ctx context.Context, after string, limit *int) (UsagePage, error) {
	page := UsagePage{Usage: map[string]Usage{}}
	if err := queryJSON(ctx, r.db, &page.Usage, usageQuery, after, limit); err != nil {
		return UsagePage{}, fmt.Errorf("query token sessions: %w", err)
	}
	// A full page may have more after it; the query orders ids as Go compares them (COLLATE "C").
	if limit != nil && len(page.Usage) >= *limit {
		for id := range page.Usage {
			page.Next = max(page.Next, id)
		}
	}
	return page, nil
}

// queryJSON runs a query that answers one row of one JSON text column and decodes it into out.
func queryJSON(ctx context.Context, db *sql.DB, out any, query string, args ...any) error {
	var raw string
	if err := db.QueryRowContext(ctx, query, args...).Scan(&raw); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
