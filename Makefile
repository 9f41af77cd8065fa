# The README's two commands are `make demo` and `make test`; each installs first.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LOCAL   := $(VENV)/.installed-local

.PHONY: install test infra-check demo lint bench synth clean

install: $(STAMP)

# The operator CLI and the embedded AWS alone: all `make demo` needs, so a fresh clone's demo does not
# wait for the CDK, cfn-lint and playwright. Re-installs only when its inputs changed.
$(LOCAL): requirements.txt requirements-local.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-local.txt -c constraints.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(LOCAL)

# Everything: the above, then development and test tools.
$(STAMP): $(LOCAL) requirements-dev.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)

# Everything, the synthesized stack's checks included (one offline CDK synthesis, cfn-lint, IAM coverage).
test: install
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2

# The stack's checks alone (about a minute).
infra-check: install
	$(BIN)/python -m pytest -q -n 2 tests/infra

demo: $(LOCAL)
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
	$(BIN)/python bench/report_memory.py 10000

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache infra/cdk.out infra/build
