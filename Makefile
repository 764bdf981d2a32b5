# Two commands: `make run` (app with demo data) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
# Browser libraries (ECharts) come from the npm registry, pinned by package-lock.json.
LOAD_STAMP := $(VENV)/.installed-load-$(shell cat requirements-load.txt | cksum | cut -d' ' -f1)
ASSETS := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: run test lint format install translations services services-stop bench load backup restore help

help:
	@echo "make run       - install, migrate, load the demo area, serve on http://127.0.0.1:8000"
	@echo "make test      - run the whole test suite"
	@echo "make services  - PostgreSQL + Redis + Celery worker and beat + server (production-like)"
	@echo "make lint      - ruff"
	@echo "make load      - bounded load test (locust) against gunicorn + PostgreSQL + Redis"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

# PDFs (printing) embed a Chinese TrueType font from the system: Debian's fonts-wqy-microhei.
FONT_HINT := PDFs (打印) need a Chinese font: apt-get install fonts-wqy-microhei (or set PRINT_FONT_PATH)

install: $(STAMP) $(ASSETS)
	@fc-list 2>/dev/null | grep -qi "wenquanyi micro hei" || [ -n "$$PRINT_FONT_PATH" ] || echo "$(FONT_HINT)"

translations: install
	$(BIN)/python manage.py compiletranslations -v0 >/dev/null

run: install translations
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty --veterans 3000 --entitled 150 --visits 9000 --cases 60 --appeals 40 --wishes 40 --confirmations --transfers 12 --near-duplicates 8 --referrals 27 --honours --training --employment --party --service-projects 16 --pairing --maps --history
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install translations
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production-like: real PostgreSQL, Redis, Celery worker and beat. Ctrl-C stops the server;
# `make services-stop` stops the rest.
services: install translations
	scripts/services.sh start
	. var/services.env && $(BIN)/python manage.py migrate --noinput -v0
	. var/services.env && $(BIN)/python manage.py seed_demo --if-empty --veterans 3000 --entitled 150 --visits 9000 --cases 60 --appeals 40 --wishes 40 --confirmations --transfers 12 --near-duplicates 8 --referrals 27 --honours --training --employment --party --service-projects 16 --pairing --maps --history
	. var/services.env && nohup $(BIN)/celery -A config worker --loglevel=INFO >var/log/worker.log 2>&1 & echo $$! >var/worker.pid
	. var/services.env && nohup $(BIN)/celery -A config beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 & echo $$! >var/beat.pid
	. var/services.env && DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

services-stop:
	-kill $$(cat var/worker.pid) $$(cat var/beat.pid) 2>/dev/null; rm -f var/worker.pid var/beat.pid
	scripts/services.sh stop

# Backups of the configured database (DATABASE_URL, or the SQLite file) and uploads, under var/backups.
backup: install
	$(BIN)/python manage.py backup

# make restore FROM=var/backups/veteran-grid-YYYYmmdd-HHMMSS [INTO=other_database]
restore: install
	$(BIN)/python manage.py restore $(FROM) $(if $(INTO),--database $(INTO),)

# City-scale benchmark on its own PostgreSQL (kept between runs under /tmp): prints a table
# and writes bench/results.json. The first run builds the data (about ten minutes). The replica
# section starts a streaming replica through scripts/services.sh (kept under BENCH_STATE too).
BENCH_STATE ?= /tmp/veteran-grid-bench
# A city-sized database wants the cache a database server would give it (the default is 128 MB).
BENCH_SHARED_BUFFERS ?= 2GB
bench: install translations
	VG_STATE_DIR=$(BENCH_STATE) VG_ENV_FILE=var/bench.env VG_DB_NAME=veteran_grid_bench PG_FSYNC=off \
	  PG_SHARED_BUFFERS=$(BENCH_SHARED_BUFFERS) scripts/services.sh start >/dev/null
	. var/bench.env && $(BIN)/python manage.py migrate --noinput -v0 && VG_STATE_DIR=$(BENCH_STATE) VG_ENV_FILE=var/bench.env \
	  PG_FSYNC=off PG_SHARED_BUFFERS=$(BENCH_SHARED_BUFFERS) $(BIN)/python -m bench.run $(BENCH_ARGS); \
	status=$$?; VG_STATE_DIR=$(BENCH_STATE) VG_ENV_FILE=var/bench.env scripts/services.sh stop; exit $$status

# Bounded load test on loopback (not part of `make test`): its own PostgreSQL and Redis (data kept
# under /tmp/veteran-grid-load), gunicorn with production settings, a Celery worker, and locust for
# LOAD_SECONDS (60) with LOAD_USERS (40) people. Prints a table, writes bench/load-results.json and
# fails on any error. Locust (requirements-load.txt) is installed only here.
$(LOAD_STAMP): requirements-load.txt | $(STAMP)
	$(BIN)/pip install --quiet -r requirements-load.txt
	rm -f $(VENV)/.installed-load-*
	touch $(LOAD_STAMP)

load: install translations $(LOAD_STAMP)
	scripts/load.sh
