# syntax=docker/dockerfile:1
# The IRO service image: one image for the web (gunicorn), worker and beat containers
# (see docker-compose.yml).

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
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# Pango for WeasyPrint's PDF output, which prints in the fonts of build/static/vendor/fonts only;
# Liberation Sans is the font the dashboard's charts are measured in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir uv \
    && uv pip install --system --no-cache -r pyproject.toml
COPY . .
COPY --from=assets /app/build/static /app/build/static
RUN useradd --system --user-group --home-dir /app iro \
    && mkdir -p /app/staticfiles /app/media \
    && chown iro:iro /app/staticfiles /app/media
USER iro
EXPOSE 8000
# The web process; docker-compose.yml gives the worker and beat their own commands.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput && exec gunicorn iro_service.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
