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
	DEBUG=1 $(PY) manage.py generate_demo_list_entries --entries 300 --seed 1 --if-empty
	DEBUG=1 $(PY) manage.py create_demo_admin

run: demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) -m pytest -q

bench: migrate
	DEBUG=1 $(PY) bench/generate_demo_data.py

clean-db:
	rm -rf .pgdata
