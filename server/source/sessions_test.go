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
