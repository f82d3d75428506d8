package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenaudit/token-audit/server/compat"
)

// The plugin API and hooks of the server/public the plugin compiles against, each with the
// "Minimum server version" its doc comment gives ("" when it gives none: older than the comments).
type apiSurface struct {
	methods map[string]string
	hooks   map[string]string
}

var minimumVersion = regexp.MustCompile(`Minimum server version:\s*v?([0-9]+(?:\.[0-9]+)*)`)

func readSurface(t *testing.T) apiSurface {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/mattermost/mattermost/server/public").Output()
	if err != nil {
		t.Fatalf("locating server/public: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "plugin")
	return apiSurface{
		methods: interfaceVersions(t, filepath.Join(dir, "api.go"), "API"),
		hooks:   interfaceVersions(t, filepath.Join(dir, "hooks.go"), "Hooks"),
	}
}

func interfaceVersions(t *testing.T, file, name string) map[string]string {
	t.Helper()
	parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]string{}
	ast.Inspect(parsed, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok || spec.Name.Name != name {
			return true
		}
		for _, field := range spec.Type.(*ast.InterfaceType).Methods.List {
			version := ""
			if m := minimumVersion.FindStringSubmatch(field.Doc.Text()); m != nil {
				version = m[1]
			}
			for _, method := range field.Names {
				versions[method.Name] = version
			}
		}
		return false
	})
	if len(versions) < 20 {
		t.Fatalf("found only %d methods of %s in %s", len(versions), name, file)
	}
	return versions
}

// A use of the plugin API or a hook, where it is in the source, and the version a compat.Since
// around it checks for ("" when none does).
type apiUse struct {
	name, where, guardedSince string
	hook                      bool
}

// findUses reads the plugin's Go source (tests excluded): the hooks are the methods of Plugin named
// after a hook; API calls are calls through p.API and through the plugin's own narrowed copies of
// plugin.API (interfaces whose every method is a plugin API method).
func findUses(fset *token.FileSet, files []*ast.File, surface apiSurface) []apiUse {
	narrowed := map[string]bool{}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			iface, ok := n.(*ast.InterfaceType)
			if !ok || len(iface.Methods.List) == 0 {
				return true
			}
			var names []string
			for _, field := range iface.Methods.List {
				for _, name := range field.Names {
					if _, known := surface.methods[name.Name]; !known {
						return true
					}
					names = append(names, name.Name)
				}
			}
			for _, name := range names {
				narrowed[name] = true
			}
			return true
		})
	}

	var uses []apiUse
	for _, file := range files {
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv != nil && receiverName(fn.Recv) == "Plugin" {
				if _, isHook := surface.hooks[fn.Name.Name]; isHook {
					uses = append(uses, apiUse{name: fn.Name.Name, where: fset.Position(fn.Pos()).String(), hook: true})
				}
			}
		}
		var guards []string
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if since, ok := sinceGuard(call); ok {
				for _, arg := range call.Args[:2] {
					ast.Inspect(arg, visit)
				}
				guards = append(guards, since)
				ast.Inspect(call.Args[2], visit)
				guards = guards[:len(guards)-1]
				return false
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			_, known := surface.methods[sel.Sel.Name]
			viaAPI := false
			if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "API" {
				viaAPI = true
			}
			if known && (viaAPI || narrowed[sel.Sel.Name]) {
				use := apiUse{name: sel.Sel.Name, where: fset.Position(call.Pos()).String()}
				if len(guards) > 0 {
					use.guardedSince = guards[len(guards)-1]
				}
				uses = append(uses, use)
			}
			return true
		}
		ast.Inspect(file, visit)
	}
	return uses
}

// sinceGuard recognises compat.Since(api, "X.Y", func() {...}) with a literal version.
func sinceGuard(call *ast.CallExpr) (string, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Since" || len(call.Args) != 3 {
		return "", false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "compat" {
		return "", false
	}
	lit, ok := call.Args[1].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	version, err := strconv.Unquote(lit.Value)
	return version, err == nil
}

func receiverName(recv *ast.FieldList) string {
	expr := recv.List[0].Type
	if star, ok := expr.(*ast.StarExpr); ok {
		expr = star.X
	}
	if ident, ok := expr.(*ast.Ident); ok {
		return ident.Name
	}
	return ""
}

// tooNew lists the uses that need a newer server than minServer and are not guarded by a
// compat.Since for at least their version. Hooks cannot be guarded: an older server never calls them.
func tooNew(uses []apiUse, surface apiSurface, minServer string) []string {
	var problems []string
	for _, use := range uses {
		needs := surface.methods[use.name]
		kind := "calls"
		if use.hook {
			needs, kind = surface.hooks[use.name], "implements hook"
		}
		if needs == "" || compat.AtLeast(minServer, needs) {
			continue
		}
		if !use.hook && use.guardedSince != "" && compat.AtLeast(use.guardedSince, needs) {
			continue
		}
		problems = append(problems, fmt.Sprintf("%s %s %s (Minimum server version %s > min_server_version %s)", use.where, kind, use.name, needs, minServer))
	}
	sort.Strings(problems)
	return problems
}

func parsePlugin(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "dist" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, file)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fset, files
}

func manifestMinServerVersion(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../plugin.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		MinServerVersion string `json:"min_server_version"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil || manifest.MinServerVersion == "" {
		t.Fatalf("plugin.json has no min_server_version: %v", err)
	}
	return manifest.MinServerVersion
}

func TestPluginAPIWithinMinServerVersion(t *testing.T) {
	surface := readSurface(t)
	fset, files := parsePlugin(t)
	uses := findUses(fset, files, surface)

	// The plugin registers a command and implements hooks, so finding none means the reading broke.
	var hooks, calls int
	for _, use := range uses {
		if use.hook {
			hooks++
		} else {
			calls++
		}
	}
	if hooks == 0 || calls == 0 {
		t.Fatalf("found %d hooks and %d API calls in the plugin source; the scan is broken", hooks, calls)
	}
	t.Logf("%d hooks and %d plugin API calls checked", hooks, calls)
	if problems := tooNew(uses, surface, manifestMinServerVersion(t)); len(problems) > 0 {
		t.Errorf("the plugin needs a newer server than plugin.json allows; raise min_server_version or wrap the call in compat.Since:\n%s", strings.Join(problems, "\n"))
	}
}

// The same scan over small sources, so a newer call can be seen to fail and a guarded one to pass.
func TestTooNewTable(t *testing.T) {
	surface := readSurface(t)
	if surface.methods["GetUsersByIds"] != "9.8" || surface.hooks["UserHasBeenDeactivated"] != "9.1" {
		t.Fatalf("server/public no longer says GetUsersByIds is 9.8 and UserHasBeenDeactivated 9.1; pick other cases")
	}
	cases := []struct {
		name, minServer, source string
		want                    int
	}{
		{"an old method is fine", "9.11", `p.API.LogWarn("x")`, 0},
		{"a newer method through p.API fails", "9.5", `p.API.GetUsersByIds(ids)`, 1},
		{"a newer method through a narrowed interface fails", "9.5", `s.users.GetUsersByIds(ids)`, 1},
		{"a newer method guarded by compat.Since for its version passes", "9.5", `compat.Since(p.API, "9.8", func() { p.API.GetUsersByIds(ids) })`, 0},
		{"a guard for an older version than the method fails", "9.5", `compat.Since(p.API, "9.6", func() { p.API.GetUsersByIds(ids) })`, 1},
		{"a guard with a non-literal version does not count", "9.5", `compat.Since(p.API, v, func() { p.API.GetUsersByIds(ids) })`, 1},
		{"a newer hook fails", "9.0", `hook`, 1},
		{"a hook within min_server_version is fine", "9.11", `hook`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.source
			hook := ""
			if c.source == "hook" {
				body = `p.API.LogWarn("x")`
				hook = "func (p *Plugin) UserHasBeenDeactivated(c *plugin.Context, u *model.User) {}\n"
			}
			src := "package main\n" +
				"type users interface { GetUsersByIds(ids []string) ([]*model.User, *model.AppError) }\n" + hook +
				"func (p *Plugin) run(s struct{ users users }, ids []string, v string) {\n" + body + "\n}\n"
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, "case.go", src, 0)
			if err != nil {
				t.Fatal(err)
			}
			problems := tooNew(findUses(fset, []*ast.File{file}, surface), surface, c.minServer)
			if len(problems) != c.want {
				t.Errorf("want %d problems, got %v", c.want, problems)
			}
		})
	}
}
