# e-Saraban: two commands do all the set-up on a fresh Debian machine.
#   make run    install, build the schema, load the demo organisation, serve on http://127.0.0.1:5000
#   make test   install what the tests need (MariaDB, Redis, Chromium), start them privately, run the suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PYTHON ?= python3
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
# Each build step of `make run` writes its output to $(BUILD_LOG) and shows it only when it fails, so a
# newcomer sees what is being done, the address and the logins (issue 14 item 8).
BUILD_LOG := $(VENV)/build.log
QUIETLY = >$(BUILD_LOG) 2>&1 || { echo "  ...failed; what it said (in $(BUILD_LOG)):"; tail -n 40 $(BUILD_LOG); exit 1; }
PIP := $(VENV)/bin/pip -q --disable-pip-version-check

.PHONY: help run test test-install-server system-packages-run system-packages-test assets translations update-translations migrate demo \
        services-start services-stop clean

help:
	@echo "make run    - install and run e-Saraban with the demo organisation (SQLite, no servers needed)"
	@echo "make test   - install MariaDB, Redis and Chromium, start them privately, run the whole suite"
	@echo "make services-stop - stop the private test MariaDB and Redis"

# Debian packages are asked for by capability (a command, a library, Thai fonts), never by a name whose
# command something else already provides (NodeSource's nodejs carries npm). `check` asks apt's resolver
# about the whole set a bare machine would get, on every test run, so a conflict fails here too.
system-packages-run:
	@python3 scripts/system_packages.py install run

system-packages-test:
	@python3 scripts/system_packages.py install test
	@python3 scripts/system_packages.py check test

$(VENV)/.installed: setup.cfg pyproject.toml
	@echo "Installing e-Saraban and its Python packages into $(VENV) (a few minutes the first time)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip $(QUIETLY)
	@$(PIP) install -e . $(QUIETLY)
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installing the test tools into $(VENV)"
	@$(PIP) install -e '.[test]' $(QUIETLY)
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "Installing the front-end packages from the npm registry"
	@mkdir -p $(VENV) && npm ci --silent --no-audit --no-fund --no-progress $(QUIETLY)
	@touch $@

app/static/vendor/.built: node_modules/.installed scripts/vendor_assets.py
	@echo "Copying the front-end assets into app/static/vendor"
	@$(PY) scripts/vendor_assets.py $(QUIETLY)
	@touch $@

assets: $(VENV)/.installed app/static/vendor/.built translations

translations: $(VENV)/.installed
	@$(VENV)/bin/pybabel -q compile -d app/translations $(QUIETLY)

# Refresh the catalogue after adding strings; then translate the new entries in app/translations/th.
update-translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project e-Saraban -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

# LOG_LEVEL=WARNING: alembic's "Running upgrade" lines stay out of the way; errors still show.
migrate: $(VENV)/.installed
	@LOG_LEVEL=WARNING $(FLASK) db upgrade $(QUIETLY)

demo: migrate
	@LOG_LEVEL=WARNING $(FLASK) demo load

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

# Installs e-Saraban into /opt/esaraban with MariaDB, Redis and nginx on this machine, twice: for CI and
# throwaway machines only (scripts/test-install-server.sh).
test-install-server:
	scripts/test-install-server.sh

clean:
	rm -rf $(VENV) node_modules app/static/vendor .pytest_cache
