# The two commands: `make run` (app with demo data) and `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

# Benchmarks of issue #16 (docs/performance.md): `make bench-seed` writes the dataset into DATABASE_URL
# (PostgreSQL, a database of its own), `make bench` runs the three benchmarks against it. BENCH_SCALE=small
# for a quick run; BENCH_REQUESTS, BENCH_USERS (one run per number), BENCH_SECONDS override either size.
BENCH_SCALE ?= full
ifeq ($(BENCH_SCALE),small)
BENCH_PROGRAMS ?= 20
BENCH_CLIENTS ?= 30
BENCH_REQUESTS ?= 5
BENCH_USERS ?= 5
BENCH_SECONDS ?= 10
endif
BENCH_PROGRAMS ?= 1000
BENCH_CLIENTS ?= 100
BENCH_REQUESTS ?= 50
BENCH_USERS ?= 50 200
BENCH_SECONDS ?= 60

.PHONY: bench bench-seed run test venv migrate seed lint format check typecheck worker beat clean backup restore restore-drill prod-local prod-local-stop

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

run: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# In parallel with pytest-xdist (one Chromium and one live server per worker; `make test PYTEST_XDIST=` runs
# in one process). Keep xdist's default --dist load: tests/conftest.py orders browser tests last and each
# worker takes its tests in that order (a --dist loadfile/loadscope group would break it).
PYTEST_XDIST ?= -n auto --maxprocesses 4
test: venv
	scripts/ensure-system-deps
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: venv
	DEBUG=1 $(VENV)/bin/mypy

check: venv
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

worker: venv
	$(VENV)/bin/celery -A ips_site worker -l info

beat: venv
	$(VENV)/bin/celery -A ips_site beat -l info

# PostgreSQL backups (docs/deployment.md): a dated pg_dump in custom format under backups/, a restore
# (FILE=..., CONFIRM=yes to replace DATABASE_URL's data) and the restore drill on the latest backup.
backup:
	scripts/backup

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/ips-....dump CONFIRM=yes" >&2; exit 2; }
	CONFIRM="$(CONFIRM)" scripts/restore "$(FILE)"

restore-drill: venv
	scripts/restore-drill

# The production-like stack on loopback (scripts/prod-local, docs/deployment.md): gunicorn on :8001, a Celery
# worker and beat, against local PostgreSQL (database ips_prod_local) and Redis. Ctrl-C or prod-local-stop.
prod-local: venv
	scripts/prod-local

prod-local-stop:
	scripts/prod-local stop

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache .mypy_cache

bench-seed: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_scale --programs $(BENCH_PROGRAMS) --clients-per-program $(BENCH_CLIENTS) --years 5

bench: venv
	$(PY) bench/quarter.py
	$(PY) bench/pages.py --requests $(BENCH_REQUESTS)
	for users in $(BENCH_USERS); do \
		CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/1} \
			$(PY) bench/load.py --users $$users --seconds $(BENCH_SECONDS) || exit 1; \
	done
