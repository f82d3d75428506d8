// Package enginetest gives Go tests the engine's own words, so that they can check an answer
// against the catalogue instead of a copy of it.
package enginetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Message is the catalogue entry id of locale (webapp/src/engine/i18n/<locale>.json).
func Message(t testing.TB, locale, id string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "..", "webapp", "src", "engine", "i18n", locale+".json"))
	if err != nil {
		t.Fatal(err)
	}
	messages := map[string]string{}
	if err := json.Unmarshal(raw, &messages); err != nil {
		t.Fatal(err)
	}
	text, ok := messages[id]
	if !ok {
		t.Fatalf("no message %s in %s", id, locale)
	}
	return text
}
