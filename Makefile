# Weibao — the two commands of the README are the contract:
#   make run    set up everything, load the demo data and serve http://127.0.0.1:8000
#   make test   set up everything and run the whole suite (SQLite, and PostgreSQL when reachable)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test bench lint format messages clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@scripts/setup.sh "$(PYTHON)" "$(VENV)"
	@rm -f $(VENV)/.installed-* && touch $@

# The demo machine: its accounts keep the public demo password without an admin warning.
run: export WEIBAO_DEMO ?= true
run: setup
	@$(BIN)/weibao migrate --noinput
	@$(BIN)/weibao demo
	@exec $(BIN)/weibao serve --host $(HOST) --port $(PORT)

test: setup
	@scripts/test.sh

bench: setup
	@scripts/bench.sh

lint: setup
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup
	@$(BIN)/ruff format . && $(BIN)/ruff check --fix .

messages: setup
	@$(BIN)/weibao makemessages -l en --ignore '.venv/*' --ignore 'var/*' && $(BIN)/weibao compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
