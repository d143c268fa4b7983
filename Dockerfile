# Verkosto's image: `verkosto serve` by default; the same image runs `verkosto worker` and the
# release step `verkosto db upgrade` (compose.yaml). Build: docker build -t verkosto .

# The build stage installs Verkosto and its dependencies into a virtual environment; every
# dependency comes as a wheel, so no compiler is needed here either.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
RUN python -m venv /opt/verkosto
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY storage storage
RUN /opt/verkosto/bin/pip install --no-cache-dir .

# The final image: the virtual environment, Voikko for reading Finnish, and a user of its own.
FROM python:3.11-slim-bookworm
# Debian's stable packages get security fixes under the same name; pinning them would hold
# those back.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libvoikko1 voikko-fi \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /srv/verkosto --create-home verkosto
COPY --from=build /opt/verkosto /opt/verkosto
ENV PATH=/opt/verkosto/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PORT=3000
USER 10001:10001
WORKDIR /srv/verkosto
EXPOSE 3000
# No HEALTHCHECK here: the same image runs the worker and the release step, which answer no
# HTTP. compose.yaml (and a platform's probe) checks `serve` at /readyz.
CMD ["verkosto", "serve"]
