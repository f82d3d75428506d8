package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dop251/goja"

	"github.com/tokenaudit/token-audit/server/engine/enginetest"
)

func TestTheEmbeddedBundleAnswersInTheReadersLanguage(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range []string{"en", "de", "es"} {
		var got struct {
			Trigger     string `json:"trigger"`
			Description string `json:"description"`
			Subcommands []struct {
				Name string `json:"name"`
			} `json:"subcommands"`
		}
		if err := e.Call(context.Background(), "autocomplete", map[string]string{"locale": locale}, &got); err != nil {
			t.Fatal(err)
		}
		want := enginetest.Message(t, locale, "token_audit.command.autocomplete.description")
		if got.Trigger != "tokens" || got.Description != want || len(got.Subcommands) != 12 {
			t.Fatalf("%s: %+v, want description %q", locale, got, want)
		}
	}
}

func TestUnknownMethodsAndThrownErrorsAreEngineErrors(t *testing.T) {
	e, err := New(Options{Runtimes: 1})
	if err != nil {
		t.Fatal(err)
	}
	var engineErr *Error
	err = e.Call(context.Background(), "frobnicate", map[string]string{}, nil)
	if !errors.As(err, &engineErr) || engineErr.Method != "frobnicate" || !strings.Contains(engineErr.Reason, "has no method frobnicate") {
		t.Fatalf("unknown method: %v", err)
	}
	// An answer without its context throws inside the engine.
	err = e.Call(context.Background(), "answer", map[string]string{"line": "/tokens list"}, nil)
	if !errors.As(err, &engineErr) || engineErr.Method != "answer" || !strings.Contains(engineErr.Reason, "TypeError") {
		t.Fatalf("bad input: %v", err)
	}
	// The one runtime is still usable after both.
	var needs map[string]any
	if err := e.Call(context.Background(), "plan", map[string]string{"line": "/tokens list"}, &needs); err != nil || needs["inventory"] != true {
		t.Fatalf("plan after errors = %v, %v", needs, err)
	}
}

func TestInputThatIsNotJSONIsRefusedBeforeTheEngine(t *testing.T) {
	e, loads := scripted(t, 1, nil)
	err := e.Call(context.Background(), "echo", make(chan int), nil)
	if err == nil || !strings.Contains(err.Error(), "encode the input") || loads.Load() != 0 {
		t.Fatalf("err %v after %d loads", err, loads.Load())
	}
}

func TestAnAnswerOfTheWrongShapeIsADecodeError(t *testing.T) {
	e, _ := scripted(t, 1, nil)
	var out []int
	err := e.Call(context.Background(), "echo", map[string]string{"a": "b"}, &out)
	if err == nil || !strings.Contains(err.Error(), "decode the answer") {
		t.Fatalf("err %v", err)
	}
}

const testScript = `var TokenAuditEngine = {call: function (method, input) {
	if (method === 'spin') { spinning(); while (true) {} }
	if (method === 'block') { block(); }
	if (method === 'throw') { throw new Error('thrown on purpose'); }
	if (method === 'number') { return 5; }
	return input;
}};`

// scripted is an engine on testScript whose runtimes get the Go functions in funcs; the counter
// says how many runtimes were made.
func scripted(t *testing.T, size int, funcs map[string]func()) (*Engine, *atomic.Int32) {
	t.Helper()
	var loads atomic.Int32
	e, err := newEngine(testScript, Options{Runtimes: size}, func(rt *goja.Runtime) error {
		loads.Add(1)
		for name, fn := range funcs {
			if err := rt.Set(name, fn); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, &loads
}

func TestACallIsInterruptedWhenItsContextEndsAndItsRuntimeReplaced(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	cause := errors.New("the request went away")
	e, loads := scripted(t, 1, map[string]func(){"spinning": func() { cancel(cause) }})

	err := e.Call(ctx, "spin", "", nil)
	if !errors.Is(err, cause) {
		t.Fatalf("spin = %v, want the context's cause", err)
	}
	var out string
	if err := e.Call(context.Background(), "echo", "after", &out); err != nil || out != "after" {
		t.Fatalf("echo after the interrupt = %q, %v", out, err)
	}
	if loads.Load() != 2 {
		t.Fatalf("%d runtimes made, want the interrupted one replaced", loads.Load())
	}
}

func TestAContextThatEndsAfterTheCallLeavesTheRuntimeInUse(t *testing.T) {
	e, loads := scripted(t, 1, nil)
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Call(ctx, "echo", "one", nil); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := e.Call(context.Background(), "echo", "two", nil); err != nil || loads.Load() != 1 {
		t.Fatalf("second call: %v after %d loads", err, loads.Load())
	}
}

func TestACallThatWaitsForABusyPoolGivesUpWithItsContext(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	e, loads := scripted(t, 1, map[string]func(){"block": func() {
		entered <- struct{}{}
		<-release
	}})
	done := make(chan error)
	go func() { done <- e.Call(context.Background(), "block", "", nil) }()
	<-entered

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Call(ctx, "echo", "", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("call on a busy pool = %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if loads.Load() != 1 {
		t.Fatalf("%d runtimes made for a pool of one", loads.Load())
	}
}

func TestThrownErrorsKeepTheRuntime(t *testing.T) {
	e, loads := scripted(t, 1, nil)
	var engineErr *Error
	if err := e.Call(context.Background(), "throw", "", nil); !errors.As(err, &engineErr) || !strings.Contains(engineErr.Reason, "thrown on purpose") {
		t.Fatalf("throw = %v", err)
	}
	if err := e.Call(context.Background(), "number", "", nil); !errors.As(err, &engineErr) || !strings.Contains(engineErr.Reason, "not a JSON string") {
		t.Fatalf("number = %v", err)
	}
	if err := e.Call(context.Background(), "echo", "", nil); err != nil || loads.Load() != 1 {
		t.Fatalf("echo = %v after %d loads", err, loads.Load())
	}
}

func TestConcurrentCallsShareThePoolAndGetTheirOwnAnswers(t *testing.T) {
	e, loads := scripted(t, 2, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprintf("call %d", i)
			var got string
			if err := e.Call(context.Background(), "echo", want, &got); err != nil || got != want {
				errs <- fmt.Errorf("%s: got %q, %v", want, got, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := loads.Load(); n < 1 || n > 2 {
		t.Fatalf("%d runtimes for a pool of two", n)
	}
}

func TestAScriptWithoutTheEngineSaysSoEveryTime(t *testing.T) {
	e, err := newEngine("var x = 1;", Options{Runtimes: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.Call(context.Background(), "echo", "", nil); err == nil || !strings.Contains(err.Error(), "defines no TokenAuditEngine") {
			t.Fatalf("err = %v", err)
		}
	}
	if _, err := newEngine("var = ;", Options{}, nil); err == nil || !strings.Contains(err.Error(), "compile engine.js") {
		t.Fatalf("a script that does not compile: %v", err)
	}
}
