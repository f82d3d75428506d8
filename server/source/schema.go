package source

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// column is what a query needs of one column: its name and the types it may have.
type column struct {
	name     string
	types    []string
	optional bool
}

// columnsQuery asks only for the named columns, so that a column no query reads is never named by
// what the database answers either.
const columnsQuery = `SELECT column_name, data_type FROM information_schema.columns
	WHERE table_schema = current_schema() AND table_name = $1 AND column_name = ANY(string_to_array($2, ','))`

// checkColumns reads the columns of table and returns the names of those present. It fails when a
// required column is missing or any column has a type the queries do not expect.
func checkColumns(ctx context.Context, db *sql.DB, table string, want []column) (map[string]bool, error) {
	names := make([]string, len(want))
	for i, c := range want {
		names[i] = c.name
	}
	rows, err := db.QueryContext(ctx, columnsQuery, table, strings.Join(names, ","))
	if err != nil {
		return nil, fmt.Errorf("read the %s table's columns: %w", table, err)
	}
	defer rows.Close()
	found := map[string]string{}
	for rows.Next() {
		var name, dataType string
		if err := rows.Scan(&name, &dataType); err != nil {
			return nil, fmt.Errorf("read the %s table's columns: %w", table, err)
		}
		found[strings.ToLower(name)] = strings.ToLower(dataType)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the %s table's columns: %w", table, err)
	}
	present := map[string]bool{}
	for _, c := range want {
		dataType, ok := found[c.name]
		switch {
		case !ok && c.optional:
			continue
		case !ok:
			return nil, fmt.Errorf("%s.%s is missing", table, c.name)
		case !slices.Contains(c.types, dataType):
			return nil, fmt.Errorf("%s.%s is %q, expected %s", table, c.name, dataType, strings.Join(c.types, " or "))
		}
		present[c.name] = true
	}
	return present, nil
}
