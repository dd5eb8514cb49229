# Quick start: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_ENTERPRISES ?= 2000
DEMO_PERSONS ?= 5000
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format migrate demo bench clean-db

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py generate_demo_data --enterprises $(DEMO_ENTERPRISES) --persons $(DEMO_PERSONS) --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py rebuild_search_index --kind enterprise
	DEBUG=1 $(PY) manage.py generate_demo_list_entries --entries 300 --per-list 30 --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py generate_demo_commitments --count 300 --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py generate_demo_government --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py generate_demo_agency_grades --count 400 --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py generate_demo_scoring --if-empty
	DEBUG=1 $(PY) manage.py create_demo_admin
	DEBUG=1 $(PY) manage.py create_demo_company_user
	DEBUG=1 $(PY) manage.py create_demo_clerks
	DEBUG=1 $(PY) manage.py generate_demo_inspections --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py export_open_data

# The job worker (large imports, docs/jobs.md) runs beside the server and stops with it.
run: demo
	DEBUG=1 $(PY) manage.py run_jobs & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The browser tests (tests/browser) drive Debian's chromium. Install it where we can (root with
# apt-get); elsewhere they fail with instructions, or are skipped with BROWSER_TESTS=skip.
CHROMIUM_PATH ?= /usr/bin/chromium
# Every test runs at a fixed instant (tests/conftest.py); these are the other two `make test` uses.
SATURDAY_CLOCK ?= 2026-12-05T10:00:00+08:00
YEAR_END_CLOCK ?= 2026-12-31T23:30:00+08:00
# The API contract fuzz test asks no question of the calendar: it runs in the first pass only.
CONTRACT_FUZZ = tests/test_api_contract.py

test: lint
	@if [ "$${BROWSER_TESTS:-}" != skip ] && [ ! -x "$(CHROMIUM_PATH)" ] && [ "$$(id -u)" = 0 ] \
	    && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium fonts-wqy-microhei; } \
	    || echo "Could not install chromium: the browser tests will fail (see docs/testing.md)"; \
	fi
	CHROMIUM_PATH="$(CHROMIUM_PATH)" $(PY) -m pytest -q
	@echo "Again on a Shanghai Saturday, and late on 31 December (docs/testing.md)"
	TEST_CLOCK=$(SATURDAY_CLOCK) CHROMIUM_PATH="$(CHROMIUM_PATH)" $(PY) -m pytest -q --ignore=$(CONTRACT_FUZZ)
	TEST_CLOCK=$(YEAR_END_CLOCK) $(PY) -m pytest -q --ignore=tests/browser --ignore=$(CONTRACT_FUZZ)

bench: migrate
	DEBUG=1 $(PY) bench/generate_demo_data.py

clean-db:
	rm -rf .pgdata
