# The shop and its acceptance suite in one image: docker-compose.test.yml runs it as `app` (the web
# server), `worker` (the order-events worker) and `suite` (behave against the others, stack=external).
# PYTHON_IMAGE: `make images` passes a local stand-in built from Debian's Python where the official
# image cannot be pulled.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /suite

# Requirements first: the dependency layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Runs as root on purpose: ./reports is bind-mounted from the host and belongs to the host's user;
# root can write there, an unprivileged user in the image generally cannot.
ENV STACK=external
# pyproject.toml's [tool.behave] sends Allure results to reports/allure-results.
CMD ["behave"]
