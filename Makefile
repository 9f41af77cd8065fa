# The README's two commands are `make demo` and `make test`; each installs first.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LOCAL   := $(VENV)/.installed-local
# The agents' panel (console/): npm's install from the lockfile, then Vite's build into console/dist.
CONSOLE_INSTALLED := console/node_modules/.cagri-installed
CONSOLE_BUILT     := console/dist/index.html
CONSOLE_SOURCES   := $(shell find console/src -type f 2>/dev/null) console/index.html console/vite.config.ts \
                     console/tsconfig.json

.PHONY: install console test infra-check demo lint bench synth clean

install: $(STAMP) $(CONSOLE_BUILT)

# The operator CLI and the embedded AWS alone: all `make demo` needs, so a fresh clone's demo does not
# wait for the CDK, cfn-lint and playwright. Re-installs only when its inputs changed.
$(LOCAL): requirements.txt requirements-charts.txt requirements-local.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-local.txt -c constraints.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(LOCAL)

# Everything: the above, then development and test tools.
$(STAMP): $(LOCAL) requirements-dev.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)

# The panel: `npm ci` only when the lockfile changed, a build only when a source did (Vite rewrites index.html).
$(CONSOLE_INSTALLED): console/package.json console/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20) is needed to build the agents' panel (console/)" >&2; exit 1; }
	cd console && npm ci --no-audit --no-fund --loglevel=error
	@touch $(CONSOLE_INSTALLED)

$(CONSOLE_BUILT): $(CONSOLE_INSTALLED) $(CONSOLE_SOURCES)
	cd console && npm run --silent build

console: $(CONSOLE_BUILT)

# Everything, the synthesized stack's checks included (one offline CDK synthesis, cfn-lint, IAM coverage).
# The panel's unit tests (Vitest) run first, on their own runner: quick, and a failure there stops the run
# before the slower Python suite (which includes the panel's browser test against the built console/dist).
# mypy --strict on the deployed code and the CLI (chalicelib/, app.py, cli/: pyproject.toml) before pytest:
# seconds with its cache.
test: install
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/python -m mypy
	npm test --prefix console --silent
	$(BIN)/python -m pytest -q -n 2

# The stack's checks alone (about a minute).
infra-check: install
	$(BIN)/python -m pytest -q -n 2 tests/infra

demo: $(LOCAL) $(CONSOLE_BUILT)
	$(BIN)/callcenter demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

# Both stages' CloudFormation templates into infra/cdk.out: offline, no AWS account (infra/README.md).
synth: install
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 $(BIN)/python -m infra.app
	$(BIN)/cfn-lint --regions eu-central-1 -- infra/cdk.out/*.template.json

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/report_scale.py 10000
	$(BIN)/python bench/report_memory.py 10000

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .mypy_cache infra/cdk.out infra/build console/node_modules console/dist
