package source

import (
	"context"
	"strings"
	"testing"
)

func sessionsTable() map[string]string {
	return map[string]string{"id": "character varying", "token": "character varying", "props": "jsonb", "createat": "bigint", "lastactivityat": "bigint"}
}

func TestOpenSessionsChecksTheColumnsItReads(t *testing.T) {
	old := sessionsTable()
	old["props"] = "character varying"
	db := schemaDB(map[string]map[string]string{"sessions": old}, nil)
	if _, err := OpenSessions(context.Background(), db.open()); err == nil || !strings.Contains(err.Error(), `sessions.props is "character varying", expected jsonb`) {
		t.Fatalf("err = %v", err)
	}
}

func TestTokenUsageDecodesTheAggregate(t *testing.T) {
	db := schemaDB(map[string]map[string]string{"sessions": sessionsTable()}, func(string, []any) (string, error) {
		return `{"` + tokA + `":{"first_active":1000,"last_active":2000}}`, nil
	})
	reader, err := OpenSessions(context.Background(), db.open())
	if err != nil {
		t.Fatal(err)
	}
	usage, err := reader.TokenUsage(context.Background())
	if err != nil || len(usage) != 1 || usage[tokA] != (Usage{FirstActive: 1000, LastActive: 2000}) {
		t.Fatalf("usage %+v, %v", usage, err)
	}
}

func TestTokenUsagePageNamesTheNextPageOnlyWhenFull(t *testing.T) {
	var asked [][]any
	db := schemaDB(map[string]map[string]string{"sessions": sessionsTable()}, func(_ string, args []any) (string, error) {
		asked = append(asked, args)
		return `{"` + tokB + `":{"first_active":1,"last_active":2},"` + tokA + `":{"first_active":3,"last_active":4}}`, nil
	})
	reader, err := OpenSessions(context.Background(), db.open())
	if err != nil {
		t.Fatal(err)
	}
	full, err := reader.TokenUsagePage(context.Background(), "", 2)
	if err != nil || len(full.Usage) != 2 || full.Next != max(tokA, tokB) {
		t.Fatalf("full page %+v, %v", full, err)
	}
	last, err := reader.TokenUsagePage(context.Background(), tokA, 3)
	if err != nil || last.Next != "" {
		t.Fatalf("short page %+v, %v", last, err)
	}
	if len(asked) != 2 || asked[1][0] != tokA {
		t.Fatalf("query arguments %v", asked)
	}
}
