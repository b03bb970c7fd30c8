# The README's two commands: `make demo` and `make test`. Both are idempotent.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark

.PHONY: demo test venv lock lint clean-demo system-test system-demo

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# The optional Spark engine: only the tests need it (its test runs the same settings on local Spark).
$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(BIN)/pip install --quiet -r requirements-spark.lock
	touch $(SPARK_STAMP)

# Debian's packages each command needs: installed when run as root, else it stops at once with the command to run.
system-test:
	@scripts/system-packages test

system-demo:
	@scripts/system-packages demo

demo: system-demo $(STAMP)
	$(BIN)/python -m mingdan.demo

# Start the demo case afresh (e.g. after the bundled lists changed).
clean-demo:
	rm -rf demo/case

# The whole suite on SQLite, then every test that touches the database again on PostgreSQL; two workers,
# as CI has two cores (each worker has its own test databases). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: system-test $(STAMP) $(SPARK_STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)
	scripts/with-postgres $(BIN)/python -m pytest -q -n $(TEST_WORKERS) tests/store tests/ingest tests/track tests/web

# Re-resolve requirements.in into requirements.lock (needs the package registry).
lock:
	rm -rf /tmp/mingdan-lock && $(PY) -m venv /tmp/mingdan-lock
	/tmp/mingdan-lock/bin/pip install --quiet -r requirements.in
	/tmp/mingdan-lock/bin/pip freeze --exclude-editable > requirements.lock
