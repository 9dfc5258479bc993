# The one task runner. `make run` and `make test` work on a machine with only Python 3.11 and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# pytest exits 5 when it collected no test: that is a failure here, like any other non-zero exit.
# The suite runs on every core (pytest-xdist), a test file's tests on one worker, so a file's
# browser or server fixtures start once; PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
# Optional extras of `make install` / `make run`, e.g. EXTRAS=postgresql for a PostgreSQL
# database, EXTRAS=postgresql,notebooks for both. `make test` installs them all.
EXTRAS ?=
comma := ,
INSTALLED := $(VENV)/.installed$(if $(EXTRAS),-$(subst $(comma),-,$(EXTRAS)))

.PHONY: run install install-test test lint format bench messages clean

# Translations: gettext catalogs, one per language, compiled to .mo as part of every build.
LOCALES := src/skills_roadmap/i18n/locale
CATALOGS := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po | $(INSTALLED)
	$(BIN)/pybabel -q compile -l $* -i $< -o $@

install: $(INSTALLED) $(COMPILED)

install-test: $(VENV)/.installed-test $(COMPILED)

run: install  ## create .venv, install, initialise the database, load the demo once, serve
	$(BIN)/skills-roadmap init
	$(BIN)/skills-roadmap demo --if-empty
	$(BIN)/skills-roadmap serve

test: install-test  ## install test dependencies and run the whole suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test  ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-test  ## performance figures as a table (builds an EU-scale demo database once)
	$(BIN)/python -m bench

messages: install-test  ## gather the messages to translate, update every catalog, compile them
	$(BIN)/pybabel extract -F babel.cfg -o $(LOCALES)/messages.pot --no-location \
		--sort-output .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-fuzzy-matching \
		--ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) --statistics
	$(BIN)/python -m dashboard.figures.locales

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
