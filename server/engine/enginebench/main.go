// Command enginebench times the embedded engine.js in goja, as the server runs it, on one call read
// from a JSON file: `make bench` hands it the same input it times in Node, so the two hosts are
// compared on the same data and the same script.
//
//	go run ./engine/enginebench -method answer -input call.json -runs 5
//
// It prints one JSON object: the milliseconds of each run (the first one includes making the
// runtime) and a digest of the answer, so a caller can check both hosts answered alike.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tokenaudit/token-audit/server/engine"
)

type report struct {
	ColdMs       float64   `json:"coldMs"`
	RunsMs       []float64 `json:"runsMs"`
	AnswerSHA256 string    `json:"answerSha256"`
}

func main() {
	method := flag.String("method", "answer", "the engine method to call")
	inputPath := flag.String("input", "", "a JSON file holding the method's input")
	runs := flag.Int("runs", 5, "how many timed calls after the first")
	flag.Parse()
	if err := run(*method, *inputPath, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "enginebench:", err)
		os.Exit(1)
	}
}

func run(method, inputPath string, runs int) error {
	if inputPath == "" || runs < 1 {
		return fmt.Errorf("-input is required and -runs must be at least 1")
	}
	raw, err := os.ReadFile(inputPath)
	if err != nil {
		return err
	}
	// Passed on as read: the engine decodes the same JSON text Node does.
	input := json.RawMessage(raw)
	e, err := engine.New(engine.Options{Runtimes: 1})
	if err != nil {
		return err
	}
	var out report
	call := func() (float64, error) {
		var answer json.RawMessage
		started := time.Now()
		err := e.Call(context.Background(), method, input, &answer)
		sum := sha256.Sum256(answer)
		out.AnswerSHA256 = hex.EncodeToString(sum[:])
		return float64(time.Since(started).Microseconds()) / 1000, err
	}
	if out.ColdMs, err = call(); err != nil {
		return err
	}
	for i := 0; i < runs; i++ {
		took, err := call()
		if err != nil {
			return err
		}
		out.RunsMs = append(out.RunsMs, took)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
