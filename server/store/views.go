package store

import (
	"encoding/json"
	"fmt"
)

// FindingNames are every finding the inventory can report, as views and /tokens name them.
var FindingNames = []string{
	"owner_deactivated", "owner_system_admin", "owner_bot", "never_expires", "exceeds_max_lifetime",
	"expiring_soon", "expired", "stale", "disabled", "new", "exempted",
}

// ViewsDoc is one admin's saved views and when they last marked the inventory reviewed.
type ViewsDoc struct {
	Views          []View `json:"views"`
	LastReviewedAt int64  `json:"last_reviewed_at"`
}

// View is a saved search of the inventory.
type View struct {
	Name     string      `json:"name"`
	Query    string      `json:"query"`
	Filters  ViewFilters `json:"filters"`
	Sort     ViewSort    `json:"sort"`
	Columns  []string    `json:"columns"`
	PageSize int         `json:"page_size"`
}

// ViewFilters narrows a view.
type ViewFilters struct {
	State      string   `json:"state"`
	Findings   []string `json:"findings"`
	OwnerKinds []string `json:"owner_kinds"`
}

// ViewSort orders a view.
type ViewSort struct {
	Column    string `json:"column"`
	Direction string `json:"direction"`
}

func viewsKey(userID string) string {
	return "views_" + userID
}

// GetViews returns userID's views, empty if they saved none.
func (s *Store) GetViews(userID string) (ViewsDoc, error) {
	raw, err := s.kv.Get(viewsKey(userID))
	if err != nil {
		return ViewsDoc{}, err
	}
	return decodeViews(raw)
}

// PutViews replaces userID's views.
func (s *Store) PutViews(userID string, views []View) (ViewsDoc, error) {
	return s.updateViews(userID, func(doc *ViewsDoc) { doc.Views = views })
}

// MarkReviewed records that userID reviewed the inventory now.
func (s *Store) MarkReviewed(userID string) (ViewsDoc, error) {
	now := s.nowMillis()
	return s.updateViews(userID, func(doc *ViewsDoc) { doc.LastReviewedAt = now })
}

// updateViews is a compare-and-set because one admin may have the console open in several tabs.
func (s *Store) updateViews(userID string, change func(*ViewsDoc)) (ViewsDoc, error) {
	var doc ViewsDoc
	_, err := s.update(viewsKey(userID), func(cur []byte) ([]byte, bool, error) {
		var err error
		if doc, err = decodeViews(cur); err != nil {
			return nil, false, err
		}
		change(&doc)
		next, err := json.Marshal(doc)
		return next, true, err
	})
	return doc, err
}

func decodeViews(raw []byte) (ViewsDoc, error) {
	doc := ViewsDoc{Views: []View{}}
	if raw == nil {
		return doc, nil
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return ViewsDoc{}, fmt.Errorf("decode views: %w", err)
	}
	return doc, nil
}
