# Quali-Kompass: `make run` serves the demo, `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := quali_kompass

.PHONY: run test test-sqlite test-postgresql lint translations extract-messages demo-media clean

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

# With PostgreSQL configured, the browser tests run once, in the PostgreSQL pass (the production database);
# everything else runs on both databases.
test-sqlite: $(STAMP) translations
	@if [ -n "$$QK_TEST_DATABASE_URL" ]; then \
		echo "SQLite pass without the browser tests: they run in the PostgreSQL pass"; \
		env -u QK_TEST_DATABASE_URL $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	else env -u QK_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS); fi

# Runs when QK_TEST_DATABASE_URL names a PostgreSQL database (CI always sets it).
test-postgresql: $(STAMP) translations
	@if [ -n "$$QK_TEST_DATABASE_URL" ]; then $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "CI: QK_TEST_DATABASE_URL is not set, PostgreSQL tests cannot run" >&2; exit 1; \
	else echo "QK_TEST_DATABASE_URL is not set: skipped the PostgreSQL run (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

# Renders the screenshots, videos and captions of the demo catalogue again (needs Debian's chromium).
demo-media: $(STAMP)
	$(BIN)/python -m quali_kompass.demo_media.generate

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o quali_kompass/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update --no-fuzzy-matching -i quali_kompass/translations/messages.pot -d quali_kompass/translations

clean:
	rm -rf $(VENV) .pytest_cache
