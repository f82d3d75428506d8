package source

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Mattermost's UserAccessTokens table as migration 000030 leaves it, with the secret column.
func tokensTable() map[string]string {
	return map[string]string{
		"id": "character varying", "token": "character varying", "userid": "character varying",
		"description": "character varying", "isactive": "boolean",
	}
}

// withExpiry is the table from Mattermost 11.9 on.
func withExpiry(table map[string]string) map[string]string {
	table["expiresat"] = "bigint"
	return table
}

// schemaDB answers the column check from tables (only for the columns asked for, as the real query
// does) and every other statement with rows.
func schemaDB(tables map[string]map[string]string, rows func(query string, args []any) (string, error)) *fakeDB {
	return &fakeDB{answer: func(query string, args []any) ([]string, [][]driver.Value, error) {
		if query == columnsQuery {
			var out [][]driver.Value
			for _, name := range strings.Split(args[1].(string), ",") {
				if dataType, ok := tables[args[0].(string)][name]; ok {
					out = append(out, []driver.Value{name, dataType})
				}
			}
			return []string{"column_name", "data_type"}, out, nil
		}
		raw, err := rows(query, args)
		if err != nil {
			return nil, nil, err
		}
		return []string{"json"}, [][]driver.Value{{raw}}, nil
	}}
}

const (
	tokA  = "tokenaaaaaaaaaaaaaaaaaaaaa"
	tokB  = "tokenbbbbbbbbbbbbbbbbbbbbb"
	userA = "useraaaaaaaaaaaaaaaaaaaaaa"
)

func TestOpenTokensChecksTheColumnsItReads(t *testing.T) {
	for _, tc := range []struct {
		name   string
		table  map[string]string
		expiry bool
		err    string
	}{
		{name: "before 11.9", table: tokensTable()},
		{name: "11.9 and later", table: withExpiry(tokensTable()), expiry: true},
		{name: "no isactive", table: func() map[string]string { t := tokensTable(); delete(t, "isactive"); return t }(), err: "useraccesstokens.isactive is missing"},
		{name: "userid a number", table: func() map[string]string { t := tokensTable(); t["userid"] = "integer"; return t }(), err: `useraccesstokens.userid is "integer"`},
		{name: "expiresat a timestamp", table: func() map[string]string { t := tokensTable(); t["expiresat"] = "timestamp"; return t }(), err: `useraccesstokens.expiresat is "timestamp", expected bigint`},
		{name: "no table", table: nil, err: "useraccesstokens.id is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := schemaDB(map[string]map[string]string{"useraccesstokens": tc.table}, nil)
			reader, err := OpenTokens(context.Background(), db.open())
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || reader.Expiry() != tc.expiry {
				t.Fatalf("reader %+v, err %v", reader, err)
			}
		})
	}
}

func TestOpenTokensFailsWhenTheColumnsCannotBeRead(t *testing.T) {
	db := &fakeDB{answer: func(string, []any) ([]string, [][]driver.Value, error) {
		return nil, nil, errors.New("permission denied for schema information_schema")
	}}
	if _, err := OpenTokens(context.Background(), db.open()); err == nil || !strings.Contains(err.Error(), "read the useraccesstokens table's columns: permission denied") {
		t.Fatalf("err = %v", err)
	}
}

// tokenRows stands in for the database: every token query answers tokens, and its arguments are kept.
type tokenRows struct {
	answer string
	args   [][]any
}

func (r *tokenRows) rows(_ string, args []any) (string, error) {
	r.args = append(r.args, args)
	return r.answer, nil
}

func TestTokensComeOutAsTheEngineReadsThem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table map[string]string
		row   string
		want  string
	}{
		{
			name:  "without expiry",
			table: tokensTable(),
			row:   `[{"id":"` + tokA + `","user_id":"` + userA + `","description":"ci","is_active":true}]`,
			want:  `[{"id":"` + tokA + `","user_id":"` + userA + `","description":"ci","is_active":true}]`,
		},
		{
			name:  "with expiry, 0 for never",
			table: withExpiry(tokensTable()),
			row:   `[{"id":"` + tokA + `","user_id":"` + userA + `","description":"","is_active":false,"expires_at":0}]`,
			want:  `[{"id":"` + tokA + `","user_id":"` + userA + `","description":"","is_active":false,"expires_at":0}]`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := &tokenRows{answer: tc.row}
			reader, err := OpenTokens(context.Background(), schemaDB(map[string]map[string]string{"useraccesstokens": tc.table}, rows.rows).open())
			if err != nil {
				t.Fatal(err)
			}
			tokens, err := reader.All(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(tokens)
			if string(got) != tc.want {
				t.Fatalf("tokens %s, want %s", got, tc.want)
			}
		})
	}
}

func TestQueriesOfOneUserAndOfIdsPassTheirArguments(t *testing.T) {
	rows := &tokenRows{answer: `[]`}
	reader, err := OpenTokens(context.Background(), schemaDB(map[string]map[string]string{"useraccesstokens": tokensTable()}, rows.rows).open())
	if err != nil {
		t.Fatal(err)
	}
	if tokens, err := reader.OfUser(context.Background(), userA); err != nil || tokens == nil || len(tokens) != 0 {
		t.Fatalf("OfUser = %#v, %v", tokens, err)
	}
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("token%021d", i)
	}
	if _, err := reader.ByIDs(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if len(rows.args) != 4 || !slices.Equal(rows.args[0], []any{userA}) {
		t.Fatalf("arguments %v", rows.args)
	}
	var passed []string
	for _, batch := range rows.args[1:] {
		if len(batch) > idsPerQuery {
			t.Fatalf("%d ids in one query", len(batch))
		}
		for _, id := range batch {
			passed = append(passed, id.(string))
		}
	}
	if !slices.Equal(passed, ids) {
		t.Fatalf("ids passed %v", passed)
	}
}

func TestAnUnreadableAnswerIsAnError(t *testing.T) {
	rows := &tokenRows{answer: `{"not": "a list"}`}
	reader, err := OpenTokens(context.Background(), schemaDB(map[string]map[string]string{"useraccesstokens": tokensTable()}, rows.rows).open())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reader.All(context.Background()); err == nil || !strings.Contains(err.Error(), "query tokens: decode") {
		t.Fatalf("err = %v", err)
	}
}

// secretColumn matches the secret's column as an SQL word: token, "token", t.token, TOKEN. Longer
// names that contain it (useraccesstokens, user_access_token_id, 'UserAccessToken') are other words.
var secretColumn = regexp.MustCompile(`(?i)\btoken\b`)

func TestNoStatementEverNamesTheSecretColumn(t *testing.T) {
	for _, table := range []map[string]string{tokensTable(), withExpiry(tokensTable())} {
		rows := &tokenRows{answer: `[]`}
		db := schemaDB(map[string]map[string]string{"useraccesstokens": table, "sessions": {"props": "jsonb", "createat": "bigint", "lastactivityat": "bigint"}}, func(query string, args []any) (string, error) {
			if query == usageQuery {
				return `{}`, nil
			}
			return rows.rows(query, args)
		})
		reader, err := OpenTokens(context.Background(), db.open())
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := OpenSessions(context.Background(), db.open())
		if err != nil {
			t.Fatal(err)
		}
		_, errAll := reader.All(context.Background())
		_, errUser := reader.OfUser(context.Background(), userA)
		_, errIDs := reader.ByIDs(context.Background(), []string{tokA, tokB})
		_, errUsage := sessions.TokenUsage(context.Background())
		if err := errors.Join(errAll, errUser, errIDs, errUsage); err != nil {
			t.Fatal(err)
		}
		statements := db.statements()
		if len(statements) != 6 {
			t.Fatalf("%d statements: %q", len(statements), statements)
		}
		for _, s := range statements {
			if secretColumn.MatchString(s) || strings.Contains(s, "*") {
				t.Errorf("statement names the secret or every column: %s", s)
			}
		}
	}
	// The check itself finds the column however it is written.
	for _, s := range []string{"SELECT token FROM x", `SELECT "token"`, "u.Token,", "json_build_object('token', token)"} {
		if !secretColumn.MatchString(s) {
			t.Errorf("%q not caught", s)
		}
	}
}
