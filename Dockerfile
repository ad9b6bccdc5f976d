FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    THIDUA_CONFIG=/etc/thidua/thidua.toml

RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata libreoffice-writer-nogui tesseract-ocr tesseract-ocr-vie libarchive13 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/thidua --create-home --shell /usr/sbin/nologin thidua

WORKDIR /opt/thidua
COPY pyproject.toml README.md ./
COPY thidua ./thidua
RUN pip install .

COPY deploy/thidua.toml /etc/thidua/thidua.toml
COPY deploy/campaign.toml /etc/thidua/campaign.toml

USER thidua
VOLUME ["/var/lib/thidua"]
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
  CMD ["thidua", "submissions", "--json"]
CMD ["thidua", "run"]
