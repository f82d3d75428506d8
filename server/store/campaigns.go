package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Clean-up campaigns: one key per campaign ("campaign_<id>") and an index of their ids. Every change
// is a compare-and-set on the campaign's key, so a stage moved by one node is seen as moved by every
// other, and a move that lost the race changes nothing.
const (
	campaignPrefix   = "campaign_"
	campaignIndexKey = "campaign_index"
)

// Stages of a campaign's token, as the engine's stage machine names them (campaign/campaign.ts).
const (
	CampaignPicked         = "picked"
	CampaignNotified       = "notified"
	CampaignKept           = "kept"
	CampaignRevokedByOwner = "revoked_by_owner"
	CampaignDue            = "due"
	CampaignDisabled       = "disabled"
	CampaignReenabled      = "reenabled"
	CampaignRevoked        = "revoked"
	CampaignGone           = "gone"
)

// CampaignToken is a token of a campaign. OwnerID is who is asked: the token's user, or for a bot's
// token the bot's owner.
type CampaignToken struct {
	ID        string `json:"id"`
	UserID    string `json:"user_id"`
	OwnerID   string `json:"owner_id"`
	Stage     string `json:"stage"`
	ChangedAt int64  `json:"changed_at"`
	ChangedBy string `json:"changed_by"`
	KeptUntil int64  `json:"kept_until,omitempty"`
	// The DM that asked the owner, whose buttons answer for this token only.
	PostID string `json:"post_id,omitempty"`
	Locale string `json:"locale,omitempty"`
	// What a move still owes once stored: PendingRevoke or PendingExempt. Set with the move and
	// cleared when the revoke or exemption is done, so that a move interrupted in between (a node
	// killed) is finished by the campaign job rather than left at a stage whose action never ran.
	Pending string `json:"pending,omitempty"`
}

// What a stored move may still owe (CampaignToken.Pending).
const (
	PendingRevoke = "revoke"
	PendingExempt = "exempt"
)

// Campaign is the engine's Campaign.
type Campaign struct {
	ID          string          `json:"id"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   int64           `json:"created_at"`
	Note        string          `json:"note"`
	Filter      string          `json:"filter"`
	GraceDays   int             `json:"grace_days"`
	UndoDays    int             `json:"undo_days"`
	KeepDays    int             `json:"keep_days"`
	DayMillis   int64           `json:"day_ms"`
	CancelledAt int64           `json:"cancelled_at"`
	CancelledBy string          `json:"cancelled_by,omitempty"`
	Tokens      []CampaignToken `json:"tokens"`
}

// Token returns the campaign's token id, or nil.
func (c *Campaign) Token(id string) *CampaignToken {
	for i := range c.Tokens {
		if c.Tokens[i].ID == id {
			return &c.Tokens[i]
		}
	}
	return nil
}

// ErrNoCampaign means no campaign has that id.
var ErrNoCampaign = errors.New("store: no such campaign")

// CreateCampaign stores a new campaign and adds it to the index.
func (s *Store) CreateCampaign(c Campaign) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	ok, err := s.kv.CompareAndSet(campaignPrefix+c.ID, nil, raw)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("campaign %s exists already", c.ID)
	}
	_, err = s.update(campaignIndexKey, func(cur []byte) ([]byte, bool, error) {
		var ids []string
		if cur != nil {
			if err := json.Unmarshal(cur, &ids); err != nil {
				return nil, false, fmt.Errorf("decode %s: %w", campaignIndexKey, err)
			}
		}
		if slices.Contains(ids, c.ID) {
			return nil, false, nil
		}
		next, err := json.Marshal(append(ids, c.ID))
		return next, true, err
	})
	return err
}

// GetCampaign reads the campaign id; ErrNoCampaign when there is none.
func (s *Store) GetCampaign(id string) (Campaign, error) {
	raw, err := s.kv.Get(campaignPrefix + id)
	if err != nil {
		return Campaign{}, err
	}
	if raw == nil {
		return Campaign{}, ErrNoCampaign
	}
	return decodeCampaign(id, raw)
}

func decodeCampaign(id string, raw []byte) (Campaign, error) {
	var c Campaign
	if err := json.Unmarshal(raw, &c); err != nil {
		return Campaign{}, fmt.Errorf("decode campaign %s: %w", id, err)
	}
	return c, nil
}

// ListCampaigns returns every campaign, oldest first.
func (s *Store) ListCampaigns() ([]Campaign, error) {
	raw, err := s.kv.Get(campaignIndexKey)
	if err != nil || raw == nil {
		return []Campaign{}, err
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, fmt.Errorf("decode %s: %w", campaignIndexKey, err)
	}
	out := make([]Campaign, 0, len(ids))
	for _, id := range ids {
		c, err := s.GetCampaign(id)
		if errors.Is(err, ErrNoCampaign) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// UpdateCampaign changes the campaign id with change, by compare-and-set: change sees the stored
// campaign as it is now (again after a lost race) and reports whether to write. UpdateCampaign
// returns the campaign as stored afterwards and whether it wrote.
func (s *Store) UpdateCampaign(id string, change func(c *Campaign) (bool, error)) (Campaign, bool, error) {
	var c Campaign
	wrote, err := s.update(campaignPrefix+id, func(cur []byte) ([]byte, bool, error) {
		if cur == nil {
			return nil, false, ErrNoCampaign
		}
		var err error
		if c, err = decodeCampaign(id, cur); err != nil {
			return nil, false, err
		}
		write, err := change(&c)
		if err != nil || !write {
			return nil, false, err
		}
		next, err := json.Marshal(c)
		return next, true, err
	})
	return c, wrote, err
}

// StageMove moves one token of a campaign from one stage to another.
type StageMove struct {
	CampaignID string
	TokenID    string
	From, To   string
	By         string
	// Applied to the token after the move (kept_until, post id), when set.
	Also func(t *CampaignToken)
}

// MoveCampaignToken makes move if the token is still at move.From and the campaign is not
// cancelled; false, with nothing changed, when it is not: another node, click or request moved it
// first.
func (s *Store) MoveCampaignToken(move StageMove) (Campaign, bool, error) {
	return s.UpdateCampaign(move.CampaignID, func(c *Campaign) (bool, error) {
		t := c.Token(move.TokenID)
		if t == nil || t.Stage != move.From || c.CancelledAt > 0 {
			return false, nil
		}
		t.Stage, t.ChangedAt, t.ChangedBy = move.To, s.nowMillis(), move.By
		if move.Also != nil {
			move.Also(t)
		}
		return true, nil
	})
}

// FinishCampaignPending clears the token's pending action once done; false when it owed no longer
// owed pending (someone else finished it). A cancelled campaign still has its owed actions finished:
// they were asked for before the cancel.
func (s *Store) FinishCampaignPending(campaignID, tokenID, pending string) (Campaign, bool, error) {
	return s.UpdateCampaign(campaignID, func(c *Campaign) (bool, error) {
		t := c.Token(tokenID)
		if t == nil || t.Pending != pending {
			return false, nil
		}
		t.Pending = ""
		return true, nil
	})
}

// SetCampaignPost records the DM that asked about a token, once it is posted.
func (s *Store) SetCampaignPost(campaignID, tokenID, postID, locale string) error {
	_, _, err := s.UpdateCampaign(campaignID, func(c *Campaign) (bool, error) {
		t := c.Token(tokenID)
		if t == nil || t.PostID == postID {
			return false, nil
		}
		t.PostID, t.Locale = postID, locale
		return true, nil
	})
	return err
}

// CancelCampaign marks the campaign cancelled by actorID; false when it already was.
func (s *Store) CancelCampaign(id, actorID string) (Campaign, bool, error) {
	return s.UpdateCampaign(id, func(c *Campaign) (bool, error) {
		if c.CancelledAt > 0 {
			return false, nil
		}
		c.CancelledAt, c.CancelledBy = s.nowMillis(), actorID
		return true, nil
	})
}

// ExemptToken adds (or renews) an exemption of one token until expiresAt, by actorID, through
// PutPolicy's compare-and-set: a policy saved by an admin meanwhile is read again and kept.
func (s *Store) ExemptToken(actorID, tokenID, reason string, expiresAt int64) (prev, next Policy, err error) {
	for range maxAttempts {
		current, err := s.GetPolicy()
		if err != nil {
			return Policy{}, Policy{}, err
		}
		in := PolicyInput{
			Version: current.Version, StaleAfterDays: current.StaleAfterDays, ExpiringWithinDays: current.ExpiringWithinDays,
			Findings: current.Findings, Watch: &current.Watch,
		}
		for _, e := range current.Exemptions {
			if e.Kind == "token" && e.ID == tokenID {
				continue
			}
			in.Exemptions = append(in.Exemptions, ExemptionInput{Kind: e.Kind, ID: e.ID, Reason: e.Reason, ExpiresAt: e.ExpiresAt})
		}
		in.Exemptions = append(in.Exemptions, ExemptionInput{Kind: "token", ID: tokenID, Reason: reason, ExpiresAt: expiresAt})
		prev, next, err = s.PutPolicy(actorID, in)
		var conflict *ConflictError
		if !errors.As(err, &conflict) {
			return prev, next, err
		}
	}
	return Policy{}, Policy{}, ErrBusy
}
