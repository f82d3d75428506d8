# Token Audit — the conventional Mattermost plugin targets. plugin.json holds the id and version.
PLUGIN_ID := $(shell node -p "require('./plugin.json').id")
VERSION   := $(shell node -p "require('./plugin.json').version")
BUNDLE    := dist/$(PLUGIN_ID)-$(VERSION).tar.gz
PLATFORMS := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64
# The engine (webapp/src/engine) is bundled twice: into main.js, and as engine.js for the server to run in goja.
ENGINE_JS := server/engine/engine.js
GO_FILES  := $(shell find server -name '*.go' -not -path '*/dist/*') server/go.mod server/go.sum $(ENGINE_JS)
TS_FILES  := $(shell find webapp/src -type f) webapp/webpack.config.js
ENGINE_TS := $(shell find webapp/src/engine -type f -not -name '*.test.ts' -not -path '*/testing/*' -not -path '*/corpus/*')
# The Mattermost versions in e2e/mattermost/pins.json: the last is the newest, the others get the compatibility suite.
PINS      := $(shell node -p "require('./e2e/mattermost/pins.json').pins.map((p) => p.version).join(' ')")
NEWEST    := $(lastword $(PINS))
OLDER     := $(filter-out $(NEWEST),$(PINS))
E2E_JEST  := npx jest --runInBand --testTimeout=180000

.PHONY: all dist server webapp test check-style unit e2e compat e2e-all mattermost bench dev deploy clean

all: check-style dist

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

## Build the bundle an admin uploads in System Console › Plugins › Plugin Management.
dist: $(BUNDLE)

server: $(foreach p,$(PLATFORMS),server/dist/plugin-$(p)$(if $(findstring windows,$(p)),.exe))

server/dist/plugin-%: $(GO_FILES)
	cd server && CGO_ENABLED=0 GOOS=$(word 1,$(subst -, ,$(basename $*))) GOARCH=$(word 2,$(subst -, ,$(basename $*))) \
		go build -trimpath -ldflags='-s -w' -o dist/plugin-$* .

webapp: webapp/dist/main.js

$(ENGINE_JS): node_modules $(ENGINE_TS)
	npx esbuild webapp/src/engine/bundle.ts --bundle --format=iife --global-name=TokenAuditEngine --target=es2017 --log-level=warning --outfile=$@

webapp/dist/main.js: node_modules $(TS_FILES) plugin.json
	npx webpack --mode=production --config webapp/webpack.config.js

$(BUNDLE): server webapp plugin.json assets/icon.svg
	@# Staged in a folder of its own, so two builds at once never pack each other's half-copied files.
	@# All of webapp/dist: main.js fetches the catalogues of other languages from beside it.
	stage=$$(mktemp -d) && root=$$stage/$(PLUGIN_ID) && \
		mkdir -p $$root/server/dist $$root/webapp/dist && \
		cp -r plugin.json assets $$root/ && cp server/dist/plugin-* $$root/server/dist/ && \
		cp webapp/dist/* $$root/webapp/dist/ && \
		tar -czf $$stage/bundle.tar.gz -C $$stage $(PLUGIN_ID) && \
		mkdir -p dist && mv $$stage/bundle.tar.gz $@ && rm -rf $$stage
	@echo "built $@"

## Lint and type checks only.
check-style: node_modules $(ENGINE_JS)
	cd server && go vet ./... && test -z "$$(gofmt -l .)"
	npx tsc --noEmit -p .
	npx eslint .

unit: node_modules $(ENGINE_JS)
	cd server && go test -race ./...
	npx jest --selectProjects unit

build/host/host.js: node_modules $(wildcard e2e/host/*)
	npx webpack --mode=production --config e2e/host/webpack.config.js

## End-to-end and browser suites against a real Mattermost server of the newest pin (built once, then cached).
e2e: dist build/host/host.js
	TA_MATTERMOST=$(NEWEST) $(E2E_JEST) --selectProjects e2e

## The compatibility suite on every older pin, each on a server of its own (make -j runs them side by side).
compat: $(addprefix compat-,$(OLDER))

compat-%: dist build/host/host.js
	TA_MATTERMOST=$* $(E2E_JEST) --selectProjects compat

## The full suite on every pin, one after the other.
e2e-all: dist build/host/host.js
	set -e; for v in $(PINS); do echo "== Mattermost $$v"; TA_MATTERMOST=$$v $(E2E_JEST) --selectProjects e2e; done

## Build (or find in the cache) every pinned server, e.g. to warm a CI cache.
mattermost: node_modules
	npx tsx e2e/harness/mattermost-build.ts

## Performance figures on a large population (seeded once per size and Mattermost pin, then restored from a cached dump).
bench: dist build/host/host.js
	npx tsx e2e/bench/run.ts

## Everything CI runs.
test: check-style unit e2e compat

## A real server with the plugin and demo data, left running.
dev: dist build/host/host.js
	npx tsx e2e/harness/dev.ts

## Deploy the bundle to MM_SERVICESETTINGS_SITEURL with MM_ADMIN_TOKEN or MM_ADMIN_USERNAME/MM_ADMIN_PASSWORD.
deploy: dist
	npx tsx e2e/harness/deploy.ts $(BUNDLE)

clean:
	rm -rf dist build server/dist webapp/dist $(ENGINE_JS)
