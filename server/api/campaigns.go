package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/tokenaudit/token-audit/server/store"
	"github.com/tokenaudit/token-audit/server/watch"
)

// Campaigns starts, cancels and moves clean-up campaigns (package watch); the engine judges the input.
type Campaigns interface {
	StartCampaign(ctx context.Context, adminID string, in watch.CampaignInput) (store.Campaign, error)
	CancelCampaign(adminID, id string) (store.Campaign, error)
	CampaignDisabled(ctx context.Context, adminID, campaignID, tokenID, source string) (store.Campaign, error)
}

type campaignList struct {
	Campaigns []store.Campaign `json:"campaigns"`
}

func (a *API) listCampaigns(_ *http.Request, _ string) (int, any, error) {
	campaigns, err := a.store.ListCampaigns()
	if err != nil {
		return 0, nil, err
	}
	slices.Reverse(campaigns)
	return http.StatusOK, campaignList{Campaigns: campaigns}, nil
}

func (a *API) startCampaign(r *http.Request, userID string) (int, any, error) {
	if a.campaigns == nil {
		return 0, nil, errNoCampaigns
	}
	var in struct {
		TokenIDs  *[]string `json:"token_ids"`
		GraceDays *int      `json:"grace_days"`
		UndoDays  *int      `json:"undo_days"`
		KeepDays  *int      `json:"keep_days"`
		Note      string    `json:"note"`
		Filter    string    `json:"filter"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	for field, missing := range map[string]bool{"token_ids": in.TokenIDs == nil, "grace_days": in.GraceDays == nil, "undo_days": in.UndoDays == nil, "keep_days": in.KeepDays == nil} {
		if missing {
			return 0, nil, invalid("%s is required.", field)
		}
	}
	c, err := a.campaigns.StartCampaign(r.Context(), userID, watch.CampaignInput{
		TokenIDs: *in.TokenIDs, GraceDays: *in.GraceDays, UndoDays: *in.UndoDays, KeepDays: *in.KeepDays, Note: in.Note, Filter: in.Filter,
	})
	if err != nil {
		return 0, nil, campaignError(err)
	}
	return http.StatusCreated, c, nil
}

func (a *API) cancelCampaign(r *http.Request, userID string) (int, any, error) {
	if a.campaigns == nil {
		return 0, nil, errNoCampaigns
	}
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	c, err := a.campaigns.CancelCampaign(userID, id)
	if err != nil {
		return 0, nil, campaignError(err)
	}
	return http.StatusOK, c, nil
}

func (a *API) campaignDisabled(r *http.Request, userID string) (int, any, error) {
	if a.campaigns == nil {
		return 0, nil, errNoCampaigns
	}
	id, err := campaignID(r)
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		TokenID string `json:"token_id"`
		Source  string `json:"source"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if !store.IsID(in.TokenID) {
		return 0, nil, invalid("token_id must be a 26-character token id.")
	}
	if err := oneOf("source", in.Source, callerSources); err != nil {
		return 0, nil, err
	}
	c, err := a.campaigns.CampaignDisabled(r.Context(), userID, id, in.TokenID, in.Source)
	if err != nil {
		return 0, nil, campaignError(err)
	}
	return http.StatusOK, c, nil
}

var errNoCampaigns = &httpError{status: http.StatusNotImplemented, code: "not_available", detail: "Campaigns are not available on this server."}

func campaignID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !store.IsID(id) {
		return "", invalid("%q is not a campaign id.", id)
	}
	return id, nil
}

func campaignError(err error) error {
	var bad *watch.InvalidCampaignError
	switch {
	case errors.As(err, &bad) && len(bad.UnknownTokens) > 0:
		return invalid("token_ids holds ids of no token: %s.", strings.Join(bad.UnknownTokens, ", "))
	case errors.As(err, &bad):
		return invalid("Not acceptable: %s (see the limits in the engine's campaign rules).", strings.Join(bad.Fields, ", "))
	case errors.Is(err, store.ErrNoCampaign):
		return &httpError{status: http.StatusNotFound, code: "not_found", detail: "There is no such campaign."}
	case errors.Is(err, watch.ErrNotDue):
		return &httpError{status: http.StatusConflict, code: "not_due", detail: "The token is not due to be disabled in this campaign (any more)."}
	}
	return err
}
