# Monev SPBE: one image for the web process, the worker and the periodic jobs (compose.yaml).
# Not built in CI (no Docker there); what CI runs is scripts/production-smoke (docs/deploy.md).
FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries (Pango, HarfBuzz), fonts for the PDFs, gettext for
# compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-liberation fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --home-dir /home/monev --uid 10001 monev
WORKDIR /opt/monev

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Static files collected and the English catalogue compiled at build time; a throwaway key,
# since settings refuse DEBUG=false without one (the real key comes from the environment).
RUN DEBUG=false SECRET_KEY=build-only STATIC_ROOT=/opt/monev/static \
      python manage.py collectstatic --noinput -v0 \
 && python manage.py compilemessages --ignore=.venv -v0 \
 && mkdir -p /opt/monev/var && chown monev:monev /opt/monev/var

ENV STATIC_ROOT=/opt/monev/static
USER monev
EXPOSE 8000
CMD ["gunicorn", "monev.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "120", "--access-logfile", "-"]
