// Package compat is the one way the plugin uses a plugin API method newer than min_server_version
// in plugin.json: inside Since, which runs it only on servers that have it. The test
// TestPluginAPIWithinMinServerVersion fails on any newer call outside Since.
package compat

import (
	"strconv"
	"strings"
)

// VersionSource is the part of plugin.API that Since needs (present since 5.4).
type VersionSource interface {
	GetServerVersion() string
}

// Since runs call when the server is at least version ("major.minor") and reports whether it ran.
// The version must be a string literal, so the test can read it.
func Since(api VersionSource, version string, call func()) bool {
	if !AtLeast(api.GetServerVersion(), version) {
		return false
	}
	call()
	return true
}

// AtLeast compares dotted versions numerically ("10.10.1" >= "10.9"); missing parts count as 0 and
// anything after a number ("-rc1") is ignored.
func AtLeast(have, want string) bool {
	h, w := parts(have), parts(want)
	for i := range max(len(h), len(w)) {
		a, b := at(h, i), at(w, i)
		if a != b {
			return a > b
		}
	}
	return true
}

func parts(version string) []int {
	var out []int
	for _, field := range strings.Split(version, ".") {
		digits := strings.TrimLeftFunc(field, func(r rune) bool { return r == 'v' })
		end := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' })
		if end >= 0 {
			digits = digits[:end]
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			break
		}
		out = append(out, n)
	}
	return out
}

func at(xs []int, i int) int {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}
