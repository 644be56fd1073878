# syntax=docker/dockerfile:1
# The IRO service's image: one image for every app container of docker-compose.yml (migrate,
# web, worker and beat; each gets its own command there). Built by `docker compose up --build`
# (see docker-compose.yml for how to start it), or on its own with `docker build -t iro-service .`
#
# What is in it: Python 3.11 on Debian bookworm (slim), the exact package versions of uv.lock
# (runtime dependencies only: no test or lint tools), the GOV.UK and MOJ Frontend assets, the
# static files already collected (hashed and compressed, served by WhiteNoise), and Pango for
# WeasyPrint's PDFs. It runs as the unprivileged user `iro`, whose home /home/iro is the only
# place it writes besides the media volumes; the code and the packages are read-only to it.
# The default command is gunicorn on port 8000 (WEB_CONCURRENCY processes, 2 unless set).

# --- Stage 1: GOV.UK Frontend, MOJ Frontend and the annual report's fonts (Source Sans 3),
# copied from node_modules into build/static.
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# axe-core is a devDependency, for the tests only.
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts/build_assets.py scripts/build_assets.py
RUN python scripts/build_assets.py

# --- Stage 2: the application.
FROM python:3.11-slim-bookworm
# The uv that reads uv.lock: the same version as the Makefile's UV_VERSION.
ARG UV_VERSION=0.13.9
# The packages go into /app/.venv, first on PATH, so `python`, `gunicorn` and `celery` are its.
# HOME is the user's own writable folder (matplotlib's font cache, fontconfig's cache and
# gunicorn's control socket are written under it).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    HOME=/home/iro \
    MPLCONFIGDIR=/home/iro/.config/matplotlib
# Pango for WeasyPrint's PDF output, which prints in the fonts of build/static/vendor/fonts only;
# Liberation Sans is the font the dashboard's charts are measured in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The dependencies first, from the lock file alone, so this layer is rebuilt only when
# pyproject.toml or uv.lock change. --locked stops the build if uv.lock does not match
# pyproject.toml (run `make upgrade` or `uv lock` and commit the lock); the dev tools are the
# optional extra `dev`, which a plain sync leaves out; the project itself is not a package
# (no [build-system]), so only its dependencies are installed. The image's own Python 3.11 is
# used (never a downloaded one) and the packages are compiled to bytecode once, here.
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir "uv==${UV_VERSION}" \
    && uv sync --locked --no-dev --inexact --no-install-project \
        --no-python-downloads --compile-bytecode --no-cache
COPY . .
COPY --from=assets /app/build/static /app/build/static
# Static files into /app/staticfiles, at build time: collectstatic reads no database and needs a
# SECRET_KEY only to load the settings, so it gets a throwaway one for this command alone (the
# running containers get the real one from docker-compose.yml).
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput
# The user, its home, and the two media folders (docker-compose.yml mounts volumes there, which
# take this ownership when they are first created).
RUN useradd --system --user-group --create-home --home-dir /home/iro iro \
    && mkdir -p /app/media /app/private-media "$MPLCONFIGDIR" \
    && chown iro:iro /app/media /app/private-media \
    && chown -R iro:iro /home/iro
USER iro
# Matplotlib's font cache, built once here rather than at each container's first chart.
RUN python -c "import matplotlib.font_manager"
EXPOSE 8000
# The web process: gunicorn with WEB_CONCURRENCY processes (gunicorn reads the variable itself;
# 2 unless the container is given another). Migrations are the `migrate` service's work
# (docker-compose.yml), not this.
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "iro_service.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
