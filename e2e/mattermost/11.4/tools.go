//go:build tools

// Package mattermost pins the server commands so `go build` can name them from this module.
package mattermost

import (
	_ "github.com/mattermost/mattermost/server/v8/cmd/mattermost"
	_ "github.com/mattermost/mattermost/server/v8/cmd/mmctl"
)
