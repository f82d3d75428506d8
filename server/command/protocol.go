package command

import (
	"context"

	"github.com/tokenaudit/token-audit/server/engine"
	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

// Engine runs the engine's methods (package engine).
type Engine interface {
	Call(ctx context.Context, method string, in, out any) error
}

// The engine's methods (webapp/src/engine/bundle.ts) and the JSON each takes and gives.
const (
	methodAutocomplete = "autocomplete"
	methodPlan         = "plan"
	methodAnswer       = "answer"
	methodExplain      = "explain"
)

// answerContext is the engine's AnswerContext: where and for whom the answer is written.
type answerContext struct {
	SiteURL  string `json:"siteURL"`
	PluginID string `json:"pluginId"`
	Now      int64  `json:"now"`
	Locale   string `json:"locale,omitempty"`

	// The token actions this host can carry out.
	Actions []string `json:"actions"`
}

// The plugin API can revoke a token but has no call to disable or enable one.
var serverActions = []string{"revoke"}

type planInput struct {
	Line string `json:"line"`
}

// needs is the engine's Needs: what to read before answering.
type needs struct {
	Inventory    bool     `json:"inventory"`
	User         *string  `json:"user"`
	Tokens       []string `json:"tokens"`
	Activity     bool     `json:"activity"`
	PolicyAuthor bool     `json:"policyAuthor"`
	Digest       bool     `json:"digest"`
	Campaigns    bool     `json:"campaigns"`
}

// commandData is the engine's CommandData as the server gives it.
type commandData struct {
	engine.Inventory
	LastReviewedAt int64                `json:"lastReviewedAt"`
	User           *source.Owner        `json:"user,omitempty"`
	PolicyAuthor   *source.Owner        `json:"policyAuthor,omitempty"`
	Digest         *store.DigestHistory `json:"digest,omitempty"`
	Campaigns      []store.Campaign     `json:"campaigns,omitempty"`
}

// answerInput is what the engine answers a command from. Data is the host's commandData; the
// shared corpus hands over its data as written.
type answerInput struct {
	Line    string        `json:"line"`
	Context answerContext `json:"context"`
	Data    any           `json:"data"`
	Outcome *outcome      `json:"outcome,omitempty"`
}

// step is the engine's Step: a reply, or an action for the host to carry out first.
type step struct {
	Kind     string       `json:"kind"`
	Markdown string       `json:"markdown"`
	Action   string       `json:"action"`
	Tokens   []actionItem `json:"tokens"`

	// Campaigns whose due tokens a "disable_due" step disables: a step only a host with a session is
	// given (serverActions has no disable), read here so that the engine's steps decode whole.
	Campaigns []string `json:"campaigns"`
}

const (
	stepReply = "reply"
	stepAct   = "act"
	// Post the markdown where the digest goes, then answer again with how that went.
	stepPost = "post"
)

type actionItem struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
}

// outcome is how the action the engine asked for went.
type outcome struct {
	Results    []actionResult `json:"results"`
	TrailError string         `json:"trailError,omitempty"`
	Posted     *posted        `json:"posted,omitempty"`
}

// posted is how posting the digest went.
type posted struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type actionResult struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// failureCode is the engine's FailureCode: why the host could not answer.
type failureCode string

const (
	failureRefused     failureCode = "refused"
	failureFailed      failureCode = "failed"
	failureNotRecorded failureCode = "not_recorded"
	failureCannotList  failureCode = "cannot_list"
)

type explainInput struct {
	Code    failureCode   `json:"code"`
	Detail  string        `json:"detail"`
	Context answerContext `json:"context"`
}

func plan(ctx context.Context, e Engine, line string) (needs, error) {
	var n needs
	err := e.Call(ctx, methodPlan, planInput{Line: line}, &n)
	return n, err
}

func answer(ctx context.Context, e Engine, in answerInput) (step, error) {
	var s step
	err := e.Call(ctx, methodAnswer, in, &s)
	return s, err
}

func explain(ctx context.Context, e Engine, in explainInput) (string, error) {
	var markdown string
	err := e.Call(ctx, methodExplain, in, &markdown)
	return markdown, err
}
