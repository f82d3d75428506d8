// Package usage reads, read-only, when each personal access token was active from Mattermost's
// Sessions table. Using a token opens a session tagged with the token's id; the REST API lists
// sessions one user at a time, which on a large server costs a request per token owner.
package usage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// Usage is the activity of one token's sessions, in Unix milliseconds.
type Usage struct {
	FirstActive int64 `json:"first_active"`
	LastActive  int64 `json:"last_active"`
}

// expectedColumns is what the query reads from Sessions and the types it relies on: props is
// jsonb since Mattermost 6.0 (migration 000071), the times are bigint milliseconds.
var expectedColumns = map[string]string{
	"props":          "jsonb",
	"createat":       "bigint",
	"lastactivityat": "bigint",
}

const schemaQuery = `SELECT column_name, data_type FROM information_schema.columns
	WHERE table_schema = current_schema() AND table_name = 'sessions'`

// The same rules the webapp applies to GET /users/{id}/sessions: a token was first active when its
// oldest session was created, and last active at the latest creation or activity of any of them.
// The answer is one JSON row because a plugin reads rows over RPC, one call per row.
const usageQuery = `SELECT COALESCE(json_object_agg(id, json_build_object('first_active', first_active, 'last_active', last_active)), '{}')::text
	FROM (
		SELECT props->>'user_access_token_id' AS id,
			MIN(COALESCE(createat, 0)) AS first_active,
			MAX(GREATEST(COALESCE(createat, 0), COALESCE(lastactivityat, 0))) AS last_active
		FROM sessions
		WHERE props->>'type' = 'UserAccessToken' AND COALESCE(props->>'user_access_token_id', '') <> ''
		GROUP BY 1
	) AS tokens`

// Reader reads token usage from a database whose schema Open has checked.
type Reader struct {
	db *sql.DB
}

// Open returns a Reader on db once it has checked that db has the Sessions table this package
// knows. An error means the schema differs (or cannot be read), so usage must come from elsewhere.
func Open(ctx context.Context, db *sql.DB) (*Reader, error) {
	rows, err := db.QueryContext(ctx, schemaQuery)
	if err != nil {
		return nil, fmt.Errorf("read the sessions table's columns: %w", err)
	}
	defer rows.Close()
	found := map[string]string{}
	for rows.Next() {
		var name, dataType string
		if err := rows.Scan(&name, &dataType); err != nil {
			return nil, fmt.Errorf("read the sessions table's columns: %w", err)
		}
		found[strings.ToLower(name)] = strings.ToLower(dataType)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the sessions table's columns: %w", err)
	}
	for column, dataType := range expectedColumns {
		if found[column] != dataType {
			return nil, fmt.Errorf("sessions.%s is %q, expected %s", column, found[column], dataType)
		}
	}
	return &Reader{db: db}, nil
}

// TokenUsage is the usage of every token that has a session, keyed by token id.
func (r *Reader) TokenUsage(ctx context.Context) (map[string]Usage, error) {
	var raw string
	if err := r.db.QueryRowContext(ctx, usageQuery).Scan(&raw); err != nil {
		return nil, fmt.Errorf("query token sessions: %w", err)
	}
	out := map[string]Usage{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("decode token sessions: %w", err)
	}
	return out, nil
}
