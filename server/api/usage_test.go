package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/tokenaudit/token-audit/server/source"
)

type fakeUsage struct {
	found map[string]source.Usage
	err   error
}

// TokenUsagePage pages found in id order, as the database does.
func (f fakeUsage) TokenUsagePage(_ context.Context, after string, limit int) (source.UsagePage, error) {
	ids := make([]string, 0, len(f.found))
	for id := range f.found {
		if id > after {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	page := source.UsagePage{Usage: map[string]source.Usage{}}
	if len(ids) > limit {
		ids = ids[:limit]
		page.Next = ids[limit-1]
	}
	for _, id := range ids {
		page.Usage[id] = f.found[id]
	}
	return page, f.err
}

func withUsage(t testing.TB, source UsageSource) fixture {
	f := newFixture(t)
	f.api = New(Options{Store: f.api.store, Plugin: f.plugin, Usage: source, Limits: f.api.limits})
	return f
}

func TestUsageServesTheSourcePerToken(t *testing.T) {
	f := withUsage(t, fakeUsage{found: map[string]source.Usage{tokenID: {FirstActive: 1000, LastActive: 2000}}})
	var got struct {
		Usage map[string]source.Usage `json:"usage"`
		Next  string                  `json:"next"`
	}
	f.json(t, http.MethodGet, "/usage", "", http.StatusOK, &got)
	want := source.Usage{FirstActive: 1000, LastActive: 2000}
	if len(got.Usage) != 1 || got.Usage[tokenID] != want || got.Next != "" {
		t.Fatalf("got %+v, want usage[%s] = %+v only", got, tokenID, want)
	}
}

func TestUsageWithoutSessionsIsAnEmptyObject(t *testing.T) {
	f := withUsage(t, fakeUsage{found: map[string]source.Usage{}})
	w := f.call(http.MethodGet, prefix+"/usage", admin, nil)
	if w.Code != http.StatusOK || w.Body.String() != "{\"next\":\"\",\"usage\":{}}\n" {
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
		{"unknown query parameter", http.MethodGet, "/usage?owner=" + admin, admin, http.StatusBadRequest},
		{"after not an id", http.MethodGet, "/usage?after=short", admin, http.StatusBadRequest},
		{"limit zero", http.MethodGet, "/usage?limit=0", admin, http.StatusBadRequest},
		{"limit over the page size", http.MethodGet, "/usage?limit=10001", admin, http.StatusBadRequest},
		{"limit not a number", http.MethodGet, "/usage?limit=ten", admin, http.StatusBadRequest},
		{"limit twice", http.MethodGet, "/usage?limit=1&limit=2", admin, http.StatusBadRequest},
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

// Paging follows next until it is empty and sees every token once.
func TestUsagePagesCoverEveryTokenOnce(t *testing.T) {
	found := map[string]source.Usage{}
	for i := 0; i < 5; i++ {
		found[fmt.Sprintf("token%021d", i)] = source.Usage{FirstActive: int64(i), LastActive: int64(i + 1)}
	}
	f := withUsage(t, fakeUsage{found: found})
	got := map[string]source.Usage{}
	pages := 0
	for after := ""; ; pages++ {
		var page struct {
			Usage map[string]source.Usage `json:"usage"`
			Next  string                  `json:"next"`
		}
		f.json(t, http.MethodGet, "/usage?limit=2&after="+after, "", http.StatusOK, &page)
		for id, u := range page.Usage {
			if _, twice := got[id]; twice {
				t.Fatalf("%s on two pages", id)
			}
			got[id] = u
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if pages != 2 || len(got) != len(found) {
		t.Fatalf("%d tokens over %d pages, want %d over 3", len(got), pages+1, len(found))
	}
}
