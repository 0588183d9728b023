# InBeeld's container image: one image for the web server (`inbeeld serve`), the background
# worker (`inbeeld worker`) and one-off commands (`inbeeld manage migrate`, `inbeeld backup`).
# Runs as a non-root user on a read-only root file system; static files are collected here,
# at build time, never at start (docs/operations.md, "Containers").
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY inbeeld ./inbeeld
RUN python -m venv /opt/inbeeld \
    && /opt/inbeeld/bin/pip install --no-compile . \
    && /opt/inbeeld/bin/python -m compileall -q /opt/inbeeld

# Production settings need their keys to load; these throw-away values exist only in this
# step (collectstatic reads no key and no database).
RUN env INBEELD_MODE=production STATIC_ROOT=/opt/static \
        SECRET_KEY=build-only AUDIT_KEY=build-only BLIND_INDEX_KEY=build-only \
        FIELD_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
        ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://build@build.invalid/build \
        /opt/inbeeld/bin/inbeeld manage collectstatic --noinput

FROM python:3.11-slim-bookworm

# pg_dump/pg_restore for `inbeeld backup`/`restore`; gettext is not needed (.mo files ship).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 inbeeld \
    && useradd --system --uid 10001 --gid inbeeld --home-dir /nonexistent --shell /usr/sbin/nologin inbeeld

COPY --from=build /opt/inbeeld /opt/inbeeld
COPY --from=build /opt/static /opt/static

# Nothing is written below / at run time: no bytecode, numba's cache and gunicorn's and
# prometheus-client's files in /tmp (a tmpfs in compose.yaml), data (the audit checkpoints)
# in the /data volume.
ENV PATH=/opt/inbeeld/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NUMBA_CACHE_DIR=/tmp/numba \
    INBEELD_MODE=production \
    INBEELD_DATA_DIR=/data \
    STATIC_ROOT=/opt/static \
    LOG_FORMAT=json

USER 10001:10001
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
    CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["inbeeld", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
