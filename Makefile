# Kontora: `make run` starts the server, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
KONTORA_HOME ?= ./var
export KONTORA_HOME
PO := $(wildcard kontora/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: install run test lint features bench screenshots messages clean

install: $(STAMP) $(MO)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(PY) -m kontora.i18n $< $@

run: install
	$(VENV)/bin/kontora upgrade
	$(VENV)/bin/kontora serve --port $(PORT)

lint: install
	$(VENV)/bin/ruff check kontora tests bench
	$(VENV)/bin/mypy kontora

# CI lints once and runs the two databases' tests side by side: SKIP_LINT=1 leaves the lint out.
test: install $(if $(SKIP_LINT),,lint)
	mkdir -p build
	@bash scripts/test-deps.sh
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The guide's pictures (docs/guide/img) are taken by the browser tests, only when asked.
screenshots: install
	@bash scripts/test-deps.sh
	KONTORA_SCREENSHOTS=1 $(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

features:
	@$(PY) tests/features_report.py

bench: install
	$(PY) -m bench

# Developers: refresh the .po catalogues after changing UI strings (needs GNU gettext's xgettext).
messages: install
	cd kontora && ../$(VENV)/bin/django-admin makemessages -l ru -l en --no-obsolete --settings=kontora.settings --pythonpath=..
	cd kontora && ../$(VENV)/bin/django-admin makemessages -d djangojs -l ru -l en --no-obsolete --settings=kontora.settings --pythonpath=..

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
