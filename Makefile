# planx: two commands on a fresh machine -- `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: demo test fuzz bench bench-quick lint samples browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planx extract samples -o $(OUT)
	$(BIN)/planx compare $(OUT)

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Fuzz the readers and the interpreter with mutated samples (a short round is part of `make test`).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	PLANX_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PLANX_FUZZ_RANDOM=1 $(BIN)/python -m pytest -q tests/test_fuzz.py

# Style (ruff) and types (mypy, configured in pyproject.toml: pipeline/ and schemas/).
lint: $(STAMP)
	$(BIN)/ruff check planx pipeline extractors schemas tests samples benchmarks scripts
	$(BIN)/ruff format --check planx pipeline extractors schemas tests samples benchmarks scripts
	mkdir -p .typecheck/planx
	ln -sfn ../../planx/__init__.py .typecheck/planx/__init__.py
	for d in pipeline extractors schemas; do ln -sfn ../../$$d .typecheck/planx/$$d; done
	$(BIN)/mypy

# Every benchmark (tens of minutes; a quiet machine) -> benchmarks/results.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Small sizes, one run each (a few minutes) -> benchmarks/results-quick.md: to try it out.
bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

# Regenerate the committed sample documents and their expected records.
samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

# Debian's Chromium for the report's browser test; installed only where apt can (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium not installed; browser tests will be skipped"; fi; }

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .typecheck
