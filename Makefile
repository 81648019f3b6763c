# Quali-Kompass: `make run` serves the demo, `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
# The slowest tests are listed after each pass, to keep the suite inside its time budget.
PYTEST_ARGS ?= --durations=15
export FLASK_APP := quali_kompass

.PHONY: run test test-sqlite test-postgresql lint audit soak bench translations extract-messages demo-media clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d quali_kompass/translations

run: $(STAMP) translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty >/dev/null
	@echo
	@echo "Quali-Kompass läuft gleich auf http://$(HOST):$(PORT)/"
	@echo "Anmelden mit einem dieser Demo-Zugänge (E-Mail-Adresse und Passwort):"
	@cat instance/demo-logins.txt 2>/dev/null || echo "(keine Demo-Zugänge: die Datenbank war nicht leer)"
	@echo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The two database passes run side by side; each one's output is shown as a block when it ends.
test: $(STAMP) translations
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

# With PostgreSQL configured, each browser test runs once, so that the two passes take about as long: the walks
# through every page of every role (axe, 320 px, focus; they only read) in the SQLite pass, the journeys that write in the
# PostgreSQL pass (the production database). Tests marked `once` do not depend on the database and run only in the
# SQLite pass. Everything else runs on both databases.
test-sqlite: $(STAMP) translations
	@if [ -n "$$QK_TEST_DATABASE_URL" ]; then \
		echo "SQLite pass with the page walks of the browser tests; their other tests run in the PostgreSQL pass"; \
		env -u QK_TEST_DATABASE_URL $(BIN)/python -m pytest -m "not browser or page_walk or once" $(PYTEST_ARGS); \
	else env -u QK_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS); fi

# Runs when QK_TEST_DATABASE_URL names a PostgreSQL database (CI always sets it).
test-postgresql: $(STAMP) translations
	@if [ -n "$$QK_TEST_DATABASE_URL" ]; then $(BIN)/python -m pytest -m "not page_walk and not once" $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "CI: QK_TEST_DATABASE_URL is not set, PostgreSQL tests cannot run" >&2; exit 1; \
	else echo "QK_TEST_DATABASE_URL is not set: skipped the PostgreSQL run (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

# Dependency and code audits; CI runs them before the tests. pip-audit looks up every installed package (the project's
# own, editable one skipped) in PyPI's advisories and fails on a known vulnerability; packages it could not look up
# are counted in a warning (PIP_AUDIT_FLAGS=--strict makes them fail). Ignored advisories, each with its reason (also
# in README.md): none. Add one as `--ignore-vuln ID` to PIP_AUDIT_IGNORE only when no fixed version exists.
# bandit reads [tool.bandit] in pyproject.toml; a false positive carries `# nosec BXXX` and the reason on its line.
PIP_AUDIT_IGNORE :=
audit: $(STAMP)
	@out=$$($(BIN)/pip-audit --skip-editable --progress-spinner off $(PIP_AUDIT_IGNORE) $(PIP_AUDIT_FLAGS) 2>&1); \
	status=$$?; echo "$$out" | grep -v "could not be audited"; \
	skipped=$$(echo "$$out" | grep -c "could not be audited"); \
	if [ "$$skipped" -gt 0 ]; then echo "pip-audit: WARNING: $$skipped package(s) could not be looked up on PyPI" >&2; fi; \
	exit $$status
	$(BIN)/bandit -r quali_kompass -c pyproject.toml -q

# Soak test (not part of `make test`): gunicorn on a fresh PostgreSQL database under an open-model load, report in
# bench/results/. Options via the environment: SOAK_SECONDS (600), SOAK_RATE (20 actions/s), SOAK_WORKERS (3),
# QK_SOAK_DATABASE_URL (postgresql+psycopg://postgres@127.0.0.1/qk_soak), QK_SOAK_REDIS_URL.
soak: $(STAMP) translations
	$(BIN)/python bench/soak.py

# Benchmark (not part of `make test`): sizes S and M on SQLite and PostgreSQL, report in bench/results/. Options via
# the environment: BENCH_SIZES (S,M; XL on request), BENCH_DATABASES (sqlite,postgresql), BENCH_SECONDS (6 per
# scenario), BENCH_RATE (10 requests/s), BENCH_WORKERS (2), BENCH_KEEP_DATABASE (1: keep the PostgreSQL databases),
# QK_BENCH_DATABASE_URL (postgresql+psycopg://postgres@127.0.0.1/qk_bench).
bench: $(STAMP) translations
	$(BIN)/python bench/run.py

# Renders the screenshots, videos and captions of the demo catalogue again (needs Debian's chromium).
demo-media: $(STAMP)
	$(BIN)/python -m quali_kompass.demo_media.generate

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -w 120 --sort-output -o quali_kompass/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update --no-fuzzy-matching -w 120 -i quali_kompass/translations/messages.pot -d quali_kompass/translations

clean:
	rm -rf $(VENV) .pytest_cache
