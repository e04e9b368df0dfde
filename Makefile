# tableau-go: the two commands the README promises.
#   make demo   runs the tour of the SDK against the embedded emulator
#   make test   installs what the tests need, then vets, lints (gofmt, staticcheck) and tests everything

GO          ?= go
GOFLAGS_TEST ?= -race -timeout 45m
export HYPER_REQUIRED := 1
export PEERS_REQUIRED := 1
export LDAP_REQUIRED := 1

.PHONY: demo test deps hyperd python slapd vet lint unit bench fuzz generate check-generated check-docs emulator

# The tour: the quickstart (sign-in, server info, projects), then every package
# at work together (hyper, rest, webhooks, document, metadata, analytics), all
# against the embedded emulator and a real hyperd.
demo: hyperd
	@echo "== quickstart: sign in, server info, projects =="
	@$(GO) run ./examples/quickstart
	@echo
	@echo "== tour: hyper, rest, webhooks, document, metadata and analytics together =="
	@HYPERD_PATH="$$(scripts/install-hyperd.sh --quiet)" $(GO) run ./examples/tour

test: deps vet lint check-generated check-docs unit

deps: hyperd python slapd

slapd:
	@scripts/install-slapd.sh

hyperd:
	@scripts/install-hyperd.sh

python:
	@scripts/setup-python.sh >/dev/null

vet:
	$(GO) vet ./...

lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) tool staticcheck ./...

# check-docs fails when the docs name a test that does not exist.
check-docs:
	@scripts/check-docs.sh

# check-generated fails when generated code is stale (go generate must reproduce it exactly).
check-generated:
	@scripts/check-generated.sh

unit:
	HYPERD_PATH="$$(scripts/install-hyperd.sh --quiet)" $(GO) test $(GOFLAGS_TEST) ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

emulator:
	$(GO) run ./cmd/tableau-emulator
