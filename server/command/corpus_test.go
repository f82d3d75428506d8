package command

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The shared corpus (webapp/src/engine/corpus/*.json): command lines, the data a host fetched, and
// the answers both hosts must give. jest runs it in Node; this runs it in goja, through the calls
// the server host makes.
type corpusFile struct {
	Context  map[string]json.RawMessage `json:"context"`
	Datasets map[string]json.RawMessage `json:"datasets"`
	Cases    []corpusCase               `json:"cases"`
}

type corpusCase struct {
	Name    string                     `json:"name"`
	Line    string                     `json:"line"`
	Context map[string]json.RawMessage `json:"context"`

	// A dataset's name, or the data itself.
	Data    json.RawMessage `json:"data"`
	Outcome json.RawMessage `json:"outcome"`
	Needs   json.RawMessage `json:"needs"`
	Answer  json.RawMessage `json:"answer"`
}

// strictly decodes raw into out, refusing fields out does not have: a corpus that gives the engine
// something the server host cannot pass would prove nothing about the server.
func strictly(raw []byte, out any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	return d.Decode(out)
}

func (c corpusCase) input(t *testing.T, file corpusFile) answerInput {
	t.Helper()
	merged := map[string]json.RawMessage{}
	for k, v := range file.Context {
		merged[k] = v
	}
	for k, v := range c.Context {
		merged[k] = v
	}
	raw, err := json.Marshal(merged)
	if err != nil {
		t.Fatal(err)
	}
	in := answerInput{Line: c.Line}
	if err := strictly(raw, &in.Context); err != nil {
		t.Fatalf("context: %v", err)
	}
	data := c.Data
	var name string
	if json.Unmarshal(c.Data, &name) == nil {
		if data = file.Datasets[name]; data == nil {
			t.Fatalf("no dataset %q", name)
		}
	}
	in.Data = data
	if len(c.Outcome) > 0 {
		in.Outcome = &outcome{}
		if err := strictly(c.Outcome, in.Outcome); err != nil {
			t.Fatalf("outcome: %v", err)
		}
	}
	return in
}

// sameJSON compares two JSON documents by value.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s from the engine: %v", what, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s in the corpus: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs\n got: %s\nwant: %s", what, got, want)
	}
}

func TestTheCorpusAnswersAlikeInGoja(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "webapp", "src", "engine", "corpus", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cases := 0
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var file corpusFile
		if err := strictly(raw, &file); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range file.Cases {
			cases++
			t.Run(filepath.Base(path)+"/"+c.Name, func(t *testing.T) {
				// The calls the host makes, with the answers kept as the engine wrote them.
				var planned json.RawMessage
				if err := eng.Call(ctx, methodPlan, planInput{Line: c.Line}, &planned); err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "needs", planned, c.Needs)
				var answered json.RawMessage
				if err := eng.Call(ctx, methodAnswer, c.input(t, file), &answered); err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "answer", answered, c.Answer)

				// The host's types hold every field of both.
				if err := strictly(planned, &needs{}); err != nil {
					t.Errorf("needs: %v", err)
				}
				if err := strictly(answered, &step{}); err != nil {
					t.Errorf("answer: %v", err)
				}
			})
		}
	}
	if cases == 0 {
		t.Fatal("the corpus has no cases")
	}
}
