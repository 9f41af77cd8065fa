# The README's two commands are `make demo` and `make test`; each installs first.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: install test infra-check demo lint bench synth clean

install: $(STAMP)

# Re-installs only when a requirements file or the package metadata changed.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Everything, the synthesized stack's checks included (one offline CDK synthesis, cfn-lint, IAM coverage).
test: install
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2

# The stack's checks alone (about a minute).
infra-check: install
	$(BIN)/python -m pytest -q -n 2 tests/infra

demo: install
	$(BIN)/callcenter demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Both stages' CloudFormation templates into infra/cdk.out: offline, no AWS account (infra/README.md).
synth: install
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 $(BIN)/python -m infra.app
	$(BIN)/cfn-lint --regions eu-central-1 -- infra/cdk.out/*.template.json

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/report_scale.py 10000

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache infra/cdk.out infra/build
