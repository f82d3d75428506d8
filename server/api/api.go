// Package api serves the plugin's HTTP API under /api/v1 (see openapi.yaml) to system admins.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store"
)

const (
	prefix = "/api/v1"
	// Mattermost strips this header from incoming requests and sets it after authenticating.
	userIDHeader = "Mattermost-User-Id"
	maxBody      = 1 << 20
)

// PluginAPI is the part of plugin.API the handlers use.
type PluginAPI interface {
	HasPermissionTo(userID string, permission *model.Permission) bool
	HasPermissionToChannel(userID, channelID string, permission *model.Permission) bool
	GetPost(postID string) (*model.Post, *model.AppError)
	GetChannel(channelID string) (*model.Channel, *model.AppError)
	SendEphemeralPost(userID string, post *model.Post) *model.Post
	UpdateEphemeralPost(userID string, post *model.Post) *model.Post
	LogError(msg string, keyValuePairs ...any)
}

// UsageSource reads token activity from Mattermost's sessions (package source), a page at a time.
type UsageSource interface {
	TokenUsagePage(ctx context.Context, after string, limit int) (source.UsagePage, error)
}

// API is the plugin's http.Handler.
type API struct {
	store  *store.Store
	plugin PluginAPI
	// Nil when the server's sessions cannot be read: GET /usage then answers 501.
	usage  UsageSource
	limits Limits
	// Nil when the server cannot watch.
	campaigns Campaigns
	mux       *http.ServeMux
}

// Options are what the API serves from.
type Options struct {
	Store  *store.Store
	Plugin PluginAPI

	// Nil when the server's sessions cannot be read.
	Usage UsageSource

	// The policy's bounds, from LoadLimits.
	Limits Limits

	// Nil when the server cannot watch: the campaign routes then answer 501.
	Campaigns Campaigns
}

// handler answers a request from an authorised admin with a status and a JSON body (none when
// body is nil), or an error that ServeHTTP maps to a status.
type handler func(r *http.Request, userID string) (status int, body any, err error)

type route struct {
	method, path string
	handle       handler
}

// New returns the API.
func New(opts Options) *API {
	a := &API{store: opts.Store, plugin: opts.Plugin, usage: opts.Usage, limits: opts.Limits, campaigns: opts.Campaigns, mux: http.NewServeMux()}
	for _, rt := range a.routes() {
		a.mux.HandleFunc(rt.method+" "+prefix+rt.path, func(w http.ResponseWriter, r *http.Request) {
			status, body, err := rt.handle(r, r.Header.Get(userIDHeader))
			if err != nil {
				a.writeErr(w, r, err)
				return
			}
			writeJSON(w, status, body)
		})
	}
	return a
}

func (a *API) routes() []route {
	return []route{
		{http.MethodGet, "/policy", a.getPolicy},
		{http.MethodPut, "/policy", a.putPolicy},
		{http.MethodGet, "/views", a.getViews},
		{http.MethodPut, "/views", a.putViews},
		{http.MethodPost, "/views/reviewed", a.markReviewed},
		{http.MethodPost, "/seen", a.recordSeen},
		{http.MethodPost, "/seen/lookup", a.lookupSeen},
		{http.MethodPost, "/trail", a.appendTrail},
		{http.MethodGet, "/trail", a.listTrail},
		{http.MethodPost, "/ephemeral", a.ephemeral},
		{http.MethodPut, "/ephemeral/{id}", a.replaceEphemeral},
		{http.MethodGet, "/usage", a.getUsage},
		{http.MethodGet, "/campaigns", a.listCampaigns},
		{http.MethodPost, "/campaigns", a.startCampaign},
		{http.MethodPost, "/campaigns/{id}/cancel", a.cancelCampaign},
		{http.MethodPost, "/campaigns/{id}/disabled", a.campaignDisabled},
	}
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	userID := r.Header.Get(userIDHeader)
	if userID == "" {
		writeError(w, http.StatusUnauthorized, "unauthorized", "Log in to Mattermost to use Token Audit.")
		return
	}
	if !a.plugin.HasPermissionTo(userID, model.PermissionManageSystem) {
		writeError(w, http.StatusForbidden, "forbidden", "Only system admins can use Token Audit.")
		return
	}
	if _, pattern := a.mux.Handler(r); pattern == "" {
		a.noRoute(w, r)
		return
	}
	if r.ContentLength > maxBody {
		writeTooLarge(w, maxBody)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	a.mux.ServeHTTP(w, r)
}

// noRoute answers in the API's error shape, letting the mux decide between 404 and 405.
func (a *API) noRoute(w http.ResponseWriter, r *http.Request) {
	rec := &headerRecorder{header: http.Header{}}
	a.mux.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s is not allowed on %s; allowed: %s.", r.Method, r.URL.Path, allow))
		return
	}
	writeError(w, http.StatusNotFound, "not_found", "There is no API route "+r.URL.Path+".")
}

// headerRecorder keeps the status and headers of a response and discards its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// httpError is a client error with its status and machine-readable code.
type httpError struct {
	status int
	code   string
	detail string
}

func (e *httpError) Error() string { return e.detail }

func invalid(format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, code: "invalid_value", detail: fmt.Sprintf(format, args...)}
}

type errorBody struct {
	Error   string        `json:"error"`
	Detail  string        `json:"detail"`
	Current *store.Policy `json:"current,omitempty"`
}

func (a *API) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var (
		he       *httpError
		conflict *store.ConflictError
		pastEnd  *store.PastEndError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.code, he.detail)
	case errors.As(err, &pastEnd):
		writeError(w, http.StatusBadRequest, "invalid_value", fmt.Sprintf(
			"exemptions[%d].expires_at (%d) has passed: a new or changed end must be in the future.", pastEnd.Index, pastEnd.ExpiresAt))
	case errors.As(err, &conflict):
		writeJSON(w, http.StatusConflict, errorBody{
			Error:   "conflict",
			Detail:  "The policy was changed by someone else. Review the current policy and apply your change again.",
			Current: &conflict.Current,
		})
	case errors.As(err, &tooLarge):
		writeTooLarge(w, tooLarge.Limit)
	case errors.Is(err, store.ErrBusy):
		writeError(w, http.StatusServiceUnavailable, "busy", "Too many concurrent changes; try again.")
	default:
		a.plugin.LogError("Token Audit API request failed", "method", r.Method, "path", r.URL.Path, "err", err.Error())
		writeError(w, http.StatusInternalServerError, "internal", "The server could not complete the request; see the server log.")
	}
}

func writeTooLarge(w http.ResponseWriter, limit int64) {
	writeError(w, http.StatusRequestEntityTooLarge, "too_large",
		fmt.Sprintf("The request body is larger than %d MiB.", limit>>20))
}

func writeError(w http.ResponseWriter, status int, code, detail string) {
	writeJSON(w, status, errorBody{Error: code, Detail: detail})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status line is out; a failed write means the client went away.
	_ = json.NewEncoder(w).Encode(body)
}

// decodeJSON reads exactly one JSON value into dst, refusing unknown fields, trailing data and
// bytes that are not UTF-8 (which encoding/json would silently store as U+FFFD).
func decodeJSON(r *http.Request, dst any) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	if !utf8.Valid(raw) {
		return &httpError{http.StatusBadRequest, "invalid_json", "The body is not valid UTF-8."}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return jsonError(err)
		}
		return &httpError{http.StatusBadRequest, "invalid_json", "The body must hold a single JSON value."}
	}
	return nil
}

func jsonError(err error) error {
	var (
		tooLarge *http.MaxBytesError
		syntax   *json.SyntaxError
		wrong    *json.UnmarshalTypeError
	)
	detail := "The body is not valid JSON."
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		detail = "The body is empty."
	case errors.As(err, &syntax):
		detail = fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &wrong):
		detail = fmt.Sprintf("%s must be %s, not %s.", fieldName(wrong), jsonKind(wrong.Type), wrong.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		detail = "Unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "."
	}
	return &httpError{http.StatusBadRequest, "invalid_json", detail}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list"
	default:
		return "an object"
	}
}

func fieldName(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return "The body"
	}
	return e.Field
}
