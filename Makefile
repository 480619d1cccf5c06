# anbiao: the two commands are `make demo` and `make test`. See README.md.
#
# DATABASE_URL passes through from the environment (or `make test DATABASE_URL=...`);
# without it everything runs on SQLite in var/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium gettext
# makemessages must not read the virtualenv, vendored assets or runtime files.
I18N_IGNORE := -i .venv -i static -i var -i node_modules

.PHONY: help install venv python-deps system-deps translations migrate demo test e2e lint i18n-check bench clean distclean

help:
	@echo "make demo        install, migrate, seed demo data, serve on http://$(HOST):$(PORT)/ with the task worker"
	@echo "make test        install, then run the test suite (SQLite, or DATABASE_URL)"
	@echo "make install     virtualenv + locked requirements, system packages (Debian, root), translations"
	@echo "make migrate     apply database migrations"
	@echo "make e2e         Playwright browser tests (Debian's chromium)"
	@echo "make lint        ruff check, ruff format --check, import-linter"
	@echo "make i18n-check  fail on untranslated or fuzzy zh_Hans entries"
	@echo "make bench       load-test the main pages against a bare view (PostgreSQL, gunicorn, wrk; BENCH_ARGS=--quick)"
	@echo "make clean       remove caches and collected static files (keeps .venv and the database)"

# --- install: idempotent, and fast when everything is present -----------------

# var/ holds the SQLite database, media and collected static files (WhiteNoise warns
# on every request when STATIC_ROOT does not exist).
install: system-deps python-deps translations
	@mkdir -p var/staticfiles var/media

venv: $(PY)

$(PY):
	$(PYTHON) -m venv $(VENV)

python-deps: $(PY)
	@[ -x $(VENV)/bin/uv ] || $(VENV)/bin/python -m pip install -q uv
	@if ! $(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock; then \
		echo "warning: uv failed; falling back to pip" >&2; \
		$(VENV)/bin/python -m pip install -q -r requirements.lock; \
	fi

# Debian packages the app needs at run time: CJK fonts and fast subsetting for PDFs,
# pdftotext for tests, chromium for browser tests, msgfmt/xgettext for translations.
system-deps:
	@missing=""; \
	if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then \
		echo "warning: not a Debian system; make sure these are installed: $(APT_PACKAGES)" >&2; exit 0; \
	fi; \
	for pkg in $(APT_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "warning: not root, so not installing:$$missing (run: sudo apt-get install$$missing)" >&2; exit 0; \
	fi; \
	echo "Installing system packages:$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

# Compiles only when a .po file is newer than its .mo (or has none); tolerates no .po at all.
translations: $(PY)
	@stale=""; \
	for po in $$(find locale */locale -name '*.po' 2>/dev/null); do \
		[ "$${po%.po}.mo" -nt "$$po" ] || stale="$$stale $$po"; \
	done; \
	if [ -n "$$stale" ]; then \
		echo "Compiling translations:$$stale"; \
		$(MANAGE) compilemessages --ignore=.venv --ignore=static -v0; \
	fi

# --- run ---------------------------------------------------------------------

migrate: install
	$(MANAGE) migrate --noinput

# gunicorn (2 gthread workers, as in production) with DEBUG on: WhiteNoise then serves
# static files straight from the finders, so no collectstatic is needed. The task worker
# and the scheduler of periodic commands run in the background and stop with the server.
demo: migrate
	@$(MANAGE) seed_demo
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/ with the task worker and scheduler; Ctrl-C stops all."
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill -TERM $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
		--workers 2 --worker-class gthread --threads 4 --log-level warning

# --- checks ------------------------------------------------------------------

# Exit status 5 means "no tests collected", which is not a failure here.
test: install
	@$(VENV)/bin/pytest -q -n auto; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "No tests collected."; exit 0; fi; exit $$rc

e2e: install
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -q -m e2e -p no:xdist; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "No browser tests collected."; exit 0; fi; exit $$rc

lint: python-deps
	@rc=0; \
	echo "ruff check"; $(VENV)/bin/ruff check . || rc=1; \
	echo "ruff format --check"; $(VENV)/bin/ruff format --check . || rc=1; \
	echo "lint-imports"; $(VENV)/bin/lint-imports || rc=1; \
	exit $$rc

# Regenerates locale/zh_Hans/LC_MESSAGES/django.po, then fails if any entry is
# untranslated or fuzzy (the header counts: remove its fuzzy flag once it is filled in).
i18n-check: install
	@mkdir -p locale
	$(MANAGE) makemessages -l zh_Hans --no-obsolete $(I18N_IGNORE)
	@po=locale/zh_Hans/LC_MESSAGES/django.po; \
	untranslated=$$(msgattrib --untranslated --no-wrap "$$po"); \
	fuzzy=$$(msgattrib --only-fuzzy --no-wrap "$$po"); \
	if [ -n "$$untranslated$$fuzzy" ]; then \
		echo "$$untranslated"; echo "$$fuzzy"; \
		echo "i18n-check: $$(grep -c '^msgid ' <<<"$$untranslated") untranslated and" \
			"$$(grep -c '^msgid ' <<<"$$fuzzy") fuzzy entries in $$po" >&2; \
		exit 1; \
	fi; \
	echo "i18n-check: every zh_Hans entry is translated."

# --- benchmark -------------------------------------------------------------------

# Load test of the main pages against the bare /healthz view in the same run (docs/performance.md):
# gunicorn the production way on PostgreSQL, wrk on loopback. Needs wrk (installed here when
# missing, like system-deps) and PostgreSQL at BENCH_PG_URL. Options go through BENCH_ARGS,
# e.g. make bench BENCH_ARGS="--quick" or BENCH_ARGS="--sizes 1000 --duration 5".
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432
BENCH_ARGS ?=
bench: install
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing wrk"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; \
		else \
			sudo apt-get install -y wrk; \
		fi; \
	fi
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk (apt-get install wrk)" >&2; exit 1; }
	BENCH_PG_URL=$(BENCH_PG_URL) $(PY) benchmarks/harness.py $(BENCH_ARGS)

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results var/staticfiles var/test-media
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./.venv -prune -o -name '*.mo' -type f -exec rm -f {} +

# Also removes the virtualenv and the SQLite database.
distclean: clean
	rm -rf $(VENV) var
