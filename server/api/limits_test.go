package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// answers is an engine whose limits method answers the given JSON.
type answers string

func (a answers) Call(_ context.Context, method string, _, out any) error {
	return json.Unmarshal([]byte(a), out)
}

func TestLoadLimitsRefusesAnIncompleteAnswer(t *testing.T) {
	full, err := json.Marshal(engineLimits(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLimits(context.Background(), answers(full)); err != nil {
		t.Fatalf("the engine's own limits: %v", err)
	}
	for _, broken := range []string{
		strings.Replace(string(full), `"stale_after_days"`, `"stale_days"`, 1),
		strings.Replace(string(full), `"scan_minutes"`, `"scan"`, 1),
		strings.Replace(string(full), `"max_exemption_reason"`, `"reason_max"`, 1),
		strings.Replace(string(full), `"offboarding_rules"`, `"rules"`, 1),
		strings.Replace(string(full), `"seen_ids_per_request"`, `"seen_ids"`, 1),
		strings.Replace(string(full), `"max_message_length"`, `"message_length"`, 1),
		`{}`,
	} {
		if _, err := LoadLimits(context.Background(), answers(broken)); err == nil {
			t.Errorf("accepted %s", broken)
		}
	}
}
