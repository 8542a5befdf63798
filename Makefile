# e-Saraban: two commands do all the set-up on a fresh Debian machine.
#   make run    install, build the schema, load the demo organisation, serve on http://127.0.0.1:5000
#   make test   install what the tests need (MariaDB, Redis, Chromium), start them privately, run the suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
LINE_PORT ?= 5100
# `make run` talks to the local LINE server (fake_line/) with these demo credentials; production sets its
# own LINE_* settings (docs/deploy.md).
DEMO_LINE_ENV := LINE_CHANNEL_ACCESS_TOKEN=demo-channel-access-token LINE_CHANNEL_SECRET=demo-channel-secret \
  LINE_API_BASE=http://$(HOST):$(LINE_PORT) LINE_ACCESS_BASE=http://$(HOST):$(LINE_PORT) \
  LINE_ADD_FRIEND_URL=http://$(HOST):$(LINE_PORT)/ PUBLIC_BASE_URL=http://$(HOST):$(PORT)
PYTEST_ARGS ?=

RUN_PACKAGES := python3 python3-venv nodejs npm libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(RUN_PACKAGES) mariadb-server mariadb-client redis-server chromium fonts-thai-tlwg poppler-utils

.PHONY: help run test system-packages-run system-packages-test assets translations update-translations migrate demo \
        services-start services-stop clean

help:
	@echo "make run    - install and run e-Saraban with the demo organisation (SQLite, no servers needed)"
	@echo "make test   - install MariaDB, Redis and Chromium, start them privately, run the whole suite"
	@echo "make services-stop - stop the private test MariaDB and Redis"

system-packages-run:
	@command -v npm >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null \
	  && /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 \
	  || scripts/install-system-packages.sh $(RUN_PACKAGES)

system-packages-test:
	@command -v mariadbd >/dev/null && command -v redis-server >/dev/null && command -v chromium >/dev/null \
	  && command -v npm >/dev/null && command -v pdftoppm >/dev/null \
	  && /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 || scripts/install-system-packages.sh $(TEST_PACKAGES)

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

app/static/vendor/.built: node_modules/.installed scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py
	touch $@

assets: $(VENV)/.installed app/static/vendor/.built translations

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d app/translations

# Refresh the catalogue after adding strings; then translate the new entries in app/translations/th.
update-translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project e-Saraban -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load

run: system-packages-run assets demo
	@echo
	@echo "e-Saraban is starting on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "The local LINE server (what LINE would show on people's phones): http://$(HOST):$(LINE_PORT)/"
	@$(FLASK) demo logins
	@echo
	@$(PY) -m fake_line --host $(HOST) --port $(LINE_PORT) --channel-token demo-channel-access-token \
	  --channel-secret demo-channel-secret --webhook-url http://$(HOST):$(PORT)/line/webhook \
	  --app-url http://$(HOST):$(PORT) & line_pid=$$!; trap 'kill $$line_pid 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_LINE_ENV) $(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 1 --threads 8 \
	  --access-logfile - wsgi:app

services-start:
	scripts/test-services.sh start

services-stop:
	scripts/test-services.sh stop

test: system-packages-test $(VENV)/.installed-test assets services-start
	eval "$$(scripts/test-services.sh env)"; ESARABAN_REQUIRE_SERVICES=1 $(VENV)/bin/pytest $(PYTEST_ARGS)
	# search on the embedded default too (R25–R27): the same tests against a fresh SQLite file
	eval "$$(scripts/test-services.sh env)"; TEST_DATABASE_URL=sqlite:///$$PWD/.test-services/search.sqlite \
	  ESARABAN_REQUIRE_SERVICES=1 $(VENV)/bin/pytest -p no:cacheprovider tests/integration/test_search.py

clean:
	rm -rf $(VENV) node_modules app/static/vendor .pytest_cache
