package store_test

import (
	"testing"
	"time"

	"github.com/tokenaudit/token-audit/server/store"
)

func TestViewsArePerAdmin(t *testing.T) {
	s, _, clock := newStore(t)

	doc, err := s.GetViews(alice)
	if err != nil || doc.Views == nil || len(doc.Views) != 0 || doc.LastReviewedAt != 0 {
		t.Fatalf("initial = %+v, %v", doc, err)
	}

	view := store.View{Name: "bots", Filters: store.ViewFilters{State: "all"}, Sort: store.ViewSort{Column: "owner", Direction: "asc"}, PageSize: 50}
	if _, err := s.PutViews(alice, []store.View{view}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	doc, err = s.MarkReviewed(alice)
	if err != nil || len(doc.Views) != 1 || doc.LastReviewedAt != clock.Now().UnixMilli() {
		t.Fatalf("after review = %+v, %v", doc, err)
	}

	// Replacing the views keeps the review time.
	doc, err = s.PutViews(alice, []store.View{})
	if err != nil || len(doc.Views) != 0 || doc.LastReviewedAt != clock.Now().UnixMilli() {
		t.Fatalf("after clearing = %+v, %v", doc, err)
	}

	other, err := s.GetViews(bob)
	if err != nil || len(other.Views) != 0 || other.LastReviewedAt != 0 {
		t.Fatalf("bob sees %+v, %v", other, err)
	}
}
