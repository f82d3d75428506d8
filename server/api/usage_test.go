package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/tokenaudit/token-audit/server/source"
)

type fakeUsage struct {
	found map[string]source.Usage
	err   error
}

func (f fakeUsage) TokenUsage(context.Context) (map[string]source.Usage, error) {
	return f.found, f.err
}

func withUsage(t testing.TB, source UsageSource) fixture {
	f := newFixture(t)
	f.api = New(Options{Store: f.api.store, Plugin: f.plugin, Usage: source, Limits: f.api.limits})
	return f
}

func TestUsageServesTheSourcePerToken(t *testing.T) {
	f := withUsage(t, fakeUsage{found: map[string]source.Usage{tokenID: {FirstActive: 1000, LastActive: 2000}}})
	var got map[string]map[string]source.Usage
	f.json(t, http.MethodGet, "/usage", "", http.StatusOK, &got)
	want := source.Usage{FirstActive: 1000, LastActive: 2000}
	if len(got["usage"]) != 1 || got["usage"][tokenID] != want {
		t.Fatalf("got %+v, want usage[%s] = %+v only", got, tokenID, want)
	}
}

func TestUsageWithoutSessionsIsAnEmptyObject(t *testing.T) {
	f := withUsage(t, fakeUsage{found: map[string]source.Usage{}})
	w := f.call(http.MethodGet, prefix+"/usage", admin, nil)
	if w.Code != http.StatusOK || w.Body.String() != "{\"usage\":{}}\n" {
		t.Fatalf("got %d %s", w.Code, w.Body.String())
	}
}

func TestUsageUnavailableWithoutASource(t *testing.T) {
	f := withUsage(t, nil)
	w := f.call(http.MethodGet, prefix+"/usage", admin, nil)
	var body errorBody
	if err := json.NewDecoder(w.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusNotImplemented || body.Error != "usage_unavailable" || body.Detail == "" {
		t.Fatalf("got %d %+v, want 501 usage_unavailable", w.Code, body)
	}
}

func TestUsageFailureIsLoggedAndInternal(t *testing.T) {
	f := withUsage(t, fakeUsage{err: errors.New("connection reset")})
	w := f.call(http.MethodGet, prefix+"/usage", admin, nil)
	if w.Code != http.StatusInternalServerError || len(f.plugin.errors) != 1 {
		t.Fatalf("got %d with logged errors %v", w.Code, f.plugin.errors)
	}
}

func TestUsageRefusals(t *testing.T) {
	f := withUsage(t, fakeUsage{found: map[string]source.Usage{tokenID: {FirstActive: 1, LastActive: 2}}})
	for _, c := range []struct {
		name, method, path, user string
		want                     int
	}{
		{"anonymous", http.MethodGet, "/usage", "", http.StatusUnauthorized},
		{"not an admin", http.MethodGet, "/usage", member, http.StatusForbidden},
		{"wrong method", http.MethodPost, "/usage", admin, http.StatusMethodNotAllowed},
		{"query parameter", http.MethodGet, "/usage?owner=" + admin, admin, http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.call(c.method, prefix+c.path, c.user, nil)
			if w.Code != c.want {
				t.Fatalf("got %d %s, want %d", w.Code, w.Body.String(), c.want)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("body %q is not the JSON error shape", w.Body.String())
			}
		})
	}
}
