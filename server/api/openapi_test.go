package api

import (
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIMatchesRouter keeps openapi.yaml and the router in step: the same (method, path)
// pairs, each of which the mux really routes.
func TestOpenAPIMatchesRouter(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Servers []struct {
			URL string `yaml:"url"`
		} `yaml:"servers"`
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Servers) != 1 || !strings.HasSuffix(spec.Servers[0].URL, prefix) {
		t.Fatalf("servers = %+v, want one URL ending in %s", spec.Servers, prefix)
	}

	var documented []string
	for path, ops := range spec.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+prefix+path)
		}
	}
	a := New(Options{})
	var registered []string
	for _, rt := range a.routes() {
		registered = append(registered, rt.method+" "+prefix+rt.path)
	}
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Fatalf("openapi.yaml documents\n  %s\nthe router registers\n  %s",
			strings.Join(documented, "\n  "), strings.Join(registered, "\n  "))
	}

	for _, pattern := range registered {
		method, path, _ := strings.Cut(pattern, " ")
		if _, got := a.mux.Handler(httptest.NewRequest(method, path, nil)); got != pattern {
			t.Errorf("%s is routed to %q", pattern, got)
		}
	}
}

// TestOpenAPIStatesTheEngineLimits keeps the numbers openapi.yaml documents for the policy equal to
// the ones the engine owns and the API enforces.
func TestOpenAPIStatesTheEngineLimits(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type schema struct {
		Minimum    *int              `yaml:"minimum"`
		Maximum    *int              `yaml:"maximum"`
		MaxItems   *int              `yaml:"maxItems"`
		MaxLength  *int              `yaml:"maxLength"`
		Enum       []string          `yaml:"enum"`
		Items      *schema           `yaml:"items"`
		Properties map[string]schema `yaml:"properties"`
	}
	var spec struct {
		Components struct {
			Schemas map[string]schema `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	limits := engineLimits(t)
	schemas := spec.Components.Schemas
	input := schemas["PolicyInput"].Properties
	watch := schemas["Watch"].Properties
	digest := watch["digest"].Properties
	span := func(s schema) Range {
		if s.Minimum == nil || s.Maximum == nil {
			return Range{}
		}
		return Range{*s.Minimum, *s.Maximum}
	}
	ranges := []struct {
		name       string
		documented Range
		owned      Range
	}{
		{"PolicyInput.stale_after_days", span(input["stale_after_days"]), limits.StaleAfterDays},
		{"Policy.stale_after_days", span(schemas["Policy"].Properties["stale_after_days"]), limits.StaleAfterDays},
		{"PolicyInput.expiring_within_days", span(input["expiring_within_days"]), limits.ExpiringWithinDays},
		{"Policy.expiring_within_days", span(schemas["Policy"].Properties["expiring_within_days"]), limits.ExpiringWithinDays},
		{"Watch.scan_minutes", span(watch["scan_minutes"]), limits.Watch.ScanMinutes},
		{"Watch.digest.hour_utc", span(digest["hour_utc"]), limits.Watch.HourUTC},
		{"Watch.digest.weekday", span(digest["weekday"]), limits.Watch.Weekday},
	}
	for _, r := range ranges {
		if r.documented != r.owned {
			t.Errorf("%s documents %+v, the engine owns %+v", r.name, r.documented, r.owned)
		}
	}
	exemptions := input["exemptions"]
	if exemptions.MaxItems == nil || *exemptions.MaxItems != limits.MaxExemptions {
		t.Errorf("exemptions maxItems = %v, the engine owns %d", exemptions.MaxItems, limits.MaxExemptions)
	}
	if ids := schemas["TokenIDs"]; ids.MaxItems == nil || *ids.MaxItems != limits.SeenIDsPerRequest {
		t.Errorf("TokenIDs maxItems = %v, the engine owns %d", ids.MaxItems, limits.SeenIDsPerRequest)
	}
	if reason := exemptions.Items.Properties["reason"]; reason.MaxLength == nil || *reason.MaxLength != limits.MaxExemptionReason {
		t.Errorf("reason maxLength = %v, the engine owns %d", reason.MaxLength, limits.MaxExemptionReason)
	}
	lists := []struct {
		name             string
		documented, owns []string
	}{
		{"Watch.digest.schedule", digest["schedule"].Enum, limits.Watch.DigestSchedules},
		{"Watch.offboarding", watch["offboarding"].Enum, limits.Watch.OffboardingRules},
		{"PolicyFindingName", schemas["PolicyFindingName"].Enum, limits.PolicyFindings},
	}
	for _, l := range lists {
		if !slices.Equal(l.documented, l.owns) {
			t.Errorf("%s documents %v, the engine owns %v", l.name, l.documented, l.owns)
		}
	}
}
