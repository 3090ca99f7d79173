# Monev SPBE. Quick start: `make demo` (serves http://127.0.0.1:8000) and `make test`.
PORT ?= 8000
# The suite runs in parallel (pytest-xdist), one database per worker.
TEST_WORKERS ?= 2
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: demo test setup lint format messages benchmark clean

.venv/installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: .venv/installed
	@scripts/ensure-system-packages gettext
	$(MANAGE) compilemessages --ignore=.venv -v0

# The demo's documents print verification links to the address it serves.
demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
demo: setup
	mkdir -p var/media
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) demo
	$(MANAGE) runserver --noreload 127.0.0.1:$(PORT)

test: setup
	@scripts/ensure-system-packages chromium
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

benchmark: setup
	$(MANAGE) bench_meeting_mode
	$(MANAGE) bench_documents
	$(MANAGE) bench_backup
	$(MANAGE) bench_operator_journey
	$(MANAGE) bench_api_upload

lint: .venv/installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

format: .venv/installed
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages: .venv/installed
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=var
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf .venv var

# Deadline-day load test (docs/benchmarks.md), e.g. `make loadtest DATA=city DB=postgres USERS=200 DURATION=60`.
.PHONY: loadtest
.venv/load-installed: .venv/installed requirements-load.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

loadtest: setup .venv/load-installed
	scripts/loadtest
