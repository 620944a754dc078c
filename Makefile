# One entry point for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export LIMS_ENV ?= development

.PHONY: install run test test-sqlite test-postgres lint translations clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	$(BIN)/flask --app app lims setup
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - --no-control-socket app:app

test: install
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check lims instruments certificates tests bench

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext -o lims/translations/messages.pot .
	$(BIN)/pybabel update -i lims/translations/messages.pot -d lims/translations
	$(BIN)/pybabel compile -d lims/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
