# The README's two commands are `make demo` and `make test`; each installs first.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: install test demo lint bench clean

install: $(STAMP)

# Re-installs only when a requirements file or the package metadata changed.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

test: install
	@scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2

demo: install
	$(BIN)/callcenter demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/report_scale.py 10000

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
