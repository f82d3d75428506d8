// Package engine runs Token Audit's TypeScript engine (webapp/src/engine, bundled by the Makefile as
// engine.js) in goja, so that the server answers /tokens with the same grammar, findings and words
// as the webapp. Every call crosses the boundary as JSON: TokenAuditEngine.call(method, json) -> json.
package engine

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"

	"github.com/dop251/goja"
)

//go:embed engine.js
var bundle string

// Engine hands each call to one of a few goja runtimes. A goja.Runtime must not be used by two
// goroutines at once, so a runtime serves one call at a time; runtimes are made when first needed
// (about 45 ms each) and kept for the next call.
type Engine struct {
	program *goja.Program
	prepare func(*goja.Runtime) error

	// idle holds runtimes between calls; slots holds one token per runtime that exists.
	idle  chan *vm
	slots chan struct{}
}

// vm is one runtime with the engine loaded.
type vm struct {
	runtime *goja.Runtime
	call    goja.Callable
}

// Options size the pool. Zero values take the defaults.
type Options struct {
	// Runtimes is the most runtimes that exist at once, and so the most calls that run at once;
	// GOMAXPROCS by default, since a call keeps a CPU busy from start to end.
	Runtimes int
}

// New compiles the embedded engine.js. Runtimes are made on demand.
func New(opts Options) (*Engine, error) {
	return newEngine(bundle, opts, nil)
}

// newEngine is New for another script; prepare runs on every new runtime before the script.
func newEngine(source string, opts Options, prepare func(*goja.Runtime) error) (*Engine, error) {
	program, err := goja.Compile("engine.js", source, false)
	if err != nil {
		return nil, fmt.Errorf("compile engine.js: %w", err)
	}
	size := opts.Runtimes
	if size <= 0 {
		size = runtime.GOMAXPROCS(0)
	}
	return &Engine{
		program: program,
		prepare: prepare,
		idle:    make(chan *vm, size),
		slots:   make(chan struct{}, size),
	}, nil
}

// Error is a call the engine itself refused or failed: an unknown method, input it could not take,
// or an exception thrown inside it.
type Error struct {
	Method string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("engine.js %s: %s", e.Method, e.Reason)
}

// Call runs TokenAuditEngine.call(method, JSON of in) and decodes its JSON answer into out (a
// pointer; nil discards the answer). When ctx ends first, the running call is interrupted, its
// runtime thrown away, and the error wraps ctx.Err().
func (e *Engine) Call(ctx context.Context, method string, in, out any) error {
	input, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("engine.js %s: encode the input: %w", method, err)
	}
	machine, err := e.acquire(ctx)
	if err != nil {
		return fmt.Errorf("engine.js %s: %w", method, err)
	}
	result, err := machine.run(ctx, method, string(input))
	if errors.Is(err, errInterrupted) {
		// An interrupt that arrived after the call ended is still pending on the runtime, so a
		// runtime that saw one is never used again.
		e.discard()
		return fmt.Errorf("engine.js %s: %w", method, context.Cause(ctx))
	}
	e.release(machine)
	if err != nil {
		return &Error{Method: method, Reason: err.Error()}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(result), out); err != nil {
		return fmt.Errorf("engine.js %s: decode the answer: %w", method, err)
	}
	return nil
}

// acquire returns an idle runtime, a new one while fewer than the pool's size exist, or waits for
// one to come back.
func (e *Engine) acquire(ctx context.Context) (*vm, error) {
	select {
	case machine := <-e.idle:
		return e.unlessDone(ctx, machine)
	default:
	}
	select {
	case machine := <-e.idle:
		return e.unlessDone(ctx, machine)
	case e.slots <- struct{}{}:
		machine, err := e.load()
		if err != nil {
			<-e.slots
			return nil, err
		}
		return e.unlessDone(ctx, machine)
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// unlessDone gives machine back when ctx ended while it was being found, so that a finished
// request never starts a call.
func (e *Engine) unlessDone(ctx context.Context, machine *vm) (*vm, error) {
	if err := context.Cause(ctx); err != nil {
		e.release(machine)
		return nil, err
	}
	return machine, nil
}

func (e *Engine) release(machine *vm) {
	e.idle <- machine
}

func (e *Engine) discard() {
	<-e.slots
}

func (e *Engine) load() (*vm, error) {
	rt := goja.New()
	if e.prepare != nil {
		if err := e.prepare(rt); err != nil {
			return nil, err
		}
	}
	if _, err := rt.RunProgram(e.program); err != nil {
		return nil, fmt.Errorf("load engine.js: %w", err)
	}
	global := rt.Get("TokenAuditEngine")
	if global == nil || goja.IsUndefined(global) || goja.IsNull(global) {
		return nil, errors.New("load engine.js: it defines no TokenAuditEngine")
	}
	call, ok := goja.AssertFunction(global.ToObject(rt).Get("call"))
	if !ok {
		return nil, errors.New("load engine.js: TokenAuditEngine.call is not a function")
	}
	return &vm{runtime: rt, call: call}, nil
}

var errInterrupted = errors.New("interrupted")

// run calls the engine, interrupting it if ctx ends meanwhile. It reports errInterrupted whenever
// an interrupt may have reached the runtime, even after the call returned.
func (m *vm) run(ctx context.Context, method, input string) (string, error) {
	stop := context.AfterFunc(ctx, func() { m.runtime.Interrupt(errInterrupted) })
	result, err := m.call(goja.Undefined(), m.runtime.ToValue(method), m.runtime.ToValue(input))
	if !stop() {
		return "", errInterrupted
	}
	if err != nil {
		return "", err
	}
	text, ok := result.Export().(string)
	if !ok {
		return "", fmt.Errorf("answered %s, not a JSON string", result.ExportType())
	}
	return text, nil
}
