# Every task of the project. `make help` lists them.
# The two that matter on a fresh clone: `make run` (set up and serve) and `make test` (set up and test).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The newest Python 3.12+ on PATH, else one installed under pyenv. Override with `make PYTHON=/path/to/python3.13`.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: help run serve test install migrate seed check lock clean map bench bench-search two-nodes messages resilience lighthouse

# Compiled translations: built from the .po files in the repo, never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/$$(PORT)/$(PORT)/g' \
		| awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Two stamps: .installed is the app and its runtime dependencies (`make run`, `make serve`), .installed-dev
# adds the dev tools (`make install`, `make test`, `make check`). pip, and the setuptools that builds the app,
# are the versions in constraints.txt too (pip applies -c to the build only through --build-constraint).
PIP_INSTALL := $(PY) -m pip install --quiet -c constraints.txt --build-constraint constraints.txt
RUNTIME := $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found. Install one (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12'." >&2; \
		exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt pip
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed-dev $(MO_FILES) ## Create the virtualenv, install the app with its dev tools, compile translations

%.mo: %.po $(VENV)/.installed
	$(PY) scripts/compile_messages.py $<

messages: install ## Update locale/en/LC_MESSAGES/django.po from the code and templates (needs GNU gettext), then compile
	$(PY) manage.py makemessages --locale en --no-location --ignore='.venv/*' --ignore='*/migrations/*' \
		--ignore='*/admin*.py' --ignore='*/models.py' --ignore='*/apps.py' --ignore='*/management/*' \
		--ignore='templates/admin/*' --ignore='editorial/*' --ignore='templates/editorial/*' --ignore='tests/*' --ignore='bench/*' --ignore='scripts/*' --ignore='portal/urls.py'
	$(PY) scripts/compile_messages.py

migrate: $(RUNTIME) ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the catalogue from fixtures/ (never overwrites an editor's change)
	$(PY) manage.py seed

run: seed ## Install, migrate, seed and serve on http://127.0.0.1:$(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: migrate ## Run the production server (gunicorn, DEBUG off, static files collected) on http://127.0.0.1:$(PORT)
	@test -n "$$SECRET_KEY" || echo "SECRET_KEY is not set: using a throwaway key for this local run."
	@export SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
		DEBUG=0 HTTPS_ONLY=0 ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} BIND=127.0.0.1:$(PORT); \
	$(PY) manage.py collectstatic --noinput -v 0 && exec $(VENV)/bin/gunicorn portal.wsgi

# One pytest worker per core, at most 4 (each builds its own test database); idle workers take queued tests
# from busy ones (worksteal), since a few browser tests run far longer than the rest.
# `PYTEST_ARGS=-n0` runs serially. FUZZ_EXAMPLES=1000 runs the deep fuzzing pass, as .ci/run does on PostgreSQL.
PYTEST_ARGS ?= --numprocesses=auto --maxprocesses=4 --dist=worksteal

test: install ## Install and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

check: install ## Lint, Django's system checks, and no missing migrations
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

lock: ## Re-resolve constraints.txt from pyproject.toml (run after changing dependencies)
	rm -rf /tmp/portal-lock-venv && $(PYTHON) -m venv /tmp/portal-lock-venv
	/tmp/portal-lock-venv/bin/pip install --quiet --upgrade pip setuptools
	/tmp/portal-lock-venv/bin/pip install --quiet '.[dev,bench]'
	/tmp/portal-lock-venv/bin/pip freeze --all --exclude vagar-till-hallbar-utveckling | sort > constraints.txt
	rm -rf /tmp/portal-lock-venv

clean: ## Remove the virtualenv and local state (the SQLite database under var/)
	rm -rf $(VENV) var .pytest_cache .ruff_cache

map: install ## Rebuild regions/map_data/regions.json from the TopoJSON beside it (after changing the map data)
	$(PY) scripts/build_region_map.py

resilience: install ## Load run (60 s) and PostgreSQL crashed and restarted under load, on a throwaway cluster
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "PostgreSQL server binaries are missing: installing Debian's package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
	$(PY) bench/resilience.py all

bench: install ## Throughput and latency at 1x, 10x, 100x data under gunicorn, as ratios to a bare view (wrk, PostgreSQL)
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || { echo "wrk or redis-server is missing: installing Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk redis-server >/dev/null; }
	$(PIP_INSTALL) -e '.[dev,bench]'
	$(PY) bench/run.py

two-nodes: install ## Two app servers behind nginx on PostgreSQL and a shared Redis: edit, failover, after-edit load
	@command -v redis-server >/dev/null && command -v nginx >/dev/null || { echo "redis-server or nginx is missing: installing Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx >/dev/null; }
	$(PY) bench/two_nodes.py

bench-search: install ## Search quality (judged queries) and latency at 100x, on SQLite and on PostgreSQL (BENCH_DATABASE_URL)
	$(PY) bench/search_latency.py

# Fails when any of those scores is below 100; LIGHTHOUSE_ARGS=--report-only only prints (also --only PATH, --save DIR).
lighthouse: install ## Lighthouse accessibility, best practices, SEO of every page type, sv and en, desktop and mobile
	@command -v node >/dev/null || { echo "node is missing: install Node.js 18.16 or newer (apt-get install nodejs npm)" >&2; exit 1; }
	@test -x "$${CHROME_PATH:-/usr/bin/chromium}" || { echo "Chromium is missing: installing Debian's package"; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@test scripts/lighthouse/node_modules/.package-lock.json -nt scripts/lighthouse/package-lock.json || npm ci --prefix scripts/lighthouse --no-audit --no-fund
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) scripts/lighthouse.py $(LIGHTHOUSE_ARGS)
