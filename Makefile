# Passerelle: `make run` and `make test` are all it takes on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: install run test lint format messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Passerelle runs at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo "  Health: http://127.0.0.1:8000/healthz"
	@echo ""
	$(BIN)/honcho start -f Procfile

test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l de -l fr -l it --ignore=.venv --ignore=node_modules --ignore=var --ignore=static
	$(BIN)/python manage.py compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3* var/broker
