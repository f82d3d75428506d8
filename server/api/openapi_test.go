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
	a := New(nil, nil, nil)
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
