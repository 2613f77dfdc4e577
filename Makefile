# Kế hoạch giáo dục: build, serve and test the site.
# Every target installs what it needs into .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := hooks
comma := ,

.PHONY: install build serve test test-fast check lint chromium clean audit shards bench bench-search bench-scaling

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# Pagefind 1.6.0 is on the npm registry only (PyPI has 1.5.2, whose search takes 3x longer on a
# 5,000-plan site): its binary goes beside the venv's Python, where the site hook looks for it.
PAGEFIND_VERSION := 1.6.0
PAGEFIND_STAMP := $(VENV)/.pagefind-$(PAGEFIND_VERSION)
$(PAGEFIND_STAMP): | $(STAMP)
	@command -v npm >/dev/null || { echo "Cần Node.js và npm để cài Pagefind (apt-get install -y nodejs npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/pagefind pagefind@$(PAGEFIND_VERSION)
	cp $$(ls $(VENV)/pagefind/node_modules/@pagefind/*/bin/pagefind_extended | head -1) $(BIN)/pagefind_extended
	$(BIN)/pagefind_extended --version | grep -qx "pagefind $(PAGEFIND_VERSION)"
	rm -f $(VENV)/.pagefind-* && touch $@

install: $(STAMP) $(PAGEFIND_STAMP)

## Validate every plan without building (fast).
check: install
	$(BIN)/python -m kehoach check plans

## Lint (ruff), formatting (ruff format --check) and types (mypy, strict on hooks/kehoach); pyproject.toml configures them.
lint: install lint-workflows
	$(BIN)/ruff check hooks tests
	$(BIN)/ruff format --check hooks tests
	$(BIN)/mypy

## The GitHub Actions workflows: actionlint (shellcheck on every run: script) and zizmor, offline; both must
## report nothing (a justified exception is an inline `# zizmor: ignore[audit]` comment with its reason).
## Then ruff on the workflow's helper scripts in .github/scripts.
.PHONY: lint-workflows
lint-workflows: install
	$(BIN)/actionlint -shellcheck $(BIN)/shellcheck -pyflakes=
	$(BIN)/zizmor --offline --quiet .github
	$(BIN)/ruff check .github/scripts
	$(BIN)/ruff format --check .github/scripts

## Build the static site into site/.
build: install
	$(BIN)/mkdocs build --strict

## Build and serve on http://127.0.0.1:8000 (rebuilds when plans/ change).
serve: build
	$(BIN)/mkdocs serve --strict --dirty -a 127.0.0.1:8000

## Debian's Chromium for the browser tests (no browser download).
chromium:
	@test -x $(CHROMIUM) || { echo "Cài Chromium của Debian (apt-get)…"; apt-get update && apt-get install -y chromium; }

## Unit, adapter, whole-site build, link-check and browser tests.
test: install chromium lint
	$(BIN)/python -m pytest -n auto --dist loadfile

## The fast loop while you work: core, adapter, importer and property tests; no site build, no browser.
test-fast: install
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not build and not browser"

## Search bytes and time of first queries in Chromium on a generated site of N plans (default 5000).
bench-search: install chromium
	$(BIN)/python tests/bench/searchscale.py $(or $(N),5000)

## Lighthouse (mobile) and axe on a generated site of N plans (default 1000): scores and bytes.
tests/audit/node_modules/.bin/lighthouse: tests/audit/package.json
	cd tests/audit && npm install --no-audit --no-fund --silent
	touch $@

audit: install chromium tests/audit/node_modules/.bin/lighthouse
	$(BIN)/python tests/audit/audit.py --n $(or $(N),1000)

## Build in shards (one per unit in SHARDS, two at a time, plus the hub) and merge them into site/.
SHARDS ?= ha-noi,hai-phong
shards: install
	rm -rf build/shards site
	printf '%s\n' $(subst $(comma), ,$(SHARDS)) hub | xargs -P 2 -I{} env KEHOACH_SHARDS=$(SHARDS) KEHOACH_SHARD={} $(BIN)/mkdocs build -q --strict -d build/shards/{}
	$(BIN)/python -m kehoach.shards merge site $(foreach s,$(subst $(comma), ,$(SHARDS)),build/shards/$(s)) build/shards/hub

clean:
	rm -rf site build test-artifacts .pytest_cache

## Benchmark on a generated corpus: our build vs plain Material, stages, sizes, memory (make bench N=1000).
## REPEAT=3 builds each site 3 times, alternating, and keeps each one's fastest (bench.py --repeat; make itself
## takes no --repeat option).
bench: install
	$(BIN)/python tests/bench/bench.py $(or $(N),1000) $(if $(REPEAT),--repeat $(REPEAT))
	$(BIN)/python tests/bench/rebuild.py $(or $(N),1000) $(if $(REPEAT),--repeat $(REPEAT))

## How build time grows with N: cold builds of 1000 and 5000 plans, alternated, median t(5000)/t(1000).
bench-scaling: install
	$(BIN)/python tests/bench/scaling.py 1000 $(or $(N),5000) --rounds $(or $(ROUNDS),3)

## Import a .docx or .txt plan as a draft into plans/: make import SRC=path/to/plan.docx [FORCE=1]
.PHONY: import
import: install
	PYTHONPATH=hooks $(BIN)/python -m kehoach.importer $(SRC) $(if $(FORCE),--force)

## Propose likely serves links (same measure, a year no later, similar words) for editors to review; writes
## build/goi-y-serves.md and never plans/: make suggest
.PHONY: suggest
suggest: install
	$(BIN)/python -m kehoach suggest plans
