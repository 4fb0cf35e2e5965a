FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    APP_DATA_DIR=/data PORT=5454
WORKDIR /app

COPY pyproject.toml README.md ./
COPY immaculaterr ./immaculaterr
COPY vault ./vault
COPY recommendations ./recommendations
COPY observatory ./observatory
COPY jobs ./jobs
RUN pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static

RUN useradd --system --uid 1000 --home /app immaculaterr \
    && mkdir -p /data && chown immaculaterr /data
USER immaculaterr
VOLUME ["/data"]
EXPOSE 5454
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s \
  CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:5454/healthz', timeout=5)"
CMD ["python", "manage.py", "serve"]
