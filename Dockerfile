# syntax=docker/dockerfile:1
#
# e-Saraban image: gunicorn serving wsgi:app on port 8000 (the same image runs the rq worker and the
# `flask --app app db upgrade` one-shot; see docker-compose.yml and docs/deploy.md).
#
#   docker build -t esaraban .
#
# The layout inside mirrors the plain-Debian install: code in /opt/esaraban, virtualenv in
# /opt/esaraban/.venv, instance/upload files in /var/lib/esaraban (mount a volume there).

# ---------------------------------------------------------------------------------------------------------
# 1. Front-end assets from the npm registry (bootstrap, htmx.org, @fontsource/sarabun).
#    Only node_modules leaves this stage; scripts/vendor_assets.py (Python) copies what the app serves.
# ---------------------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# ---------------------------------------------------------------------------------------------------------
# 2. Python build: a virtualenv with the package and its dependencies (no test extras), the vendored
#    assets in app/static/vendor and the compiled translations (.mo). Everything installs from wheels,
#    so no compiler is needed.
# ---------------------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/esaraban/.venv
ENV PATH=/opt/esaraban/.venv/bin:$PATH
WORKDIR /opt/esaraban
COPY . .
COPY --from=assets /src/node_modules ./node_modules
# Assets and translations are built before `pip install .` so the installed copy of the package has them
# too. Babel (pybabel) is installed first, in the range setup.cfg asks for; `pip install .` keeps it.
# pip and setuptools are not needed at run time and leave the virtualenv afterwards. The code is
# byte-compiled here because the app user cannot write __pycache__ at run time.
RUN python scripts/vendor_assets.py \
 && pip install "Babel>=2.14,<3" \
 && pybabel compile --statistics -d app/translations \
 && pip install . \
 && pip uninstall --yes pip setuptools \
 && rm -rf node_modules build ./*.egg-info \
 && python -m compileall -q app forms workers wsgi.py

# ---------------------------------------------------------------------------------------------------------
# 3. Runtime: the slim Python image, the virtualenv and the application files; runs as `esaraban`.
# ---------------------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

LABEL org.opencontainers.image.title="e-Saraban" \
      org.opencontainers.image.description="Electronic correspondence system (ระบบสารบรรณอิเล็กทรอนิกส์) for Thai local government"

ENV PATH=/opt/esaraban/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INSTANCE_PATH=/var/lib/esaraban

# Pango, its FreeType backend and HarfBuzz's subsetter: WeasyPrint shapes and embeds the PDF reports' Thai.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 esaraban \
 && useradd --system --uid 10001 --gid esaraban --home-dir /var/lib/esaraban --no-create-home \
        --shell /usr/sbin/nologin esaraban \
 && install -d -o esaraban -g esaraban -m 0750 /var/lib/esaraban

WORKDIR /opt/esaraban
# Owned by root and read-only for the app user; only /var/lib/esaraban is writable.
COPY --from=build /opt/esaraban/.venv ./.venv
COPY --from=build /opt/esaraban/app ./app
COPY --from=build /opt/esaraban/forms ./forms
COPY --from=build /opt/esaraban/workers ./workers
COPY --from=build /opt/esaraban/bpmn ./bpmn
COPY --from=build /opt/esaraban/wsgi.py ./wsgi.py

USER esaraban
EXPOSE 8000

# 200 while the database answers, 503 otherwise (urlopen raises on 503, so the check fails).
# The worker and the migrate one-shot reuse this image and switch the check off in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "4", "--access-logfile", "-", "wsgi:app"]
