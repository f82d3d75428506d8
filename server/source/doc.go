// Package source reads what the server host judges tokens by, read-only: the tokens themselves and
// their sessions from Mattermost's database (through pluginapi's replica handle), and their owners
// through the plugin API. A token's secret (the token column) is never read.
//
// The database readers check the columns they rely on when they are opened; an error from Open means
// the schema is not the one this package knows, and that reading must be left to the REST API.
// Rows come back over the plugin's RPC one call per row, so every query answers with one JSON row.
package source
