# PAN-TOGETHER portal. `make run` serves it with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-shifted-clock serve bench lint format check-deploy install install-test browser-deps clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.run-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --group run
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --group test
	@touch $@ $(VENV)/.run-installed

install: $(VENV)/.run-installed
install-test: $(VENV)/.test-installed

## Serve the portal with demo data on SQLite at http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py demo_data
	$(PY) manage.py create_demo_admin
	@echo "Portal: http://$(HOST):$(PORT)/   back-office: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Test-only tools from npm (axe-core, vnu.jar), reinstalled when the lock file
# changes. --ignore-scripts: vnu-jar's postinstall would download a Java; the
# system one (default-jre-headless) runs vnu.jar.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

## Run the whole test suite: the unit tests (empty database, 2 processes), then, in
## a session of their own (marker `gate`), the gates and browser journeys on the demo
## data (crawl, accessibility, valid HTML, security, hostile input; browser tests
## need Chromium: see README)
test: install-test node_modules/.installed
	@status=0; \
	$(BIN)/pytest -n 2 tests || status=1; \
	$(BIN)/pytest -m gate tests || status=1; \
	exit $$status

# libfaketime reads this clock as Paris time: a Wednesday evening in summer (CEST).
SHIFTED_CLOCK ?= 2027-06-02 19:30:00

## The unit tests again with the clock shifted to $(SHIFTED_CLOCK), Paris time, by
## Debian's libfaketime (`apt-get install faketime`): no test may depend on the day
## or hour it runs. SQLite, 2 processes (the workers inherit the shifted clock; they
## no longer hang since tests/conftest.py makes time.sleep a timed wait under
## libfaketime); FAKETIME_DONT_FAKE_MONOTONIC keeps timed waits working.
# Left out of the shifted pass: slow tests that freeze the clock themselves or read
# none (every admin page against hostile input, the admin rights matrix,
# spreadsheet imports, the backup round trip in a subprocess, the API fuzzing and
# the data-set scale counts); they run in every `make test`.
CLOCKLESS = --ignore=tests/security/test_admin_hostile_input.py \
	--ignore=tests/admin/test_rights_matrix.py --ignore=tests/imports \
	--ignore=tests/backup --ignore=tests/opendata/test_api_schemathesis.py \
	--ignore=tests/opendata/test_scale.py --ignore=tests/bench

test-shifted-clock: install-test
	env -u DATABASE_URL TZ=Europe/Paris FAKETIME_DONT_FAKE_MONOTONIC=1 \
	faketime -f "@$(SHIFTED_CLOCK)" $(PY) -m pytest -p no:cacheprovider -n 2 $(CLOCKLESS) tests

## Serve with gunicorn and production-like settings (static files by WhiteNoise)
serve: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn pantogether.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## Benchmark: bench data in its own database (PostgreSQL `pantogether_bench` when a
## local server answers, else bench/bench.sqlite3), gunicorn with production settings,
## 1, 8 and 32 connections (wrk if installed); table printed, bench/results.json written
bench: install
	$(PY) bench/run.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: backup restore
BACKUP_DIR ?= backups

## Back up the database named by DATABASE_URL and MEDIA_ROOT into a new dated
## directory under $(BACKUP_DIR) (see README, "Backup and restore")
backup: install
	$(PY) manage.py backup --output "$(BACKUP_DIR)"

## Restore one: make restore FROM=backups/pantogether-YYYYMMDD-HHMMSS (asks first)
restore:
	@test -n "$(FROM)" || { echo "Usage: make restore FROM=$(BACKUP_DIR)/pantogether-YYYYMMDD-HHMMSS"; exit 2; }
	@$(MAKE) --no-print-directory install
	$(PY) manage.py restore "$(FROM)"

## `check --deploy` with production variables: must print no warning
check-deploy: install
	DEBUG=false HTTPS=true ALLOWED_HOSTS=pan-together.example.org \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis node_modules test-artifacts
